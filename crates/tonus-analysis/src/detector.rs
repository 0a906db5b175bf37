//! Contraction onset and offset on one EMG channel's RMS envelope, taken every 10 ms.
//!
//! Rest is calibrated over the pre-baseline phase, robustly: the median of the envelope and 1.4826 ×
//! its median absolute deviation, after trimming values above median + 3 SD (a cough, or contractions
//! in the first seconds of a file without markers, would otherwise inflate a mean and SD). Afterwards a local
//! rest level follows the envelope down quickly and up slowly, so a rising baseline or the residual
//! tension after a hold neither hides the next contraction nor counts as one. A contraction starts
//! when the envelope rises `Δ = max(k·SD, min_rise·rest, min_rise_uv)` above the higher of the local and the
//! calibrated rest (so coming back up after relaxing below rest is not a contraction); it ends once the
//! envelope has stayed for `min_rest_s` below `rest + offset_fraction·Δ` or below 40 % of the
//! contraction's mean rise, whichever is higher (brief dips inside a long hold do not split it). It
//! must last `min_active_s`. The onset is first traced back to where the envelope left the rest
//! band (rest + Δ/4) — a high threshold crosses late in a slow rise — using the last second of the
//! envelope kept in a fixed ring, shifted back by half the RMS window, the envelope's own delay.
//! Once the contraction is confirmed, the start of its rise is fitted to the EMG power of the
//! 10 ms steps kept beside the envelope ([`crate::onset_fit`]); that fit is the onset when the
//! rise shows clearly.

use crate::config::AnalysisConfig;
use crate::onset_fit::Rise;

/// What the session expects of the person at a moment; the onset threshold follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Nothing in particular (a recording without phases, a contraction phase between its cues):
    /// a contraction must rise Δ.
    Either,
    /// A contraction was just cued: Δ/2 (a rise right at a cue is expected, and a sub-maximal hold
    /// over a high, unstable rest rises little more than the rest fluctuates).
    Contraction,
    /// A rest phase (`pre_baseline`, `post_baseline`, a set's rest, down-training): 2Δ. The person
    /// was asked to rest; what an unstable, overactive rest does there (its swings, raised by the
    /// exercises after them) is resting tone, measured as such, not a contraction \[design\].
    Rest,
}

impl Expect {
    /// The onset rise for this expectation, given the detector's Δ.
    fn rise(self, delta: f64) -> f64 {
        match self {
            Expect::Either => delta,
            Expect::Contraction => 0.5 * delta,
            Expect::Rest => 2.0 * delta,
        }
    }
}

/// A detected contraction, in samples of its channel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detected {
    /// Onset sample.
    pub onset: u64,
    /// Sample of the envelope's maximum.
    pub peak_at: u64,
    /// Offset sample.
    pub offset: u64,
    /// Envelope maximum.
    pub peak: f64,
    /// Envelope mean over onset..offset.
    pub mean: f64,
    /// Local rest level when it started.
    pub rest: f64,
}

#[derive(Debug, Clone, Copy)]
enum State {
    /// Collecting rest statistics.
    Calibrating,
    /// Waiting for an onset.
    Rest,
    /// Above the onset threshold, not yet confirmed.
    Candidate { since: u64 },
    /// In a contraction; `below` is when the envelope last went under the offset level.
    Active { below: Option<u64> },
}

/// Streaming detector for one channel.
#[derive(Debug, Clone)]
pub struct Detector {
    config: AnalysisConfig,
    rate: f64,
    lag: u64,
    state: State,
    n: u64,
    /// Calibration envelope at 10 ms steps (capacity fixed at construction: 120 s).
    cal: Vec<f64>,
    rest_mean: f64,
    rest_sd: f64,
    delta: f64,
    local: f64,
    up: f64,
    down: f64,
    last_offset: Option<u64>,
    /// After a contraction, until this sample, a new one must rise above `residual_level`.
    residual_until: u64,
    /// Rest plus `RESIDUAL_FRACTION` of the last contraction's rise.
    residual_level: f64,
    current: Detected,
    sum: f64,
    count: f64,
    /// The onset rise the current contraction started with (Δ, or Δ/2 at a cue).
    started_delta: f64,
    /// The last second of the envelope at 10 ms steps (fixed size: no allocation while running).
    ring: [f64; RING],
    /// The mean square of the filtered signal over each step, in step with `ring`.
    power: [f64; RING],
    ring_pos: usize,
    ring_filled: usize,
    step: u64,
}

