//! Events the engine emits and consumers (display, recorder, report, event stream) receive.

use serde::{Deserialize, Serialize};

/// Something that happened at a time in the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Session time in seconds.
    pub time_s: f64,
    /// What happened.
    pub kind: EventKind,
}

/// The kinds of event. New kinds are added as the engine grows; match with a wildcard arm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// A marker from the recording or the clinician (e.g. a phase label).
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
}
