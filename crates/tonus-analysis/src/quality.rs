//! Signal quality: the artifacts of CLINICAL.md §7, found so they can be tagged and kept out of the
//! rest and MVC statistics.
//!
//! Streaming (per EMG channel, allocation only when a span closes): runs of identical raw samples at
//! the channel's extremes (ADC rails: `saturation`; identical values at low level are quantisation), the level between 1 and 10 Hz (movement: `motion_artifact`), and the
//! first seconds of raw signal for a spectrum (`mains_interference`). From the 10 Hz histories, as
//! they go by once the rest is known ([`crate::streams`]): flatlines (`electrode_off`), movement,
//! synchronous spikes on pressure and EMG (`cough_artifact`); from the calibration span, a periodic
//! abdominal envelope (`ecg_contamination`); `gap:N` markers give `signal_gap`.

use tonus_core::FlagCode;
use tonus_dsp::{butterworth, Band, Sos, SosState, WelchPlan};

use crate::engine::Engine;
use crate::runs::{Run, Runs};
use crate::streams::Streams;
use crate::track::Track;

/// Seconds of raw EMG kept for the mains spectrum.
pub(crate) const MAINS_S: f64 = 4.0;

/// Streaming quality state of one EMG channel.
#[derive(Debug, Clone)]
pub(crate) struct QualityState {
    last: f64,
    run: u64,
    run_start: u64,
    /// (first, last) sample and |value| of every run of ≥ 3 identical samples near the largest |x|
    /// seen so far; [`QualityState::finish`] keeps those at the channel's final extremes.
    pub(crate) saturated: Vec<(u64, u64)>,
    saturated_level: Vec<f64>,
    /// Largest |x| seen.
    peak: f64,
    /// The 1–10 Hz band, designed at the decimated rate.
    lowpass: Sos,
    lowpass_state: SosState,
    /// Raw samples averaged into one decimated sample (a divisor of `per_history`), the running
    /// sum and count.
    decim: u64,
    dec_acc: f64,
    dec_n: u64,
    lf_acc: f64,
    lf_n: u64,
    per_history: u64,
    /// Mean |x| in the 1–10 Hz band per 0.1 s.
    pub(crate) lf_history: Track,
    /// The first MAINS_S seconds of raw samples.
    pub(crate) raw_start: Vec<f64>,
    n: u64,
    /// The current second of raw samples (fixed capacity), its spectrum plan and density buffer.
    second: Vec<f64>,
    plan: Option<WelchPlan>,
    density: Vec<f64>,
    /// Median frequency of each whole second, Hz (fatigue shifts it down; CLINICAL.md §3).
    pub(crate) median_hz: Track,
}

impl QualityState {
    pub(crate) fn new(rate: f64, per_history: u64) -> Option<Self> {
        // Movement shakes the electrodes at a few hertz (CLINICAL.md §7: energy below 10–20 Hz);
        // the band starts at 1 Hz so that a DC offset or slow electrode drift, which the EMG
        // band-pass removes anyway, is not taken for movement. A 10 Hz band needs no more than
        // 200 samples a second: raw samples are averaged in groups (whose first null lands on the
        // decimated rate, where aliases would come from) and the band filtered at that rate.
        let decim = (1..=((rate / 200.0).floor() as u64).max(1))
            .rev()
            .find(|d| per_history.is_multiple_of(*d))
            .unwrap_or(1);
        let lowpass = butterworth(
            2,
            Band::BandPass {
                low_hz: 1.0,
                high_hz: 10.0,
            },
            rate / decim as f64,
        )
        .ok()?;
        let lowpass_state = lowpass.new_state();
        Some(Self {
            last: f64::NAN,
            run: 0,
            run_start: 0,
            saturated: Vec::new(),
            saturated_level: Vec::new(),
            peak: 0.0,
            lowpass,
            lowpass_state,
            decim,
            dec_acc: 0.0,
            dec_n: 0,
            lf_acc: 0.0,
            lf_n: 0,
            per_history,
            lf_history: Track::default(),
            raw_start: Vec::with_capacity((MAINS_S * rate) as usize),
            n: 0,
            second: Vec::with_capacity(rate as usize),
            plan: WelchPlan::new(256.min(rate as usize), rate).ok(),
            density: vec![0.0; 129],
            median_hz: Track::default(),
        })
    }