/// For this long after a contraction ends (prolonged while activity lingers above the onset
/// threshold), a new contraction must rise above `RESIDUAL_FRACTION` of the last one's rise:
/// smaller activity there is what is left of the release (it feeds `incomplete_relaxation`), not a
/// new effort. Quick flicks 1 s apart, each near the last one's size, are unaffected \[design\].
const RESIDUAL_S: f64 = 2.0;
/// See [`RESIDUAL_S`].
const RESIDUAL_FRACTION: f64 = 0.3;

/// The onset fit moves the back-traced onset later by at most this, s \[design\].
const PRE_ACTIVITY_S: f64 = 0.2;

/// Entries of the onset back-tracking ring (1.28 s at 10 ms).
const RING: usize = 128;
/// Calibration values kept (120 s at 10 ms); later ones are ignored.
const CAL_CAPACITY: usize = 12_000;

/// Median and 1.4826 × median absolute deviation (the SD of a normal distribution).
fn robust(v: &mut [f64]) -> (f64, f64) {
    let m = median(v);
    let mut dev: Vec<f64> = v.iter().map(|x| (x - m).abs()).collect();
    (m, 1.4826 * median(&mut dev))
}

/// Median of a slice (sorted in place).
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

impl Detector {
    /// A detector for a channel at `rate` Hz whose envelope window is `window` samples.
    pub fn new(config: AnalysisConfig, rate: f64, window: usize) -> Self {
        let step = ((rate / 100.0).round() as u64).max(1);
        Self {
            config,
            rate,
            lag: (window / 2) as u64,
            state: State::Calibrating,
            n: 0,
            cal: Vec::with_capacity(CAL_CAPACITY),
            rest_mean: 0.0,
            rest_sd: 0.0,
            delta: 0.0,
            local: 0.0,
            // Per value taken, i.e. per step.
            up: 1.0 - (-(step as f64) / (config.baseline_follow_s * rate)).exp(),
            down: 1.0 - (-(step as f64) / (0.3 * rate)).exp(),
            last_offset: None,
            residual_until: 0,
            residual_level: 0.0,
            current: Detected {
                onset: 0,
                peak_at: 0,
                offset: 0,
                peak: 0.0,
                mean: 0.0,
                rest: 0.0,
            },
            sum: 0.0,
            count: 0.0,
            started_delta: 0.0,
            ring: [0.0; RING],
            power: [0.0; RING],
            ring_pos: 0,
            ring_filled: 0,
            step,
        }
    }

    /// Sets the rest level (mean, SD): the onset rise Δ follows from it and detection starts. The
    /// detector's own calibration ends here, and so does batch analysis of a recording without a
    /// `pre_baseline` phase (rest from [`Detector::quiet_rest`]).
    pub fn preset_rest(&mut self, mean: f64, sd: f64) {
        self.rest_mean = mean;
        self.rest_sd = sd;
        self.delta = (self.config.onset_k * sd)
            .max(self.config.onset_min_rise * mean)
            .max(self.config.onset_min_rise_uv);
        self.local = mean;
        self.state = State::Rest;
    }

    /// Rest of a recording without a rest phase, from envelope values taken `per_second` a
    /// second: the quietest quarter of its 1 s blocks (by block median), pooled, then
    /// [`Detector::robust_rest`]; `None` with fewer than two values. The whole envelope's median
    /// would land between rest and contraction when contractions fill half the recording (as in
    /// repeated-contraction recordings) and hide the weaker ones; assuming only that at least a
    /// quarter of it is rest, the quietest quarter is rest. Its median sits slightly below the rest
    /// mean (the lower blocks of a fluctuating rest); the onset threshold's margin covers that.
    pub fn quiet_rest(values: &[f64], per_second: usize) -> Option<(f64, f64)> {
        let mut blocks: Vec<(f64, &[f64])> = values
            .chunks(per_second.max(1))
            .map(|b| (median(&mut b.to_vec()), b))
            .collect();
        blocks.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut pooled: Vec<f64> = blocks[..blocks.len().div_ceil(4)]
            .iter()
            .flat_map(|(_, b)| b.iter().copied())
            .collect();
        (pooled.len() >= 2).then(|| Self::robust_rest(&mut pooled))
    }

