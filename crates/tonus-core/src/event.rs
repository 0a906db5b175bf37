//! Events the engine emits and consumers (display, recorder, report, event stream) receive.
//!
//! Every event carries the session time at which it was decided (the sample time of the evidence
//! that completed it), so a live session and its replay emit the same events in the same order.
//! Serialised as one JSON object per event with a `type` tag (the `--events` JSON-lines stream).

use serde::{Deserialize, Serialize};

/// Something that happened at a time in the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Session time in seconds at which the event was decided.
    pub time_s: f64,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// The kinds of event. New kinds are added as the engine grows; match with a wildcard arm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// A note from the recording or the clinician (e.g. `mark:1`).
    Marker {
        /// The label.
        label: String,
    },
    /// A protocol phase started.
    PhaseStart {
        /// Phase name, e.g. `pre_baseline`.
        name: String,
    },
    /// Samples of a channel are missing (sequence gap, CRC drop, disconnect).
    Gap {
        /// Channel index.
        channel: usize,
        /// Number of missing samples.
        samples: u64,
    },
    /// Mains hum was found on an EMG channel in the first seconds; the notch is on from the start.
    Mains {
        /// 50 or 60.
        hz: u32,
    },
    /// A channel's rest level is calibrated: detection starts.
    Calibrated {
        /// Channel index.
        channel: usize,
        /// Rest envelope level (robust mean), in the channel's unit.
        rest_mean: f64,
        /// Rest variability (robust SD).
        rest_sd: f64,
        /// The onset threshold now in use.
        threshold: f64,
    },
    /// A contraction was confirmed (it has lasted the minimum active time).
    ContractionStart {
        /// Channel index.
        channel: usize,
        /// Its onset, s (where its rise began: see `tonus_analysis`'s detector).
        onset_s: f64,
    },
    /// A contraction ended, with its metrics.
    Contraction {
        /// Channel index.
        channel: usize,
        /// Onset, s.
        onset_s: f64,
        /// Time of the peak, s.
        peak_s: f64,
        /// Offset, s.
        offset_s: f64,
        /// Peak envelope, channel unit.
        peak: f64,
        /// Mean envelope over the contraction, channel unit.
        mean: f64,
        /// Peak as % of the session maximum so far (this one included).
        pct_mvc: f64,
    },
    /// A flag was raised: the evidence is complete (it is evaluated at each phase end and at the
    /// end of the session; the final report is the authority).
    Flag {
        /// Flag code (README lists them).
        code: crate::FlagCode,
        /// Start of the evidence span, s.
        start_s: f64,
        /// End of the evidence span, s.
        end_s: f64,
        /// `mild`, `moderate` or `marked`.
        severity: crate::Severity,
        /// The numbers that triggered it.
        evidence: std::collections::BTreeMap<String, f64>,
        /// The threshold used.
        threshold: f64,
        /// The plain sentence.
        message: String,
    },
    /// The session ended.
    End {
        /// The pattern the evidence suggests.
        pattern: crate::PatternLabel,
        /// Each domain's rating (ICS terms), in the report's order.
        #[serde(default)]
        domains: Vec<DomainRating>,
    },
}

/// One domain's rating, as the end of a session announces it (the report has the evidence).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainRating {
    /// `resting_tone`, `contraction`, `relaxation`, `endurance` or `coordination`.
    pub domain: String,
    /// The rating (`normal`, `increased`, `partial`, `not_assessed`, …).
    pub rating: String,
}
