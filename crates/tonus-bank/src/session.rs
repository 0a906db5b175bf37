//! One bank session: a person performing a built-in protocol, recorded by a device with a given
//! gain and rate (EMG at that rate, anal pressure at 100 Hz), phases marked as a live session
//! marks them.
//!
//! The model, per EMG channel: amplitude `a(t)` (µV RMS) times unit-RMS EMG noise. Rest is the
//! person's level times a log-normal Ornstein–Uhlenbeck fluctuation; an effort drives a first-order
//! activation (rise and release time constants) towards its target; overactive residual activity
//! decays after each effort; bearing down moves the pelvic level by the push factor and raises the
//! abdominal one. Pressure follows the pelvic activation (squeeze) and bearing down.

use core::f64::consts::PI;

use tonus_analysis::{PhaseKind, Protocol};
use tonus_core::{ChannelInfo, Marker, Recording, Unit};

use crate::artifact::{hann, ricker, Artifact};
use crate::noise::{EmgNoise, Ou, Rng};
use crate::person::{Person, Profile, Severity};

/// Rate of the pressure channel, Hz.
pub const PRESSURE_HZ: f64 = 100.0;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The person's pattern.
    pub profile: Profile,
    /// How pronounced.
    pub severity: Severity,
    /// Seed of every random stream.
    pub seed: u64,
    /// Device gain: every EMG value is multiplied by it.
    pub gain: f64,
    /// EMG sample rate, Hz.
    pub rate_hz: f64,
    /// Built-in protocol name.
    pub protocol: &'static str,
    /// Artifacts in the pre-baseline rest.
    pub artifacts: Vec<Artifact>,
}

impl Case {
    /// A one-line name: `overactive/moderate glazer-mini 2000 Hz ×0.3 seed 7`.
    pub fn label(&self) -> String {
        let mut s = format!(
            "{}/{} {} {} Hz x{} seed {}",
            self.profile.name(),
            self.severity.name(),
            self.protocol,
            self.rate_hz,
            self.gain,
            self.seed
        );
        for a in &self.artifacts {
            s.push(' ');
            s.push_str(a.code());
        }
        s
    }
}

/// A generated session.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Pelvic EMG (µV), abdominal EMG (µV), anal pressure (mmHg, 100 Hz), phase markers.
    pub recording: Recording,
    /// The person drawn.
    pub person: Person,
    /// Where each span artifact was put (kind, start s, end s).
    pub artifact_spans: Vec<(Artifact, f64, f64)>,
}

/// An effort on the timeline.
#[derive(Debug, Clone, Copy)]
struct Effort {
    start: f64,
    end: f64,
    /// Target activation (1: the person's MVC), or the push level for a push.
    level: f64,
    push: bool,
    /// Repetition within its set (the baseline steps with it).
    rep: usize,
    endurance: bool,
}

/// Where the phases of `protocol` start, and the efforts the person makes.
fn timeline(protocol: &Protocol, person: &Person, rng: &mut Rng) -> (Vec<Marker>, Vec<Effort>) {
    let markers = protocol.markers();
    let mut efforts = Vec::new();
    for (ph, m) in protocol.phases.iter().zip(&markers) {
        let push = ph.kind == PhaseKind::Push;
        if !(push || ph.kind == PhaseKind::Contractions) {
            continue;
        }
        let (on, off) = (ph.on_s.unwrap_or(0.0), ph.off_s.unwrap_or(0.0));
        for rep in 0..ph.reps.unwrap_or(0) {
            let start =
                m.time_s + rep as f64 * (on + off) + person.reaction_s * rng.between(0.8, 1.2);
            efforts.push(Effort {
                start,
                end: start + on,
                level: ph.level_pct_mvc.unwrap_or(100.0) / 100.0 * rng.between(0.93, 1.03),
                push,
                rep,
                endurance: ph.name == "endurance",
            });
        }
    }
    (markers, efforts)
}

/// Generates `case`, with a person drawn for its profile and severity.
///
/// # Panics
/// When `case.protocol` is not a built-in protocol (the bank only names built-ins).
pub fn generate(case: &Case) -> Generated {
    let mut rng = case_rng(case);
    let person = Person::draw(case.profile, case.severity, &mut rng);
    generate_from(case, person, &mut rng)
}

/// Generates `case` for a given `person` (the named cases: a person with exactly these
/// numbers); `case.profile` and `case.severity` only seed the random streams.
///
/// # Panics
/// As [`generate`].
pub fn generate_with(case: &Case, person: Person) -> Generated {
    let mut rng = case_rng(case);
    generate_from(case, person, &mut rng)
}