    /// Rest level (median) and robust SD of envelope values, trimming what lies above median + 3 SD
    /// (contractions) up to three times.
    pub fn robust_rest(values: &mut Vec<f64>) -> (f64, f64) {
        let (mut m, mut sd) = (0.0, 0.0);
        for _ in 0..3 {
            (m, sd) = robust(values);
            let before = values.len();
            values.retain(|v| *v <= m + 3.0 * sd.max(1e-12));
            if values.len() == before || values.len() < 2 {
                break;
            }
        }
        (m, sd)
    }

    /// Rest mean and SD, once calibrated.
    pub fn rest(&self) -> Option<(f64, f64)> {
        match self.state {
            State::Calibrating => None,
            _ => Some((self.rest_mean, self.rest_sd)),
        }
    }

    /// The onset sample of the contraction in progress, once confirmed (it has lasted
    /// `min_active_s`); `None` at rest, while calibrating and for an unconfirmed candidate.
    pub fn active_onset(&self) -> Option<u64> {
        match self.state {
            State::Active { .. } => Some(self.current.onset),
            _ => None,
        }
    }

    /// The envelope level a contraction must rise above now (outside a cue window), once
    /// calibrated.
    pub fn threshold(&self) -> Option<f64> {
        match self.state {
            State::Calibrating => None,
            _ => Some(self.local.max(self.rest_mean) + self.delta),
        }
    }

    /// Samples between two envelope values the detector takes (10 ms: the 100 ms RMS envelope
    /// moves little in between, and deciding at 100 Hz costs a twentieth of deciding per sample at
    /// 2 kHz).
    pub fn step(&self) -> u64 {
        self.step
    }

    /// Takes the envelope value of every [`Detector::step`]-th sample, starting with the first,
    /// and `power`, the mean square of the filtered signal over the step it ends (the samples
    /// after the previous value up to this one). `calibrating` says whether this sample belongs to
    /// the calibration window (the first sample outside it ends calibration); `expect` what the
    /// session expects now (the onset threshold follows it: [`Expect`]). Returns a contraction
    /// when one ends.
    pub fn push(
        &mut self,
        env: f64,
        power: f64,
        calibrating: bool,
        expect: Expect,
    ) -> Option<Detected> {
        let i = self.n;
        self.n += self.step;
        self.ring[self.ring_pos] = env;
        self.power[self.ring_pos] = power;
        self.ring_pos = (self.ring_pos + 1) % RING;
        self.ring_filled = (self.ring_filled + 1).min(RING);
        match self.state {
            State::Calibrating => {
                if calibrating {
                    if self.cal.len() < CAL_CAPACITY {
                        self.cal.push(env);
                    }
                    return None;
                }
                if self.cal.len() < 2 {
                    return None; // nothing to calibrate on yet
                }
                let (m, sd) = Self::robust_rest(&mut self.cal);
                self.preset_rest(m, sd);
                None
            }
            State::Rest => {
                let rested = self
                    .last_offset
                    .is_none_or(|o| (i - o) as f64 >= self.config.min_rest_s * self.rate);
                let delta = expect.rise(self.delta);
                let mut threshold = self.local.max(self.rest_mean) + delta;
                if i < self.residual_until {
                    if env > threshold {
                        // Activity lingers after the release: the residual span goes on.
                        self.residual_until = self.residual_until.max(i + self.rate as u64);
                    }
                    threshold = threshold.max(self.residual_level);
                }
                if rested && env > threshold {
                    self.state = State::Candidate { since: i };
                    self.started_delta = delta;
                    self.start(i, env);
                } else {
                    self.follow(env);
                }
                None
            }
            State::Candidate { since } => {
                self.track(i, env);
                if env < self.off_level() {
                    self.state = State::Rest; // too short: not a contraction
                    self.follow(env);
                } else if (i - since) as f64 >= self.config.min_active_s * self.rate {
                    self.state = State::Active { below: None };
                    self.fit_onset(i, since);
                }
                None
            }
            State::Active { below } => {
                if env >= self.off_level() {
                    self.track(i, env);
                    self.state = State::Active { below: None };
                    return None;
                }
                let since = below.unwrap_or(i);
                if ((i - since) as f64) < self.config.min_rest_s * self.rate {
                    self.state = State::Active { below: Some(since) };
                    return None;
                }
                self.state = State::Rest;
                self.last_offset = Some(i);
                // Residual tension: rest resumes from where the envelope is now.
                self.local = self.local.max(env);
                let rest = self.current.rest.max(self.rest_mean);
                self.residual_level = rest + RESIDUAL_FRACTION * (self.current.peak - rest);
                self.residual_until = i + (RESIDUAL_S * self.rate) as u64;
                let mut done = self.current;
                done.offset = since.saturating_sub(self.lag);
                done.mean = self.sum / self.count.max(1.0);
                Some(done)
            }
        }
    }

