//! The streaming engine: samples in, contractions out; `finish` turns what it saw into a report.
//!
//! Every channel is processed sample by sample inside (whatever block sizes arrive), so results are
//! identical for any cutting of the input. Markers must be given before the samples they precede.

use tonus_core::{ChannelInfo, ChannelKind, Event, EventKind, Marker};
use tonus_dsp::{ChannelChain, DesignError, Preset};

use crate::capture::Capture;
use crate::config::AnalysisConfig;
use crate::detector::{Detected, Detector, Expect};
use crate::quality::QualityState;
use crate::report::mean;
use crate::ring::{ring_values, RING_S};
use crate::streams::Streams;
use crate::track::{index_of, Track};

/// Envelope history resolution: one mean per this many seconds.
pub(crate) const HISTORY_S: f64 = 0.1;

/// A channel's running state.
pub(crate) struct ChannelState {
    pub(crate) info: ChannelInfo,
    chain: ChannelChain,
    /// Brings samples to the analysis unit (µV for EMG; see [`tonus_core::Unit::analysis_gain`]).
    gain: f64,
    detector: Option<Detector>,
    /// The detector's step (samples), its reciprocal, and samples until its next value.
    step: u64,
    per_step: f64,
    until_step: u64,
    /// Detection deferred ([`Engine::defer_detection`]): the first detector values, kept.
    deferred: Option<Kept>,
    n: u64,
    /// Sum of the filtered signal's squares since the detector's last value (in sample order,
    /// so the same whatever sizes the samples arrive in).
    sq_sum: f64,
    per_history: u64,
    acc: f64,
    acc_n: u64,
    /// Envelope (EMG, µV RMS) or filtered value (pressure), averaged per HISTORY_S (bounded: see
    /// [`crate::ring`]).
    pub(crate) history: Track,
    pub(crate) contractions: Vec<Detected>,
    /// The figures of the first contractions, taken before their history was dropped.
    pub(crate) captured: Vec<Capture>,
    /// Artifact bookkeeping (EMG channels).
    pub(crate) quality: Option<QualityState>,
    /// Largest contraction peak so far (the live %MVC reference).
    max_peak: f64,
    /// The latest envelope (EMG) or filtered value (pressure).
    last: f64,
}

/// Seconds of detector values kept to calibrate a recording without a rest phase.
pub(crate) const KEPT_S: usize = 600;

/// A channel's first detector values, kept until it can calibrate on them.
struct Kept {
    values: Vec<f64>,
    /// The filtered signal's mean square over each value's step.
    powers: Vec<f64>,
    per_second: usize,
}

/// Whether time `t` lies in the window after a contraction cue (the onset threshold is halved).
fn cued(cues: &[f64], t: f64, window_s: f64) -> bool {
    cues.iter().any(|&q| t >= q && t < q + window_s)
}

/// Whether time `t` lies in a rest phase, given each phase's start and whether it is one.
fn resting(phases: &[(f64, bool)], t: f64) -> bool {
    phases.iter().rev().find(|p| p.0 <= t).is_some_and(|p| p.1)
}

/// What is expected at `t` (see [`Expect`]).
fn expect(cued: bool, resting: bool) -> Expect {
    if cued {
        Expect::Contraction
    } else if resting {
        Expect::Rest
    } else {
        Expect::Either
    }
}

impl ChannelState {
    /// Calibrates on the kept values (whole seconds, after the filters settle), then runs the
    /// detector over them with their cues.
    fn run_kept(
        &mut self,
        kept: &Kept,
        cues: &[f64],
        phases: &[(f64, bool)],
        config: &AnalysisConfig,
    ) {
        let Some(det) = self.detector.as_mut() else {
            return;
        };
        let settled = (config.settle_s.ceil() as usize * kept.per_second).min(kept.values.len());
        if let Some((m, sd)) = Detector::quiet_rest(&kept.values[settled..], kept.per_second) {
            det.preset_rest(m, sd);
        }
        let (rate, step) = (self.info.rate_hz, self.step as f64);
        for (k, (&value, &power)) in kept.values.iter().zip(&kept.powers).enumerate() {
            let t = k as f64 * step / rate;
            let expect = expect(cued(cues, t, config.cue_window_s), resting(phases, t));
            if let Some(done) = det.push(value, power, false, expect) {
                self.max_peak = self.max_peak.max(done.peak);
                self.contractions.push(done);
            }
        }
    }
}