    /// Reserves the per-0.1 s and per-second tracks for `n` values of 0.1 s.
    pub(crate) fn reserve(&mut self, n: usize) {
        self.lf_history.reserve(n);
        self.median_hz.reserve(n / 10 + 1);
    }

    /// Runs the movement band over `xs` (raw samples in analysis units, before the recording's
    /// first) to settle it; nothing is counted or kept (see [`crate::Engine::prime`]). End with
    /// [`QualityState::primed`].
    pub(crate) fn prime(&mut self, xs: &[f64]) {
        for &x in xs {
            self.movement(x);
        }
    }

    /// Adds `x` to the decimation group; when the group is complete, its mean through the movement
    /// band.
    #[inline]
    fn movement(&mut self, x: f64) -> Option<f64> {
        self.dec_acc += x;
        self.dec_n += 1;
        if self.dec_n < self.decim {
            return None;
        }
        let v = self.dec_acc / self.decim as f64;
        self.dec_acc = 0.0;
        self.dec_n = 0;
        Some(self.lowpass.process_sample(&mut self.lowpass_state, v))
    }

    /// Priming done: the recording's first sample starts a new decimation group.
    pub(crate) fn primed(&mut self) {
        self.dec_acc = 0.0;
        self.dec_n = 0;
    }

    /// Takes a block of raw samples (any length; results do not depend on how samples are cut).
    pub(crate) fn push_block(&mut self, xs: &[f64]) {
        for &x in xs {
            self.push_raw(x);
            if let Some(lf) = self.movement(x) {
                self.lf_acc += lf.abs();
                self.lf_n += self.decim;
                if self.lf_n == self.per_history {
                    self.lf_history
                        .push(self.lf_acc * self.decim as f64 / self.lf_n as f64);
                    self.lf_acc = 0.0;
                    self.lf_n = 0;
                }
            }
        }
    }

    /// One raw sample's bookkeeping: rail runs, the mains head, the median-frequency second.
    fn push_raw(&mut self, x: f64) {
        let i = self.n;
        self.n += 1;
        self.peak = self.peak.max(x.abs());
        if x == self.last && x != 0.0 {
            self.run += 1;
        } else {
            self.close_run();
            self.run = 1;
            self.run_start = i;
            self.last = x;
        }
        if self.raw_start.len() < self.raw_start.capacity() {
            self.raw_start.push(x);
        }
        self.second.push(x);
        if self.second.len() == self.second.capacity() {
            if let Some(plan) = &mut self.plan {
                let bins = plan.bins().min(self.density.len());
                plan.psd(&self.second, &mut self.density[..bins]);
                let total: f64 = self.density[..bins].iter().sum();
                let mut acc = 0.0;
                let k = self.density[..bins].iter().position(|p| {
                    acc += p;
                    acc >= total / 2.0
                });
                self.median_hz.push(k.map_or(0.0, |k| plan.frequency(k)));
            }
            self.second.clear();
        }
    }

    #[inline]
    fn close_run(&mut self) {
        if self.run >= 3 {
            self.close_long_run();
        }
    }

    fn close_long_run(&mut self) {
        let level = self.last.abs();
        if level >= 0.95 * self.peak {
            let end = self.run_start + self.run - 1;
            match self.saturated.last_mut() {
                // Merge runs less than 20 samples apart into one span.
                Some(last) if self.run_start <= last.1 + 20 => last.1 = end,
                _ => {
                    self.saturated.push((self.run_start, end));
                    self.saturated_level.push(level);
                }
            }
        }
    }

    /// Ends any open run and keeps only runs at the channel's final extremes (call before reading
    /// `saturated`).
    pub(crate) fn finish(&mut self) {
        self.close_run();
        self.run = 0;
        let peak = self.peak;
        let mut keep = self.saturated_level.iter().map(|l| *l >= 0.95 * peak);
        self.saturated.retain(|_| keep.next().unwrap_or(false));
        self.saturated_level.retain(|l| *l >= 0.95 * peak);
    }
}

/// The Welch spectrum (1 Hz bins) of a channel's first seconds, for the mains checks.
pub(crate) struct HeadSpectrum {
    psd: Vec<f64>,
    bins_per_hz: f64,
    rate: f64,
}