    fn follow(&mut self, env: f64) {
        let rate = if env < self.local { self.down } else { self.up };
        self.local += (env - self.local) * rate;
    }

    fn start(&mut self, i: u64, env: f64) {
        // Walk back through the ring while the envelope was still above the rest band.
        let band = self.local.max(self.rest_mean) + 0.25 * self.delta;
        let mut back = 0u64;
        for k in 1..self.ring_filled {
            let v = self.ring[(self.ring_pos + RING - 1 - k) % RING];
            if v <= band {
                break;
            }
            back = k as u64 * self.step;
        }
        let onset = i.saturating_sub(back).saturating_sub(self.lag);
        self.current = Detected {
            onset,
            peak_at: i.saturating_sub(self.lag),
            offset: 0,
            peak: env,
            mean: 0.0,
            rest: self.local.max(self.rest_mean),
        };
        self.sum = env;
        self.count = 1.0;
    }

    /// Once a contraction is confirmed (at sample `i`; the envelope crossed the threshold at
    /// `since`), its onset fitted to the start of its rise in the blocks' power
    /// ([`crate::onset_fit`]), never after the crossing; the back-traced onset stays when no rise
    /// shows; it moves the back-traced onset later by at most 0.2 s (activity above the rest band
    /// before the main rise belongs to the contraction).
    fn fit_onset(&mut self, i: u64, since: u64) {
        let mut power = [0.0; RING];
        let n = self.ring_filled;
        for (k, p) in power[..n].iter_mut().enumerate() {
            *p = self.power[(self.ring_pos + RING - n + k) % RING];
        }
        let step = self.step as f64;
        let rise = Rise {
            power: &power[..n],
            // The newest block ends at sample `i`.
            first_centre: i as f64 - (n as f64 - 1.0) * step - (step - 1.0) / 2.0,
            step,
            rate: self.rate,
            rest: self.current.rest,
            peak: self.current.peak,
            anchor: self.current.onset as f64,
        };
        // The fit finds where the main rise began; activity above the rest band before it (the
        // back-traced stretch) is part of the contraction too, so the fit moves the onset later
        // than the back-traced one by at most PRE_ACTIVITY_S.
        if let Some(t0) = rise.onset() {
            let latest = self.current.onset + (PRE_ACTIVITY_S * self.rate) as u64;
            self.current.onset = (t0.round().max(0.0) as u64).min(since).min(latest);
        }
    }

    fn track(&mut self, i: u64, env: f64) {
        if env > self.current.peak {
            self.current.peak = env;
            self.current.peak_at = i.saturating_sub(self.lag);
        }
        self.sum += env;
        self.count += 1.0;
    }

    fn off_level(&self) -> f64 {
        let rest = self.current.rest.max(self.rest_mean);
        let mean = self.sum / self.count.max(1.0);
        (rest + self.config.offset_fraction * self.started_delta).max(rest + 0.4 * (mean - rest))
    }
}
