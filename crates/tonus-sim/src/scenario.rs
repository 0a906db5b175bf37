//! Builds a session: timeline from the script, envelopes from the profile, signals, artifacts, truth.

use core::f64::consts::PI;
use core::fmt;

use tonus_core::{ChannelInfo, Marker, Recording, Unit};
use tonus_dsp::{butterworth, Band, DesignError, Sos};

use crate::artifact::ArtifactKind;
use crate::envelope::{activation, ramp_up};
use crate::noise::Noise;
use crate::profile::Profile;
use crate::script::{Block, Script};
use crate::truth::{ExpectedFindings, Levels, PhaseTruth, Truth, TruthContraction};

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioConfig {
    /// Pelvic-floor profile.
    pub profile: Profile,
    /// Built-in script name (see [`crate::SCRIPTS`]).
    pub protocol: String,
    /// Seed of every random stream.
    pub seed: u64,
    /// Sample rate of all three channels, Hz (at least 200).
    pub rate_hz: f64,
    /// Artifacts to add.
    pub artifacts: Vec<ArtifactKind>,
    /// Cut the session after this many seconds (the script's length if `None`).
    pub seconds: Option<f64>,
}

impl Default for ScenarioConfig {
    fn default() -> Self {
        Self {
            profile: Profile::Normal,
            protocol: "glazer".into(),
            seed: 1,
            rate_hz: 2000.0,
            artifacts: Vec::new(),
            seconds: None,
        }
    }
}

/// A generated recording and its truth.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// Pelvic EMG (µV), abdominal EMG (µV), anal pressure (mmHg), phase markers.
    pub recording: Recording,
    /// What was put in.
    pub truth: Truth,
}

/// A configuration the generator cannot use.
#[derive(Debug, Clone, PartialEq)]
pub enum SimError {
    /// No built-in script of that name.
    UnknownProtocol(String),
    /// The rate is not a finite number of at least 200 Hz.
    BadRate(f64),
    /// `seconds` is not a positive finite number.
    BadDuration(f64),
    /// The EMG band could not be designed (cannot happen for valid rates).
    Design(DesignError),
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownProtocol(p) => {
                let names: Vec<&str> = crate::SCRIPTS.iter().map(|s| s.name).collect();
                write!(f, "unknown protocol '{p}' (built-in: {})", names.join(", "))
            }
            Self::BadRate(r) => write!(f, "sample rate must be at least 200 Hz, got {r}"),
            Self::BadDuration(s) => write!(f, "--seconds must be a positive number, got {s}"),
            Self::Design(_) => f.write_str("EMG band design"),
        }
    }
}

impl std::error::Error for SimError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Design(e) => Some(e),
            _ => None,
        }
    }
}

/// A cued contraction or push on the timeline.
struct Cue {
    phase: &'static str,
    start: f64,
    on_s: f64,
    level: f64,
    rep: usize,
    push: bool,
}

/// Phases and cues of a script.
fn timeline(script: &Script) -> (Vec<PhaseTruth>, Vec<Cue>) {
    let mut phases = Vec::new();
    let mut cues = Vec::new();
    let mut t = 0.0;
    for block in script.blocks {
        let start = t;
        let name = match *block {
            Block::Rest { phase, seconds } => {
                t += seconds;
                phase
            }
            Block::Contractions {
                phase,
                reps,
                on_s,
                off_s,
                level,
            } => {
                for rep in 0..reps {
                    cues.push(Cue {
                        phase,
                        start: t,
                        on_s,
                        level,
                        rep,
                        push: false,
                    });
                    t += on_s + off_s;
                }
                phase
            }
            Block::Push { reps, on_s, off_s } => {
                for rep in 0..reps {
                    cues.push(Cue {
                        phase: "push",
                        start: t,
                        on_s,
                        level: 0.0,
                        rep,
                        push: true,
                    });
                    t += on_s + off_s;
                }
                "push"
            }
        };
        phases.push(PhaseTruth {
            name: name.into(),
            start_s: start,
            end_s: t,
        });
    }
    (phases, cues)
}

/// Unit-RMS band-limited noise (20–450 Hz, clipped to 0.45·fs), one sample at a time.
struct EmgNoise {
    noise: Noise,
    sos: Sos,
    state: tonus_dsp::SosState,
    gain: f64,
}

impl EmgNoise {
    fn new(seed: u64, stream: u64, rate: f64) -> Result<Self, SimError> {
        let band = Band::BandPass {
            low_hz: 20.0,
            high_hz: (450.0f64).min(0.45 * rate),
        };
        let sos = butterworth(4, band, rate).map_err(SimError::Design)?;
        // Output power for unit white noise: the energy of the impulse response.
        let mut st = sos.new_state();
        let energy: f64 = (0..(rate as usize * 4))
            .map(|i| {
                let y = sos.process_sample(&mut st, if i == 0 { 1.0 } else { 0.0 });
                y * y
            })
            .sum();
        let state = sos.new_state();
        Ok(Self {
            noise: Noise::new(seed, stream),
            sos,
            state,
            gain: 1.0 / libm::sqrt(energy),
        })
    }