impl HeadSpectrum {
    /// `None` when there is too little signal or the rate cannot carry mains frequencies.
    pub(crate) fn of(raw: &[f64], rate: f64) -> Option<Self> {
        let nperseg = (rate as usize).min(raw.len()); // 1 Hz resolution
        if nperseg < 64 || rate < 150.0 {
            return None;
        }
        let mut plan = WelchPlan::new(nperseg, rate).ok()?;
        let mut psd = vec![0.0; plan.bins()];
        plan.psd(raw, &mut psd);
        Some(Self {
            psd,
            bins_per_hz: nperseg as f64 / rate,
            rate,
        })
    }

    fn at(&self, f: f64) -> f64 {
        self.psd
            .get((f * self.bins_per_hz).round() as usize)
            .copied()
            .unwrap_or(0.0)
    }

    /// The largest density within 1 Hz of `f`.
    fn peak(&self, f: f64) -> f64 {
        self.at(f - 1.0).max(self.at(f)).max(self.at(f + 1.0))
    }

    /// The median density over the whole hertz of these bands.
    fn median(&self, bands: &[(f64, f64)]) -> f64 {
        let mut v: Vec<f64> = bands
            .iter()
            .flat_map(|&(a, b)| (a as usize..=b as usize).map(|f| self.at(f as f64)))
            .collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    }

    /// Power at the mains frequency (50 or 60 Hz, whichever is larger) over the median density of
    /// the neighbouring bands 30–45 and 55–70 Hz (or 40–55 and 70–85 Hz for 60 Hz): (ratio,
    /// frequency).
    pub(crate) fn mains_ratio(&self) -> Option<(f64, f64)> {
        [
            (
                50.0,
                self.median(&[(30.0, 45.0)])
                    .max(self.median(&[(55.0, 70.0)])),
            ),
            (
                60.0,
                self.median(&[(40.0, 55.0)])
                    .max(self.median(&[(70.0, 85.0)])),
            ),
        ]
        .into_iter()
        .filter(|(_, floor)| *floor > 0.0)
        .map(|(f, floor)| (self.peak(f) / floor, f))
        .max_by(|a, b| a.0.total_cmp(&b.0))
    }

    /// The multiples (2×, 3×, …) of mains frequency `f0` below Nyquist whose power stands more
    /// than 6 dB (4×) above the median of the bins 5-20 Hz to either side: hum adds at least three
    /// quarters of what is there, so a notch removes more hum than signal. Notching only these
    /// (often the odd ones, 3-5 of 19 at 2 kHz) keeps the chain short \[design\].
    pub(crate) fn hum_harmonics(&self, f0: f64) -> Vec<u32> {
        (2u32..)
            .map(|k| (k, f64::from(k) * f0))
            .take_while(|(_, h)| h + 20.0 < self.rate / 2.0)
            .filter(|&(_, h)| {
                let floor = self.median(&[(h - 20.0, h - 5.0), (h + 5.0, h + 20.0)]);
                floor > 0.0 && self.peak(h) > 4.0 * floor
            })
            .map(|(k, _)| k)
            .collect()
    }
}

/// Largest normalised autocorrelation of `h` at lags `lags` (history steps).
pub(crate) fn periodicity(h: &[f64], lags: std::ops::RangeInclusive<usize>) -> f64 {
    if h.len() < 20 {
        return 0.0;
    }
    let m = h.iter().sum::<f64>() / h.len() as f64;
    let d: Vec<f64> = h.iter().map(|v| v - m).collect();
    let var: f64 = d.iter().map(|v| v * v).sum();
    if var <= 0.0 {
        return 0.0;
    }
    lags.filter(|&l| l < d.len())
        .map(|l| d.iter().zip(&d[l..]).map(|(a, b)| a * b).sum::<f64>() / var)
        .fold(0.0, f64::max)
}