fn case_rng(case: &Case) -> Rng {
    Rng::new(case.seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ case.profile as u64)
}

fn generate_from(case: &Case, person: Person, rng: &mut Rng) -> Generated {
    let protocol = Protocol::load(case.protocol).expect("the bank names built-in protocols");
    let (markers, efforts) = timeline(&protocol, &person, rng);
    let duration = protocol
        .phases
        .iter()
        .map(Protocol::phase_seconds)
        .sum::<f64>();
    let pre_end = markers.get(1).map_or(duration, |m| m.time_s);
    let post_start = markers
        .iter()
        .find(|m| m.label == "post_baseline")
        .map_or(f64::INFINITY, |m| m.time_s);
    let fs = case.rate_hz;
    let n = (duration * fs).round() as usize;
    let dt = 1.0 / fs;
    let decim = (fs / PRESSURE_HZ).round() as usize;

    let mut rest_ou = Ou::new(person.rest_tau_s, dt, rng);
    let mut abd_ou = Ou::new(1.5, dt, rng);
    let mut hold_ou = Ou::new(0.4, dt, rng);
    let mut pelvic_noise = EmgNoise::new(fs);
    let mut abd_noise = EmgNoise::new(fs);
    let (r, ra) = (person.rest_uv, person.abdominal_rest_uv);
    let rise_uv = person.mvc_over_rest * r;
    let sigma = person.rest_cv;
    let (mut y, mut y_push) = (0.0f64, 0.0f64);
    let mut residual = 0.0f64;
    let mut pelvic = Vec::with_capacity(n);
    let mut abdominal = Vec::with_capacity(n);
    let mut pressure = Vec::with_capacity(n / decim + 1);
    let mut next_effort = 0;
    let mut active: Option<Effort> = None;
    let mut last_rep = 0usize;
    let k_rise = 1.0 - (-dt / person.rise_tau_s).exp();
    let k_release = 1.0 - (-dt / person.release_tau_s).exp();
    let k_push = 1.0 - (-dt / 0.3).exp();
    let k_residual = (-dt / person.residual_tau_s).exp();
    let breath_phase = rng.between(0.0, 2.0 * PI);
    for i in 0..n {
        let t = i as f64 * dt;
        if active.is_some_and(|e| t >= e.end) {
            let e = active.take().expect("checked");
            if !e.push {
                residual += person.residual * r * ((e.end - e.start) / 4.0).min(1.0);
            }
        }
        if active.is_none() && next_effort < efforts.len() && t >= efforts[next_effort].start {
            active = Some(efforts[next_effort]);
            last_rep = efforts[next_effort].rep;
            next_effort += 1;
        }
        // Target activation (contraction) and push level.
        let (mut target, mut push_target) = (0.0, 0.0);
        if let Some(e) = active {
            if e.push {
                push_target = 1.0;
            } else {
                let into = (t - e.start) / (e.end - e.start);
                let fatigue = if e.endurance {
                    person.endurance_decline * into
                } else {
                    0.0
                };
                target = e.level * (1.0 - fatigue) * (1.0 + 0.05 * hold_ou.next(rng));
            }
        }
        y += (target - y) * if target > y { k_rise } else { k_release };
        y_push += (push_target - y_push) * k_push;
        residual *= k_residual;
        // Rest: builds with the repetitions of a set, moves after the exercises.
        let in_set = t >= pre_end && t < post_start;
        let step = if in_set {
            1.0 + person.baseline_step * last_rep as f64
        } else {
            1.0
        };
        let phase_rest = if t >= post_start {
            person.post_rest_factor
        } else {
            step
        };
        let fluct = (sigma * rest_ou.next(rng) - sigma * sigma / 2.0).exp();
        let rest_now = r * phase_rest * fluct;
        let push_delta = (person.push_factor - 1.0) * rest_now * y_push;
        let a_pelvic = (rest_now + rise_uv * y + residual + push_delta).max(0.1 * r);
        let a_abd = ra * (0.05 * abd_ou.next(rng)).exp()
            + person.abdominal_coupling * ra * y
            + ra * (person.abdominal_push - 1.0) * y_push;
        pelvic.push(case.gain * a_pelvic * pelvic_noise.next(rng));
        abdominal.push(case.gain * a_abd * abd_noise.next(rng));
        if i % decim == 0 {
            let p = person.pressure_rest_mmhg * (1.0 + person.push_pressure_change * y_push)
                + person.squeeze_mmhg * y
                + 1.0 * (2.0 * PI * 0.25 * t + breath_phase).sin()
                + 0.3 * rng.normal();
            pressure.push(p);
        }
    }
    let mut generated = Generated {
        recording: Recording {
            channels: vec![
                ChannelInfo {
                    name: "pelvic".into(),
                    unit: Unit::Microvolt,
                    rate_hz: fs,
                },
                ChannelInfo {
                    name: "abdominal".into(),
                    unit: Unit::Microvolt,
                    rate_hz: fs,
                },
                ChannelInfo {
                    name: "anal".into(),
                    unit: Unit::MmHg,
                    rate_hz: PRESSURE_HZ,
                },
            ],
            samples: vec![pelvic, abdominal, pressure],
            markers,
        },
        person,
        artifact_spans: Vec::new(),
    };
    add_artifacts(&mut generated, case, pre_end, rng);
    generated
}