    fn next(&mut self) -> f64 {
        let x = self.noise.gaussian();
        self.sos.process_sample(&mut self.state, x) * self.gain
    }
}

/// Generates a session.
pub fn generate(config: &ScenarioConfig) -> Result<Session, SimError> {
    let script = Script::named(&config.protocol)
        .ok_or_else(|| SimError::UnknownProtocol(config.protocol.clone()))?;
    let fs = config.rate_hz;
    if !(fs.is_finite() && fs >= 200.0) {
        return Err(SimError::BadRate(fs));
    }
    let duration = match config.seconds {
        Some(s) if s.is_finite() && s > 0.0 => s.min(script.duration_s()),
        Some(s) => return Err(SimError::BadDuration(s)),
        None => script.duration_s(),
    };
    let n = libm::round(duration * fs) as usize;
    let p = config.profile.params();
    let (phases, cues) = timeline(script);
    let mut rng = Noise::new(config.seed, 1);
    let (phi1, phi2) = (2.0 * PI * rng.uniform(), 2.0 * PI * rng.uniform());

    // Rest level over time: slow fluctuation, and the rising baseline within a set of repetitions
    // (relaxing after the set).
    let mut rest = vec![0.0; n];
    for (i, r) in rest.iter_mut().enumerate() {
        let t = i as f64 / fs;
        let fluct = 0.6 * libm::sin(2.0 * PI * 0.13 * t + phi1)
            + 0.4 * libm::sin(2.0 * PI * 0.31 * t + phi2);
        *r = p.rest_uv * (1.0 + p.rest_fluctuation * fluct);
    }
    for phase in phases
        .iter()
        .filter(|ph| ph.name == "phasic" || ph.name == "tonic")
    {
        for cue in cues.iter().filter(|c| c.phase == phase.name) {
            let from = cue.start + cue.on_s + p.release_s;
            let step = p.baseline_rise_per_rep * p.rest_uv;
            let end = index(phase.end_s, fs, n);
            for r in &mut rest[index(from, fs, n)..end] {
                *r += step;
            }
            // After the set, the built-up tone relaxes with the residual's time constant: muscle
            // tone does not drop in one sample, and a step down hid the next phase's onset.
            let tail = index(phase.end_s + 5.0 * p.residual_decay_s, fs, n);
            for (k, r) in rest[end..tail].iter_mut().enumerate() {
                *r += step * libm::exp(-(k as f64 / fs) / p.residual_decay_s);
            }
        }
    }

    // Contractions (pelvic), their residual tails, and pushes.
    let mut drive = vec![0.0; n]; // pelvic activity above rest, µV
    let mut push_act = vec![0.0; n]; // 0..1 bearing down
    let mut contractions = Vec::new();
    let span = p.mvc_uv - p.rest_uv;
    for cue in &cues {
        if cue.push {
            let end = cue.start + cue.on_s;
            let first = index(cue.start, fs, n);
            for (k, v) in push_act[first..index(end + 0.5, fs, n)]
                .iter_mut()
                .enumerate()
            {
                let t = (first + k) as f64 / fs;
                *v = activation(t, cue.start, 0.3, end - 0.3, 0.3);
            }
            if p.pelvic_push_factor > 1.2 {
                contractions.push(TruthContraction {
                    phase: "push".into(),
                    onset_s: cue.start,
                    plateau_s: cue.start + 0.3,
                    release_s: end - 0.3,
                    offset_s: end,
                    level_uv: p.rest_uv * p.pelvic_push_factor,
                });
            }
            continue;
        }
        let decline = if cue.phase == "tonic" {
            1.0 - p.tonic_decline_per_rep * cue.rep as f64
        } else {
            1.0
        };
        let level = span * cue.level * decline;
        let release = cue.start + cue.on_s;
        let offset = release + p.release_s;
        let hold = cue.phase != "phasic";
        let tail = if hold { 5.0 * p.residual_decay_s } else { 0.0 };
        let first = index(cue.start, fs, n);
        for (k, d) in drive[first..index(offset + tail, fs, n)]
            .iter_mut()
            .enumerate()
        {
            let t = (first + k) as f64 / fs;
            let mut a = activation(t, cue.start, p.rise_s, release, p.release_s);
            if cue.phase == "endurance" {
                let plateau = cue.start + p.rise_s;
                a *= 1.0
                    - p.endurance_decline * ((t - plateau) / (release - plateau)).clamp(0.0, 1.0);
            }
            let mut v = level * a;
            if hold && t > release {
                v += p.residual_after_hold
                    * level
                    * ramp_up(t, release, p.release_s)
                    * libm::exp(-(t - release) / p.residual_decay_s);
            }
            *d += v;
        }
        contractions.push(TruthContraction {
            phase: cue.phase.into(),
            onset_s: cue.start,
            plateau_s: cue.start + p.rise_s,
            release_s: release,
            offset_s: offset,
            level_uv: 0.0, // set below, once every contribution is in
        });
    }
    // A plateau's level is the envelope actually generated there: rest (with its fluctuation and any
    // rising baseline), this contraction, and what is left of earlier holds.
    for c in contractions.iter_mut().filter(|c| c.phase != "push") {
        let i = index(c.plateau_s, fs, n).min(n.saturating_sub(1));
        c.level_uv = rest[i] + drive[i];
    }

    // Signals.
    let mut pelvic_noise = EmgNoise::new(config.seed, 2, fs)?;
    let mut abd_noise = EmgNoise::new(config.seed, 3, fs)?;
    let mut sensor = Noise::new(config.seed, 4);
    let mut pelvic = vec![0.0; n];
    let mut abdominal = vec![0.0; n];
    let mut anal = vec![0.0; n];
    let lag = 1.0 - libm::exp(-1.0 / (0.08 * fs)); // pressure follows the muscle with 80 ms lag
    let mut squeeze = 0.0;
    for i in 0..n {
        let t = i as f64 / fs;
        let push_factor = 1.0 + (p.pelvic_push_factor - 1.0) * push_act[i];
        let pelvic_env = rest[i] * push_factor + drive[i];
        let abd_env = p.abdominal_rest_uv
            + p.abdominal_coupling * drive[i]
            + (p.abdominal_push_uv - p.abdominal_rest_uv) * push_act[i];
        pelvic[i] = pelvic_env * pelvic_noise.next();
        abdominal[i] = abd_env * abd_noise.next();
        squeeze += lag * ((drive[i] / span).clamp(0.0, 1.2) - squeeze);
        anal[i] = p.pressure_rest_mmhg * (1.0 + p.anal_push_change * push_act[i])
            + p.squeeze_increment_mmhg * squeeze
            + 1.5 * libm::sin(2.0 * PI * 0.25 * t)
            + 0.3 * sensor.gaussian();
    }

    let artifacts = crate::artifact::apply(
        &config.artifacts,
        &phases,
        &contractions,
        fs,
        config.seed,
        [&mut pelvic, &mut abdominal, &mut anal],
    );

    let phases: Vec<PhaseTruth> = phases
        .into_iter()
        .filter(|ph| ph.start_s < duration)
        .collect();
    let contractions: Vec<TruthContraction> = contractions
        .into_iter()
        .filter(|c| c.offset_s <= duration)
        .collect();
    let markers = phases
        .iter()
        .map(|ph| Marker {
            time_s: ph.start_s,
            label: ph.name.clone(),
        })
        .collect();
    let (profile_flags, pattern) = config.profile.expected();
    let mut flags: Vec<String> = profile_flags.iter().map(|s| s.to_string()).collect();
    for a in &config.artifacts {
        if !flags.iter().any(|f| f == a.flag()) {
            flags.push(a.flag().into());
        }
    }
    let channel = |name: &str, unit| ChannelInfo {
        name: name.into(),
        unit,
        rate_hz: fs,
    };
    Ok(Session {
        recording: Recording {
            channels: vec![
                channel("pelvic", Unit::Microvolt),
                channel("abdominal", Unit::Microvolt),
                channel("anal", Unit::MmHg),
            ],
            samples: vec![pelvic, abdominal, anal],
            markers,
        },
        truth: Truth {
            profile: config.profile.name().into(),
            protocol: script.name.into(),
            seed: config.seed,
            rate_hz: fs,
            duration_s: n as f64 / fs,
            phases,
            contractions,
            artifacts,
            expected: ExpectedFindings {
                flags,
                pattern: pattern.into(),
            },
            levels: Levels {
                pelvic_rest_uv: p.rest_uv,
                pelvic_mvc_uv: p.mvc_uv,
                abdominal_rest_uv: p.abdominal_rest_uv,
                pressure_rest_mmhg: p.pressure_rest_mmhg,
                squeeze_increment_mmhg: p.squeeze_increment_mmhg,
            },
        },
    })
}

/// Sample index of time `t`, clamped to `0..=n`.
pub(crate) fn index(t: f64, fs: f64, n: usize) -> usize {
    (libm::round(t.max(0.0) * fs) as usize).min(n)
}