/// One artifact span found in the signals.
pub(crate) struct ArtifactSpan {
    pub(crate) code: FlagCode,
    pub(crate) start_s: f64,
    pub(crate) end_s: f64,
    /// Keep contractions and rest statistics in this span out (false for whole-recording hum/ECG).
    pub(crate) excludes: bool,
    pub(crate) value: f64,
    pub(crate) threshold: f64,
    pub(crate) ratio: f64,
    pub(crate) evidence: Vec<(&'static str, f64)>,
    pub(crate) message: String,
}

impl ArtifactSpan {
    /// Merges a nearby gap into this one: the missing samples add up (every one is declared),
    /// and the message says how many gaps the episode holds.
    fn absorb_gap(&mut self, x: &ArtifactSpan) {
        let count = |s: &ArtifactSpan, key: &str| {
            s.evidence
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(0.0, |(_, v)| *v)
        };
        let gaps = |s: &ArtifactSpan| count(s, "gaps").max(1.0);
        let missing = count(self, "missing_samples") + count(x, "missing_samples");
        let unknown = count(self, "unknown_missing_samples") + count(x, "unknown_missing_samples");
        let episodes = gaps(self) + gaps(x);
        self.value = missing;
        self.evidence = vec![("missing_samples", missing), ("gaps", episodes)];
        if unknown > 0.0 {
            self.evidence.push(("unknown_missing_samples", unknown));
        }
        self.message = format!(
            "{missing:.0} samples are missing between {:.2} s and {:.2} s ({episodes:.0} gaps, lost in transmission){}; nothing was filled in.",
            self.start_s,
            self.end_s,
            if unknown > 0.0 {
                ", and at least once the recording does not follow on, so how much is missing there is unknown"
            } else {
                ""
            }
        );
    }
}

/// A contraction starting this close before a cough run (or inside it) is the cough's own burst;
/// one that started earlier is a squeeze the run happened inside (a heartbeat or an abdominal
/// co-contraction on a squeeze meets the run's conditions too), and its pressure is what a cough
/// must exceed.
const COUGH_ONSET_S: f64 = 0.5;

impl Engine {
    /// Every artifact span, in time order, from the finished `streams` (fed to the end);
    /// `squeezes` are the pelvic contractions' (onset, peak squeeze pressure).
    pub(crate) fn artifacts(
        &self,
        streams: &Streams,
        squeezes: &[(f64, f64)],
        duration: f64,
    ) -> Vec<ArtifactSpan> {
        let mut out = Vec::new();
        let roles = self.roles();
        for (c, ch) in self.channels.iter().enumerate() {
            let Some(q) = &ch.quality else { continue };
            let fs = ch.info.rate_hz;
            let name = &ch.info.name;
            for &(a, b) in &q.saturated {
                let n = (b - a + 1) as f64;
                out.push(ArtifactSpan {
                    code: FlagCode::Saturation,
                    start_s: a as f64 / fs,
                    end_s: (b + 1) as f64 / fs,
                    excludes: true,
                    value: n,
                    threshold: 3.0,
                    ratio: n / 3.0,
                    evidence: vec![("channel", c as f64), ("samples", n)],
                    message: format!(
                        "Channel '{name}' sits at a constant rail value, which suggests ADC saturation; the span is excluded."
                    ),
                });
            }
            // Median over 1 s chunks: a cough or movement in one second does not hide the hum.
            let mut chunks: Vec<(f64, f64)> = q
                .raw_start
                .chunks(fs as usize)
                .filter_map(|c| HeadSpectrum::of(c, fs)?.mains_ratio())
                .collect();
            chunks.sort_by(|a, b| a.0.total_cmp(&b.0));
            if let Some(&(ratio, f)) = chunks.get(chunks.len() / 2) {
                if ratio > 10.0 {
                    let db = 10.0 * ratio.log10();
                    out.push(ArtifactSpan {
                        code: FlagCode::MainsInterference,
                        start_s: 0.0,
                        end_s: duration,
                        excludes: false,
                        value: db,
                        threshold: 10.0,
                        ratio: db / 10.0,
                        evidence: vec![("channel", c as f64), ("frequency_hz", f)],
                        message: format!(
                            "Channel '{name}' carries {f:.0} Hz hum {db:.0} dB above its neighbouring bands, which suggests electrical interference (check grounding; {}).",
                            if self.config.mains.is_some_and(|m| m.hz() == f) {
                                "this analysis notched it".to_string()
                            } else {
                                format!("this analysis did not notch it: a {f:.0} Hz notch removes it")
                            }
                        ),
                    });
                }
            }
            let Some((r, _)) = self.rest(c) else { continue };
            // Movement: energy at 1–10 Hz above three times the resting EMG level *and* three times
            // the EMG-band envelope at the same moment (a strong contraction also has some energy
            // at 1–10 Hz, but far less than in its own band).
            let done = |runs: &[Option<Runs>]| -> Vec<Run> {
                runs.get(c)
                    .and_then(Option::as_ref)
                    .map_or(Vec::new(), |x| x.done.clone())
            };
            for run in done(&streams.motion) {
                let level = run.mean / r;
                out.push(ArtifactSpan {
                    code: FlagCode::MotionArtifact,
                    start_s: run.start_s,
                    end_s: run.end_s,
                    excludes: true,
                    value: level,
                    threshold: 3.0,
                    ratio: level / 3.0,
                    evidence: vec![("channel", c as f64)],
                    message: format!(
                        "Channel '{name}' shows large low-frequency movement, which suggests a motion artifact; the span is excluded."
                    ),
                });
            }
            // Electrode lift-off: the EMG envelope collapses below a fifth of rest for ≥ 0.5 s.
            for run in done(&streams.flat) {
                out.push(ArtifactSpan {
                    code: FlagCode::ElectrodeOff,
                    start_s: run.start_s,
                    end_s: run.end_s,
                    excludes: true,
                    value: run.mean / r,
                    threshold: 0.2,
                    ratio: 1.5,
                    evidence: vec![("channel", c as f64)],
                    message: format!(
                        "Channel '{name}' went flat, which suggests the electrode lost contact; check the probe."
                    ),
                });
            }
        }
        // Cough: a pressure spike shorter than a second with both EMG channels bursting at once,
        // higher than the squeezes (CLINICAL.md §7: cough pressure exceeds squeeze). A spike no
        // higher than the strongest squeeze is a quick contraction with the abdomen joining in,
        // not a cough. Each spike is compared with the squeezes of the other contractions (a
        // cough's own burst is often detected as a contraction too).
        if let Some(cough) = &streams.cough {
            let prest = self.cough_rest();
            for run in &cough.done {
                // The squeezes of the other contractions: not this run's own burst.
                let squeeze = squeezes
                    .iter()
                    .filter(|(on, _)| !(*on < run.end_s && *on > run.start_s - COUGH_ONSET_S))
                    .map(|s| s.1)
                    .fold(f64::NEG_INFINITY, f64::max);
                let peak = run.max.max(0.0);
                if peak <= squeeze {
                    continue;
                }
                let mut evidence = vec![("pressure_peak", peak), ("resting_pressure", prest)];
                if squeeze.is_finite() {
                    evidence.push(("strongest_squeeze", squeeze));
                }
                out.push(ArtifactSpan {
                    code: FlagCode::CoughArtifact,
                    start_s: run.start_s,
                    end_s: run.end_s,
                    excludes: true,
                    value: peak - prest,
                    threshold: 0.5 * prest,
                    ratio: (peak - prest) / (0.5 * prest),
                    evidence,
                    message: "A short spike on pressure and both EMG channels at once suggests a cough; the span is excluded."
                        .to_string(),
                });
            }
        }
        // ECG: the abdominal envelope at rest pulses periodically (0.4–1.5 s: 40–150 beats/min).
        if let Some(abd) = roles.abdominal {
            // The better half of the calibration window, so one artifact there does not mask the beat.
            let (a, b) = self.calibration();
            let h = self.channels[abd].history.window(a, b);
            let (first, second) = h.split_at(h.len() / 2);
            let r = periodicity(first, 4..=15).max(periodicity(second, 4..=15));
            if r > 0.4 {
                out.push(ArtifactSpan {
                    code: FlagCode::EcgContamination,
                    start_s: 0.0,
                    end_s: duration,
                    excludes: false,
                    value: r,
                    threshold: 0.4,
                    ratio: r / 0.4,
                    evidence: vec![("channel", abd as f64)],
                    message: format!(
                        "The '{}' envelope pulses regularly at rest (autocorrelation {r:.2}), which suggests ECG contamination; the emg-ecg-safe preset (30 Hz high-pass) reduces it.",
                        self.channels[abd].info.name
                    ),
                });
            }
        }
        // Gaps recorded in the file (`gap:N` markers).
        let rate = self.channels[roles.pelvic].info.rate_hz;
        for m in &self.markers {
            if let Some(n) = m.gap_samples().map(|n| n as f64) {
                out.push(ArtifactSpan {
                    code: FlagCode::SignalGap,
                    start_s: m.time_s - n / rate,
                    end_s: m.time_s,
                    excludes: true,
                    value: n,
                    threshold: 0.0,
                    ratio: 1.0,
                    evidence: vec![("missing_samples", n)],
                    message: format!("{n:.0} samples are missing before {:.2} s (lost in transmission); nothing was filled in.", m.time_s),
                });
            }
            if m.label == tonus_core::DISCONTINUITY {
                out.push(ArtifactSpan {
                    code: FlagCode::SignalGap,
                    start_s: m.time_s,
                    end_s: m.time_s,
                    excludes: true,
                    value: 0.0,
                    threshold: 0.0,
                    ratio: 1.0,
                    evidence: vec![("unknown_missing_samples", 1.0)],
                    message: format!(
                        "The recording does not follow on at {:.2} s (the device's sample index jumped further than a gap may be); how much is missing is unknown, and times after it are shifted by it.",
                        m.time_s
                    ),
                });
            }
        }
        // Movement found inside a lift-off or a saturation is that artifact's own transient.
        let own: Vec<(f64, f64)> = out
            .iter()
            .filter(|x| matches!(x.code, FlagCode::ElectrodeOff | FlagCode::Saturation))
            .map(|x| (x.start_s - 0.5, x.end_s + 0.5))
            .collect();
        out.retain(|x| {
            x.code != FlagCode::MotionArtifact
                || !own.iter().any(|(a, b)| x.start_s < *b && x.end_s > *a)
        });
        // A gap is held at the last value: the flat line inside it is the gap, not a lifted
        // electrode.
        let gaps: Vec<(f64, f64)> = out
            .iter()
            .filter(|x| x.code == FlagCode::SignalGap)
            .map(|x| (x.start_s - 0.5, x.end_s + 0.5))
            .collect();
        out.retain(|x| {
            x.code != FlagCode::ElectrodeOff
                || !gaps.iter().any(|(a, b)| x.start_s >= *a && x.end_s <= *b)
        });
        // One flag per episode: spans of the same kind less than 0.5 s apart are merged.
        out.sort_by(|x, y| {
            (x.code.as_str().cmp(y.code.as_str())).then(x.start_s.total_cmp(&y.start_s))
        });
        let mut merged: Vec<ArtifactSpan> = Vec::new();
        for x in out {
            match merged.last_mut() {
                Some(m) if m.code == x.code && x.start_s <= m.end_s + 0.5 => {
                    m.end_s = m.end_s.max(x.end_s);
                    if m.code == FlagCode::SignalGap {
                        m.absorb_gap(&x);
                    } else if x.value > m.value {
                        m.value = x.value;
                        m.ratio = x.ratio;
                    }
                }
                _ => merged.push(x),
            }
        }
        merged.sort_by(|x, y| x.start_s.total_cmp(&y.start_s));
        merged
    }
}

#[cfg(test)]
mod tests {
    use super::HeadSpectrum;

