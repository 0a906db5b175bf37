//! The streaming engine: samples in, contractions out; `finish` turns what it saw into a report.
//!
//! Every channel is processed sample by sample inside (whatever block sizes arrive), so results are
//! identical for any cutting of the input. Markers must be given before the samples they precede.

use tonus_core::{ChannelInfo, ChannelKind, Marker};
use tonus_dsp::{ChannelChain, DesignError, Preset};

use crate::config::AnalysisConfig;
use crate::detector::{Detected, Detector};
use crate::quality::QualityState;

/// Envelope history resolution: one mean per this many seconds.
pub(crate) const HISTORY_S: f64 = 0.1;

/// A channel's running state.
pub(crate) struct ChannelState {
    pub(crate) info: ChannelInfo,
    chain: ChannelChain,
    detector: Option<Detector>,
    n: u64,
    per_history: u64,
    acc: f64,
    acc_n: u64,
    /// Envelope (EMG, µV RMS) or filtered value (pressure), averaged per HISTORY_S.
    pub(crate) history: Vec<f64>,
    pub(crate) contractions: Vec<Detected>,
    /// Artifact bookkeeping (EMG channels).
    pub(crate) quality: Option<QualityState>,
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
            Self::Filter { channel, error } => write!(f, "channel '{channel}': {error}"),
            Self::NoEmg => f.write_str("the recording has no EMG channel (uV or mV) to analyse"),
        }
    }
}

impl std::error::Error for AnalysisError {}

/// The analysis engine.
pub struct Engine {
    pub(crate) config: AnalysisConfig,
    pub(crate) channels: Vec<ChannelState>,
    pub(crate) markers: Vec<Marker>,
    /// Times at which a contraction was cued (the onset threshold is halved just after).
    cues: Vec<f64>,
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
                    detector,
                    n: 0,
                    per_history: ((HISTORY_S * c.rate_hz).round() as u64).max(1),
                    acc: 0.0,
                    acc_n: 0,
                    history: Vec::new(),
                    contractions: Vec::new(),
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
        Ok(Self {
            config,
            channels: states,
            markers: Vec::new(),
            cues: Vec::new(),
        })
    }

    /// Adds a phase marker (must come before the samples it precedes).
    pub fn mark(&mut self, marker: Marker) {
        self.markers.push(marker);
    }

    /// Gives channel `c` its rest level up front (see [`Detector::preset_rest`]).
    pub fn preset_rest(&mut self, c: usize, mean: f64, sd: f64) {
        if let Some(det) = self.channels.get_mut(c).and_then(|ch| ch.detector.as_mut()) {
            det.preset_rest(mean, sd);
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
                let end = self
                    .markers
                    .get(i + 1)
                    .map_or(start + self.config.default_calibration_s, |m| m.time_s);
                (start + settle, end)
            }
            None => (settle, self.config.default_calibration_s),
        }
    }

    /// Feeds samples of channel `c` (in physical units). Out-of-range channels are ignored.
    pub fn process(&mut self, c: usize, samples: &[f64]) {
        let (cal_start, cal_end) = self.calibration();
        let cue_window = self.config.cue_window_s;
        let cues = &self.cues;
        let Some(ch) = self.channels.get_mut(c) else {
            return;
        };
        let mut buf = [0.0; 256];
        let mut env = [0.0; 256];
        for chunk in samples.chunks(256) {
            let (buf, env) = (&mut buf[..chunk.len()], &mut env[..chunk.len()]);
            buf.copy_from_slice(chunk);
            if let Some(q) = &mut ch.quality {
                for &x in chunk {
                    q.push(x);
                }
            }
            if ch.detector.is_some() {
                ch.chain.process(buf, env);
            } else {
                ch.chain.filter(buf);
                env.copy_from_slice(buf);
            }
            for &value in env.iter() {
                let t = ch.n as f64 / ch.info.rate_hz;
                if let Some(det) = &mut ch.detector {
                    let cued = cues.iter().any(|&q| t >= q && t < q + cue_window);
                    if let Some(done) = det.push(value, t >= cal_start && t < cal_end, cued) {
                        ch.contractions.push(done);
                    }
                }
                ch.n += 1;
                ch.acc += value;
                ch.acc_n += 1;
                if ch.acc_n == ch.per_history {
                    ch.history.push(ch.acc / ch.acc_n as f64);
                    ch.acc = 0.0;
                    ch.acc_n = 0;
                }
            }
        }
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