/// Why an engine cannot be built.
#[derive(Debug, Clone, PartialEq)]
pub enum AnalysisError {
    /// A channel's filters cannot be designed at its rate.
    Filter {
        /// Channel name.
        channel: String,
        /// Why.
        error: DesignError,
    },
    /// The recording has no EMG channel.
    NoEmg,
}

impl std::fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Filter { channel, .. } => write!(f, "channel '{channel}'"),
            Self::NoEmg => f.write_str("the recording has no EMG channel (uV or mV) to analyse"),
        }
    }
}

impl std::error::Error for AnalysisError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Filter { error, .. } => Some(error),
            Self::NoEmg => None,
        }
    }
}

/// The analysis engine.
pub struct Engine {
    pub(crate) config: AnalysisConfig,
    pub(crate) channels: Vec<ChannelState>,
    pub(crate) markers: Vec<Marker>,
    /// Times at which a contraction was cued (the onset threshold is halved just after).
    cues: Vec<f64>,
    /// Where each phase starts and whether it is a rest phase (the onset threshold is doubled).
    phase_starts: Vec<(f64, bool)>,
    /// Detector events waiting to be taken, when emitting (see [`Engine::emit_events`]).
    outbox: Option<Vec<Event>>,
    /// History values every track holds at least, and the index before which they were dropped.
    pub(crate) ring: u64,
    pub(crate) evicted: u64,
    /// The whole-recording figures fed as history is dropped.
    pub(crate) streams: Streams,
    /// Start of the pinned `pre_baseline` span while it is open.
    open_pin: Option<u64>,
}

/// Which channel plays which part in the report.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Roles {
    /// The first EMG channel.
    pub(crate) pelvic: usize,
    /// The second EMG channel.
    pub(crate) abdominal: Option<usize>,
    /// The first pressure channel.
    pub(crate) pressure: Option<usize>,
}

/// What the live display needs of one channel, borrowed from the engine.
#[derive(Debug, Clone, Copy)]
pub struct ChannelView<'a> {
    /// The recent envelope (EMG, µV RMS) or filtered value (pressure), one mean per 0.1 s, oldest
    /// first: at least the last 15 minutes (or everything, in a shorter session).
    pub history: &'a [f64],
    /// The latest envelope or filtered value.
    pub last: f64,
    /// Rest (mean, SD) once calibrated (EMG channels).
    pub rest: Option<(f64, f64)>,
    /// The onset threshold now in use (EMG channels, once calibrated).
    pub threshold: Option<f64>,
    /// Onset of the contraction in progress, s.
    pub active_since_s: Option<f64>,
    /// Largest contraction peak so far (0 before the first).
    pub max_peak: f64,
    /// Seconds processed.
    pub time_s: f64,
}