    fn hum_harmonics(raw: &[f64], rate: f64, f0: f64) -> Vec<u32> {
        HeadSpectrum::of(raw, rate).map_or(Vec::new(), |h| h.hum_harmonics(f0))
    }

    /// White noise (sum of four uniforms, SD ≈ 1.15) plus sines at `hum` (Hz, amplitude).
    fn noise_with(hum: &[(f64, f64)], rate: f64, seconds: f64) -> Vec<f64> {
        let mut s = 0x9E37_79B9_7F4A_7C15u64;
        let mut uniform = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
        };
        (0..(rate * seconds) as usize)
            .map(|i| {
                let t = i as f64 / rate;
                let n: f64 = (0..4).map(|_| uniform()).sum();
                n + hum
                    .iter()
                    .map(|(f, a)| a * (2.0 * std::f64::consts::PI * f * t).sin())
                    .sum::<f64>()
            })
            .collect()
    }

    #[test]
    fn finds_the_harmonics_that_carry_hum_and_no_others() {
        // Over 4 s at 2 kHz, 1 Hz bins: white noise of variance 4/3 puts 4/3 / 1000 per bin; a sine
        // of amplitude a puts about a²/2 / 1.5 (Hann) in its bin.
        let x = noise_with(&[(50.0, 2.0), (150.0, 0.5), (250.0, 0.02)], 2000.0, 4.0);
        assert_eq!(hum_harmonics(&x, 2000.0, 50.0), vec![3]);
        let x = noise_with(&[(60.0, 2.0), (120.0, 0.3), (180.0, 0.3)], 2000.0, 4.0);
        assert_eq!(hum_harmonics(&x, 2000.0, 60.0), vec![2, 3]);
        let x = noise_with(&[], 1000.0, 4.0);
        assert!(hum_harmonics(&x, 1000.0, 50.0).is_empty());
    }
}
