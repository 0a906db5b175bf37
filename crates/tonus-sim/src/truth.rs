//! The ground truth written beside every generated recording.

use serde::{Deserialize, Serialize};

/// Everything the generator knows about a recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    /// Profile name.
    pub profile: String,
    /// Script name.
    pub protocol: String,
    /// Seed.
    pub seed: u64,
    /// Sample rate, Hz.
    pub rate_hz: f64,
    /// Duration, s.
    pub duration_s: f64,
    /// Phases in order.
    pub phases: Vec<PhaseTruth>,
    /// Pelvic contractions (cued ones, and paradoxical ones during pushes).
    pub contractions: Vec<TruthContraction>,
    /// Artifact spans.
    pub artifacts: Vec<crate::artifact::Artifact>,
    /// What an analysis should find.
    pub expected: ExpectedFindings,
    /// The profile's levels, for checking metrics (µV RMS, mmHg).
    pub levels: Levels,
}

/// One phase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseTruth {
    /// Name (`pre_baseline`, `phasic`, `tonic`, `endurance`, `post_baseline`, `push`).
    pub name: String,
    /// Start, s.
    pub start_s: f64,
    /// End, s.
    pub end_s: f64,
}

/// One pelvic contraction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthContraction {
    /// Phase it belongs to.
    pub phase: String,
    /// Start of the rise, s.
    pub onset_s: f64,
    /// End of the rise (plateau reached), s.
    pub plateau_s: f64,
    /// Start of the release, s.
    pub release_s: f64,
    /// End of the release, s.
    pub offset_s: f64,
    /// Plateau level at its start, µV RMS.
    pub level_uv: f64,
}

/// Flags and pattern the profile and artifacts should produce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpectedFindings {
    /// Flag codes.
    pub flags: Vec<String>,
    /// Pattern label.
    pub pattern: String,
}

/// Key levels of the profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Levels {
    /// Pelvic rest, µV RMS.
    pub pelvic_rest_uv: f64,
    /// Pelvic MVC, µV RMS.
    pub pelvic_mvc_uv: f64,
    /// Abdominal rest, µV RMS.
    pub abdominal_rest_uv: f64,
    /// Resting anal pressure, mmHg.
    pub pressure_rest_mmhg: f64,
    /// Squeeze increment at MVC, mmHg.
    pub squeeze_increment_mmhg: f64,
}