impl Engine {
    /// An engine for these channels (EMG channels get the `emg` preset and a detector; pressure
    /// channels the `pressure` preset).
    pub fn new(channels: &[ChannelInfo], config: AnalysisConfig) -> Result<Self, AnalysisError> {
        if !channels.iter().any(|c| c.kind() == ChannelKind::Emg) {
            return Err(AnalysisError::NoEmg);
        }
        let states = channels
            .iter()
            .map(|c| {
                let preset = if c.kind() == ChannelKind::Emg {
                    Preset::Emg
                } else {
                    Preset::Pressure
                };
                let mut chain_config = preset.config();
                if c.kind() == ChannelKind::Emg {
                    chain_config.mains = config.mains;
                    chain_config.notch_harmonics = config.mains_harmonics;
                }
                let chain = ChannelChain::new(&chain_config, c.rate_hz).map_err(|error| {
                    AnalysisError::Filter {
                        channel: c.name.clone(),
                        error,
                    }
                })?;
                let detector = (c.kind() == ChannelKind::Emg)
                    .then(|| Detector::new(config, c.rate_hz, chain.rms_window()));
                Ok(ChannelState {
                    info: c.clone(),
                    chain,
                    gain: c.unit.analysis_gain(),
                    step: detector.as_ref().map_or(1, Detector::step),
                    per_step: 1.0 / detector.as_ref().map_or(1, Detector::step) as f64,
                    until_step: 0,
                    deferred: None,
                    detector,
                    n: 0,
                    sq_sum: 0.0,
                    per_history: ((HISTORY_S * c.rate_hz).round() as u64).max(1),
                    acc: 0.0,
                    acc_n: 0,
                    history: Track::default(),
                    contractions: Vec::new(),
                    captured: Vec::new(),
                    max_peak: 0.0,
                    last: 0.0,
                    quality: (c.kind() == ChannelKind::Emg)
                        .then(|| {
                            QualityState::new(
                                c.rate_hz,
                                ((HISTORY_S * c.rate_hz).round() as u64).max(1),
                            )
                        })
                        .flatten(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut engine = Self {
            config,
            channels: states,
            markers: Vec::new(),
            cues: Vec::new(),
            phase_starts: Vec::new(),
            outbox: None,
            ring: ring_values(RING_S),
            evicted: 0,
            streams: Streams::default(),
            open_pin: None,
        };
        engine.streams = Streams::new(&engine);
        // The first seconds stand in for rest without a `pre_baseline` phase (and give the resting
        // pressure of the cough check): kept for the report.
        let (a, b) = (
            index_of(config.settle_s),
            index_of(config.default_calibration_s),
        );
        for ch in &mut engine.channels {
            ch.history.pin(a, b);
        }
        Ok(engine)
    }

    /// The same engine holding `ring_s` seconds of history instead of [`RING_S`] (the report does
    /// not depend on it while a contraction, its 10 s tail and the deferred calibration fit).
    pub(crate) fn holding(mut self, ring_s: f64) -> Self {
        self.ring = ring_values(ring_s);
        self
    }

    /// Which channel plays which part in the report.
    pub(crate) fn roles(&self) -> Roles {
        let kind = |k: ChannelKind| {
            (0..self.channels.len()).filter(move |&c| self.channels[c].info.kind() == k)
        };
        let mut emg = kind(ChannelKind::Emg);
        Roles {
            // `new` refuses channels without EMG.
            pelvic: emg.next().unwrap_or(0),
            abdominal: emg.next(),
            pressure: kind(ChannelKind::Pressure).next(),
        }
    }

    /// From now on, keep the detectors' events (calibration, contraction start and end) for
    /// [`Engine::take_events`]; room for `capacity` is reserved so that emitting allocates nothing
    /// while the outbox is drained often.
    pub fn emit_events(&mut self, capacity: usize) {
        self.outbox = Some(Vec::with_capacity(capacity));
    }

    /// Reserves room for `seconds` of history (envelope, artifact and spectrum tracks, which never
    /// hold more than 30 minutes, and the contractions of that many seconds), so a live session of
    /// that length allocates nothing per sample as it grows, the history drops included.
    pub fn reserve(&mut self, seconds: f64) {
        let held = (seconds.max(0.0) / HISTORY_S) as u64;
        let n = held.min(2 * self.ring + 1) as usize;
        for ch in &mut self.channels {
            ch.history.reserve(n);
            ch.contractions.reserve(seconds as usize / 2);
            ch.captured.reserve(seconds as usize / 2);
            if let Some(q) = &mut ch.quality {
                q.reserve(n);
            }
        }
        if let Some(outbox) = &mut self.outbox {
            outbox.reserve(64);
        }
    }

    /// Moves the waiting events into `out` (in the order they were decided within each channel).
    pub fn take_events(&mut self, out: &mut Vec<Event>) {
        if let Some(outbox) = &mut self.outbox {
            out.append(outbox);
        }
    }

    /// The channels as the engine sees them.
    pub fn channels(&self) -> impl ExactSizeIterator<Item = &ChannelInfo> {
        self.channels.iter().map(|c| &c.info)
    }

    /// Channel `c`'s live state, for a display.
    pub fn view(&self, c: usize) -> Option<ChannelView<'_>> {
        let ch = self.channels.get(c)?;
        let fs = ch.info.rate_hz;
        let det = ch.detector.as_ref();
        Some(ChannelView {
            history: ch.history.recent(),
            last: ch.last,
            rest: det.and_then(Detector::rest),
            threshold: det.and_then(Detector::threshold),
            active_since_s: det.and_then(Detector::active_onset).map(|o| o as f64 / fs),
            max_peak: ch.max_peak,
            time_s: ch.n as f64 / fs,
        })
    }

    /// Adds a phase marker (must come before the samples it precedes).
    pub fn mark(&mut self, marker: Marker) {
        // The rest phase (after the settling time, until the next phase) is kept for the report.
        if marker.is_phase() {
            self.phase_starts
                .push((marker.time_s, crate::protocol::is_rest_phase(&marker.label)));
            self.streams.add_phase();
            if let Some(from) = self.open_pin.take() {
                let to = index_of(marker.time_s);
                for ch in &mut self.channels {
                    ch.history.close_pin(from, to);
                }
            }
        }
        if marker.label == "pre_baseline" && !self.markers.iter().any(|m| m.label == "pre_baseline")
        {
            let from = index_of(marker.time_s + self.config.settle_s);
            for ch in &mut self.channels {
                ch.history.pin(from, u64::MAX);
            }
            self.open_pin = Some(from);
        }
        self.markers.push(marker);
    }

    /// Batch analysis of a recording without a rest phase: keep each EMG channel's first
    /// detector values (up to 10 minutes, 100 per second: 480 kB) instead of detecting at once;
    /// when that much is kept, or at [`Engine::detect_deferred`], the channel calibrates on them
    /// ([`Detector::quiet_rest`]) and runs its detector over them, then detects as samples arrive.
    /// One pass over the file (instead of a calibration pre-scan and a second pass), memory
    /// independent of the recording's length, and contractions in the first seconds are found too.
    pub(crate) fn defer_detection(&mut self) {
        for ch in &mut self.channels {
            if ch.detector.is_some() {
                let per_second = ((ch.info.rate_hz / ch.step as f64).round() as usize).max(1);
                ch.deferred = Some(Kept {
                    values: Vec::with_capacity(per_second * KEPT_S),
                    powers: Vec::with_capacity(per_second * KEPT_S),
                    per_second,
                });
            }
        }
    }

    /// Calibrates and runs every channel still keeping values (recordings under 10 minutes).
    pub(crate) fn detect_deferred(&mut self) {
        let (cues, phases, config) = (&self.cues, &self.phase_starts, &self.config);
        for ch in &mut self.channels {
            if let Some(kept) = ch.deferred.take() {
                ch.run_kept(&kept, cues, phases, config);
            }
        }
    }

    /// Records that a contraction is cued at `time_s` (before the samples it precedes).
    pub fn cue(&mut self, time_s: f64) {
        self.cues.push(time_s);
    }

    /// The calibration window: the `pre_baseline` phase (after the settling time), else the first
    /// seconds of the recording.
    pub(crate) fn calibration(&self) -> (f64, f64) {
        let settle = self.config.settle_s;
        match self.markers.iter().position(|m| m.label == "pre_baseline") {
            Some(i) => {
                let start = self.markers[i].time_s;
                let end = self.markers[i + 1..]
                    .iter()
                    .find(|m| m.is_phase())
                    .map_or(start + self.config.default_calibration_s, |m| m.time_s);
                (start + settle, end)
            }
            None => (settle, self.config.default_calibration_s),
        }
    }

    /// The rest span of the report: the `pre_baseline` phase after the settling time (until the
    /// next phase, or `end`), else the first seconds of the recording.
    pub(crate) fn pre_span(&self, end: f64) -> (f64, f64) {
        let cfg = self.config;
        self.phase_spans_s(end)
            .find(|p| p.0 == "pre_baseline")
            .map_or((cfg.settle_s, cfg.default_calibration_s), |(_, a, b)| {
                (a + cfg.settle_s, b)
            })
    }

    /// Seconds processed on the channel that has gone furthest.
    pub(crate) fn end_s(&self) -> f64 {
        (0..self.channels.len())
            .map(|c| self.duration(c))
            .fold(0.0, f64::max)
    }

    /// Resting anal pressure: the mean of the filtered pressure over the rest span (0 without a
    /// pressure channel).
    pub(crate) fn pressure_rest(&self) -> f64 {
        let (a, b) = self.pre_span(self.end_s());
        self.pressure_mean(a, b)
    }

    /// Resting pressure for the cough check: the mean over the first seconds (after settling).
    pub(crate) fn cough_rest(&self) -> f64 {
        self.pressure_mean(self.config.settle_s, self.config.default_calibration_s)
    }

    /// Mean of the filtered pressure between two times (0 without a pressure channel).
    fn pressure_mean(&self, a: f64, b: f64) -> f64 {
        self.roles()
            .pressure
            .map_or(0.0, |p| mean(self.channels[p].history.window(a, b)))
    }

    /// Primes channel `c`'s filters on the first whole second of `head` (its first samples, in
    /// physical units), so they start in the steady state of what the recording begins with rather
    /// than from rest. Started from rest, a DC offset or strong mains hum makes the filters ring for
    /// a few tenths of a second, which reads as a contraction, or as movement, at the very start.
    /// One second holds a whole number of 50 and of 60 Hz periods, so the hum runs on seamlessly
    /// into the first sample; the second is shifted by its drift (`x[0] − x[n]`), so the level and
    /// its slope do too.
    /// Only the filters move: nothing is detected, kept or reported. Has an effect only before the
    /// channel's first samples and with more than a second of head.
    pub fn prime(&mut self, c: usize, head: &[f64]) {
        let Some(ch) = self.channels.get_mut(c) else {
            return;
        };
        let n = ch.info.rate_hz.round() as usize;
        let (Some(&first), Some(&after)) = (head.first(), head.get(n)) else {
            return;
        };
        if ch.n > 0 {
            return;
        }
        // The primed second ends where the recording starts: x[k] + x[0] − x[n].
        let shift = first - after;
        let mut buf = [0.0; 256];
        for chunk in head[..n].chunks(256) {
            let buf = &mut buf[..chunk.len()];
            for (b, &x) in buf.iter_mut().zip(chunk) {
                *b = (x + shift) * ch.gain;
            }
            if let Some(q) = &mut ch.quality {
                q.prime(buf);
            }
            ch.chain.filter(buf);
        }
        if let Some(q) = &mut ch.quality {
            q.primed();
        }
    }

    /// Feeds samples of channel `c` (in physical units). Out-of-range channels are ignored.
    pub fn process(&mut self, c: usize, samples: &[f64]) {
        let (cal_start, cal_end) = self.calibration();
        let cue_window = self.config.cue_window_s;
        let cues = &self.cues;
        let phases = &self.phase_starts;
        let config = self.config;
        let mut outbox = self.outbox.as_mut();
        let Some(ch) = self.channels.get_mut(c) else {
            return;
        };
        let mut buf = [0.0; 256];
        let mut env = [0.0; 256];
        for chunk in samples.chunks(256) {
            let (buf, env) = (&mut buf[..chunk.len()], &mut env[..chunk.len()]);
            for (b, &x) in buf.iter_mut().zip(chunk) {
                *b = x * ch.gain;
            }
            if let Some(q) = &mut ch.quality {
                q.push_block(buf);
            }
            if ch.detector.is_some() {
                ch.chain.process(buf, env);
            } else {
                ch.chain.filter(buf);
                env.copy_from_slice(buf);
            }
            // Whether any cue window touches this chunk (then each sample is checked).
            let (t0, t1) = (
                ch.n as f64 / ch.info.rate_hz,
                (ch.n + chunk.len() as u64) as f64 / ch.info.rate_hz,
            );
            let near_cue = cues.iter().any(|&q| q <= t1 && q + cue_window > t0);
            // The calibration window in samples (no division per sample).
            let (cal_from, cal_to) = (cal_start * ch.info.rate_hz, cal_end * ch.info.rate_hz);
            // History: the mean of every `per_history` values (serial sums in sample order, so the
            // same whatever sizes the samples arrive in).
            let (mut acc, mut acc_n) = (ch.acc, ch.acc_n);
            for &value in env.iter() {
                acc += value;
                acc_n += 1;
                if acc_n == ch.per_history {
                    ch.history.push(acc / acc_n as f64);
                    acc = 0.0;
                    acc_n = 0;
                }
            }
            (ch.acc, ch.acc_n) = (acc, acc_n);
            // The detector takes every `step`-th envelope value, with the mean square of the
            // filtered signal over the step it ends (summed in sample order, so the same whatever
            // sizes the samples arrive in).
            let base = ch.n;
            let mut k = ch.until_step as usize;
            // (Only EMG channels have a detector; the others skip the squares.)
            let detecting = ch.detector.is_some();
            let mut squared = 0;
            while k < env.len() {
                let value = env[k];
                let sample = base + k as u64;
                let mut power = 0.0;
                if detecting {
                    for &y in &buf[squared..=k] {
                        ch.sq_sum += y * y;
                    }
                    // Every value ends a whole step but the first (sample 0 alone).
                    power = if sample == 0 {
                        ch.sq_sum
                    } else {
                        ch.sq_sum * ch.per_step
                    };
                    ch.sq_sum = 0.0;
                    squared = k + 1;
                }
                k += ch.step as usize;
                if let Some(kept) = &mut ch.deferred {
                    kept.values.push(value);
                    kept.powers.push(power);
                    if kept.values.len() == kept.per_second * KEPT_S {
                        if let Some(kept) = ch.deferred.take() {
                            ch.run_kept(&kept, cues, phases, &config);
                        }
                    }
                    continue;
                }
                let Some(det) = &mut ch.detector else {
                    continue;
                };
                let t = sample as f64 / ch.info.rate_hz;
                let expect = expect(near_cue && cued(cues, t, cue_window), resting(phases, t));
                let n = sample as f64;
                // Only a live session asks what changed (batch analysis skips the checks).
                let before = outbox
                    .is_some()
                    .then(|| (det.rest().is_some(), det.active_onset().is_some()));
                let done = det.push(value, power, n >= cal_from && n < cal_to, expect);
                if let Some(d) = &done {
                    ch.max_peak = ch.max_peak.max(d.peak);
                }
                if let (Some(out), Some(before)) = (outbox.as_deref_mut(), before) {
                    let at = At {
                        channel: c,
                        time_s: t,
                        rate_hz: ch.info.rate_hz,
                    };
                    emit(
                        out,
                        &at,
                        det,
                        before,
                        done.as_ref().map(|d| (d, ch.max_peak)),
                    );
                }
                if let Some(done) = done {
                    ch.contractions.push(done);
                }
            }
            if detecting {
                for &y in &buf[squared..] {
                    ch.sq_sum += y * y;
                }
            }
            ch.until_step = (k - env.len()) as u64;
            if let Some(&value) = env.last() {
                ch.last = value;
            }
            ch.n = base + env.len() as u64;
        }
        self.retire();
    }

    /// Rest (mean, SD) of channel `c`'s envelope, once calibrated.
    pub(crate) fn rest(&self, c: usize) -> Option<(f64, f64)> {
        self.channels.get(c)?.detector.as_ref()?.rest()
    }

    /// Seconds of channel `c` processed.
    pub(crate) fn duration(&self, c: usize) -> f64 {
        self.channels
            .get(c)
            .map_or(0.0, |ch| ch.n as f64 / ch.info.rate_hz)
    }
}

/// Where and when a detector step happened.
struct At {
    channel: usize,
    time_s: f64,
    rate_hz: f64,
}

/// The events one detector step decided: calibration done, a contraction confirmed or ended
/// (with the largest peak so far, the live %MVC reference).
fn emit(
    out: &mut Vec<Event>,
    at: &At,
    det: &Detector,
    (was_calibrated, was_active): (bool, bool),
    done: Option<(&Detected, f64)>,
) {
    let (channel, t, fs) = (at.channel, at.time_s, at.rate_hz);
    if !was_calibrated {
        if let (Some((rest_mean, rest_sd)), Some(threshold)) = (det.rest(), det.threshold()) {
            out.push(Event {
                time_s: t,
                kind: EventKind::Calibrated {
                    channel,
                    rest_mean,
                    rest_sd,
                    threshold,
                },
            });
        }
    }
    if let (false, Some(onset)) = (was_active, det.active_onset()) {
        out.push(Event {
            time_s: t,
            kind: EventKind::ContractionStart {
                channel,
                onset_s: onset as f64 / fs,
            },
        });
    }
    if let Some((d, max_peak)) = done {
        out.push(Event {
            time_s: t,
            kind: EventKind::Contraction {
                channel,
                onset_s: d.onset as f64 / fs,
                peak_s: d.peak_at as f64 / fs,
                offset_s: d.offset as f64 / fs,
                peak: d.peak,
                mean: d.mean,
                pct_mvc: if max_peak > 0.0 {
                    100.0 * d.peak / max_peak
                } else {
                    0.0
                },
            },
        });
    }
}