/// Puts `case.artifacts` into the pre-baseline rest (which ends at `pre_end`), one after another
/// from 2 s in, each in its own stretch.
fn add_artifacts(g: &mut Generated, case: &Case, pre_end: f64, rng: &mut Rng) {
    let fs = case.rate_hz;
    let (r, ra, gain) = (g.person.rest_uv, g.person.abdominal_rest_uv, case.gain);
    let spans: Vec<Artifact> = case
        .artifacts
        .iter()
        .copied()
        .filter(|a| a.is_span())
        .collect();
    let room = (pre_end - 3.0).max(1.0) / spans.len().max(1) as f64;
    let rail = 2000.0 * gain;
    let mut at = 2.0;
    for &kind in &case.artifacts {
        let [pelvic, abdominal, pressure] = &mut g.recording.samples[..] else {
            unreachable!("three channels")
        };
        let start = at + rng.between(0.0, (room - 2.2).max(0.0));
        let mut span = |len: f64| {
            g.artifact_spans.push((kind, start, start + len));
            let (a, b) = (
                (start * fs) as usize,
                (((start + len) * fs) as usize).min(pelvic.len()),
            );
            a..b
        };
        match kind {
            Artifact::Cough => {
                let range = span(0.6);
                let centre = start + 0.3;
                let mut burst = EmgNoise::new(fs);
                for i in range {
                    let w = 12.0 * gain * (-((i as f64 / fs - centre) / 0.12).powi(2) / 2.0).exp();
                    pelvic[i] += w * r * burst.next(rng);
                    abdominal[i] += w * ra * burst.next(rng);
                }
                for (k, p) in pressure.iter_mut().enumerate() {
                    let tp = k as f64 / PRESSURE_HZ;
                    *p += 180.0 * (-((tp - centre) / 0.12).powi(2) / 2.0).exp();
                }
            }
            Artifact::Saturation => {
                for i in span(1.0) {
                    pelvic[i] = if pelvic[i] >= 0.0 { rail } else { -rail };
                }
            }
            Artifact::Motion => {
                for i in span(1.5) {
                    let tt = i as f64 / fs - start;
                    let wave = 40.0 * r * gain * hann(tt, 1.5) * (2.0 * PI * 3.0 * tt).sin();
                    pelvic[i] += wave;
                    abdominal[i] += wave * ra / r;
                }
            }
            Artifact::ElectrodeOff => {
                for i in span(2.0) {
                    pelvic[i] = gain * (300.0 + 0.05 * r * rng.normal());
                }
            }
            Artifact::Mains => {
                let f = if case.seed.is_multiple_of(2) {
                    50.0
                } else {
                    60.0
                };
                let amp = 8.0 * r * gain;
                for ch in [&mut *pelvic, &mut *abdominal] {
                    for (i, x) in ch.iter_mut().enumerate() {
                        let tt = i as f64 / fs;
                        *x += amp
                            * ((2.0 * PI * f * tt).sin() + 0.3 * (2.0 * PI * 3.0 * f * tt).sin());
                    }
                }
            }
            Artifact::Ecg => {
                let period = 60.0 / rng.between(60.0, 85.0);
                let amp = 25.0 * ra * gain;
                for (i, x) in abdominal.iter_mut().enumerate() {
                    let tt = i as f64 / fs;
                    let beat = (tt / period).round() * period;
                    *x += amp * ricker(tt - beat, 0.008);
                }
            }
        }
        if kind.is_span() {
            at += room;
        }
    }
    for ch in &mut g.recording.samples[..2] {
        for x in ch.iter_mut() {
            *x = x.clamp(-rail, rail);
        }
    }
}
