//! The report of a session (DESIGN.md's output contract) and how it is derived from what the engine
//! saw: contractions with metrics, phases with metrics, flags with evidence, and the pattern.

use std::collections::BTreeMap;

use serde::Serialize;
use tonus_core::ChannelKind;

use tonus_core::{FlagCode, PatternLabel, Severity};

use crate::domain::DomainFinding;

/// Everything `tonus analyze` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The recording analysed.
    pub source: Source,
    /// Signal quality per channel.
    pub quality: Vec<Quality>,
    /// Detected contractions, every EMG channel, in time order.
    pub contractions: Vec<Contraction>,
    /// Phases with their metrics.
    pub phases: Vec<Phase>,
    /// Flags with evidence.
    pub flags: Vec<Flag>,
    /// Assessment by domain (ICS terms): resting tone, contraction, relaxation, endurance,
    /// coordination.
    pub domains: Vec<DomainFinding>,
    /// What the evidence suggests.
    pub pattern: Pattern,
    /// How the EMG was filtered (what a figure of the same recording must apply too).
    pub processing: Processing,
}

/// How the analysis filtered the EMG channels, beyond their preset (`emg`: 20–500 Hz band-pass,
/// 100 ms RMS).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Processing {
    /// The mains notch applied, Hz (`None`: no notch).
    pub mains_notch_hz: Option<f64>,
    /// The harmonics (multiples of the mains frequency) notched with it.
    pub notch_harmonics: Vec<u32>,
}

impl Processing {
    /// The notch as the filters take it, for a figure built with the same chain.
    pub fn mains(&self) -> Option<(tonus_dsp::Mains, tonus_dsp::Harmonics)> {
        let mains = if self.mains_notch_hz? == 60.0 {
            tonus_dsp::Mains::Hz60
        } else {
            tonus_dsp::Mains::Hz50
        };
        Some((
            mains,
            tonus_dsp::Harmonics::only(self.notch_harmonics.iter().copied()),
        ))
    }
}

impl Report {
    /// The contractions detected on the channel named `channel`, in time order.
    pub fn contractions_on<'a>(
        &'a self,
        channel: &'a str,
    ) -> impl Iterator<Item = &'a Contraction> {
        self.contractions
            .iter()
            .filter(move |c| c.channel == channel)
    }
}

/// The recording.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// Channels.
    pub channels: Vec<SourceChannel>,
    /// Duration, s.
    pub duration_s: f64,
}

/// One channel of the source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceChannel {
    /// Name.
    pub name: String,
    /// `emg` or `pressure`.
    pub kind: ChannelKind,
    /// Unit symbol.
    pub unit: String,
    /// Sample rate, Hz.
    pub rate: f64,
}

/// Quality of one channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quality {
    /// Channel name.
    pub channel: String,
    /// Rest level of the envelope (EMG, µV RMS) or mean (pressure) during calibration.
    pub rest_mean: Option<f64>,
    /// Its standard deviation.
    pub rest_sd: Option<f64>,
}

/// One contraction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contraction {
    /// Channel name.
    pub channel: String,
    /// Phase its midpoint falls in, if any.
    pub phase: Option<String>,
    /// Onset, s.
    pub onset_s: f64,
    /// Time of the envelope's peak, s.
    pub peak_s: f64,
    /// Offset, s.
    pub offset_s: f64,
    /// Peak envelope (µV RMS).
    pub peak: f64,
    /// Mean envelope over the contraction.
    pub mean: f64,
    /// Peak (averaged over 0.5 s, as the MVC is) as % of the channel's session MVC.
    pub pct_mvc: f64,
    /// Onset to peak, s (poor reliability, Oleksy 2021).
    pub time_to_peak_s: f64,
    /// End of the plateau (last time within 80 % of the rise) until 80 % released, s (10 if not
    /// within 10 s; poor reliability, Oleksy 2021).
    pub release_s: f64,
    /// Coefficient of variation of the envelope over the plateau (≥ 80 % of peak).
    pub hold_cv: f64,
    /// Offset until the envelope is back within rest mean + 2 SD, s (`None`: not within 10 s).
    pub return_to_baseline_s: Option<f64>,
}

/// One phase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    /// Name.
    pub name: String,
    /// Start, s.
    pub start_s: f64,
    /// End, s.
    pub end_s: f64,
    /// Metrics (µV RMS, %, s, mmHg).
    pub metrics: BTreeMap<String, f64>,
}

/// One flag.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    /// Code (README lists them).
    pub code: FlagCode,
    /// Start, s.
    pub start_s: f64,
    /// End, s.
    pub end_s: f64,
    /// `mild`, `moderate` or `marked` (by how far past the threshold).
    pub severity: Severity,
    /// The numbers that triggered it.
    pub evidence: BTreeMap<String, f64>,
    /// The threshold used.
    pub threshold: f64,
    /// One plain sentence.
    pub message: String,
}

/// What the evidence suggests, never a diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pattern {
    /// `overactive`, `overactive_weak`, `weak`, `uncoordinated`, `within_reference` or
    /// `inconclusive`.
    pub label: PatternLabel,
    /// Why.
    pub reasons: Vec<String>,
    /// The exercise direction the evidence supports, for the clinician to weigh.
    pub direction: String,
}

/// Mean (0 for no values).
pub(crate) fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.iter().sum::<f64>() / v.len() as f64
}

impl Flag {
    /// A flag raised at `[start_s, end_s]` by `value` against `threshold` (`ratio`: how far past
    /// it, for the severity), with the numbers behind it (`value` is added to them).
    pub(crate) fn raise(
        code: FlagCode,
        (start_s, end_s): (f64, f64),
        value: f64,
        threshold: f64,
        ratio: f64,
        evidence: &[(&str, f64)],
        message: String,
    ) -> Self {
        Flag {
            code,
            start_s,
            end_s,
            severity: Severity::of(ratio),
            evidence: evidence
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .chain([("value".to_string(), value)])
                .collect(),
            threshold,
            message,
        }
    }
}
