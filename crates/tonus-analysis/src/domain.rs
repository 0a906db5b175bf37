//! Assessment by domain, in the International Continence Society's terms (Messelink 2005; Frawley
//! et al. 2021, CLINICAL.md §2c): each domain of pelvic floor function gets a rating in the words
//! clinicians read, the measurements behind it and one plain sentence.

use serde::Serialize;

/// A domain of pelvic floor muscle function (Frawley 2021).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    /// Resting tone.
    RestingTone,
    /// Voluntary contraction (strength).
    Contraction,
    /// Voluntary relaxation after a contraction.
    Relaxation,
    /// Endurance of a sustained contraction.
    Endurance,
    /// Coordination: accessory muscles during contractions, and bearing down (push).
    Coordination,
}

impl Domain {
    /// The machine name (`resting_tone`, …), as in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Domain::RestingTone => "resting_tone",
            Domain::Contraction => "contraction",
            Domain::Relaxation => "relaxation",
            Domain::Endurance => "endurance",
            Domain::Coordination => "coordination",
        }
    }

    /// The heading a clinician reads ("Resting tone", …).
    pub fn title(self) -> &'static str {
        match self {
            Domain::RestingTone => "Resting tone",
            Domain::Contraction => "Voluntary contraction",
            Domain::Relaxation => "Relaxation after contraction",
            Domain::Endurance => "Endurance",
            Domain::Coordination => "Coordination",
        }
    }
}

/// A domain's rating, in the ICS words (Frawley 2021): tone `normal`/`increased`/`decreased`;
/// contraction `absent`/`weak`/`normal`; relaxation `complete`/`partial`/`delayed`/`absent`;
/// endurance `normal`/`reduced`; coordination `normal`/`accessory`/`dyssynergic`; any domain
/// `not_assessed` when the session held nothing to judge it by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// Within the reference.
    Normal,
    /// Resting tone raised.
    Increased,
    /// Resting tone lowered (only against a device's own reference range).
    Decreased,
    /// No voluntary contraction, or no relaxation.
    Absent,
    /// A weak voluntary contraction.
    Weak,
    /// Relaxation back to rest.
    Complete,
    /// Relaxation that stops short of rest.
    Partial,
    /// Relaxation that gets back to rest, slowly.
    Delayed,
    /// Endurance below the reference.
    Reduced,
    /// Accessory (abdominal) muscles join the pelvic contraction.
    Accessory,
    /// The pelvic floor contracts instead of relaxing while bearing down.
    Dyssynergic,
    /// The session held nothing to judge this domain by.
    NotAssessed,
}

impl Rating {
    /// The word as in the JSON output (`not_assessed`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Normal => "normal",
            Rating::Increased => "increased",
            Rating::Decreased => "decreased",
            Rating::Absent => "absent",
            Rating::Weak => "weak",
            Rating::Complete => "complete",
            Rating::Partial => "partial",
            Rating::Delayed => "delayed",
            Rating::Reduced => "reduced",
            Rating::Accessory => "accessory",
            Rating::Dyssynergic => "dyssynergic",
            Rating::NotAssessed => "not_assessed",
        }
    }

    /// The word a clinician reads ("not assessed", …).
    pub fn words(self) -> &'static str {
        match self {
            Rating::NotAssessed => "not assessed",
            Rating::Accessory => "accessory muscle activity",
            other => other.as_str(),
        }
    }
}

/// One measurement behind a rating.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    /// Machine key (`rest_cv`, …).
    pub key: String,
    /// What it is, for a reader ("rest variability (CV)").
    pub label: String,
    /// The value.
    pub value: f64,
    /// Its unit (`µV`, `%`, `s`, `x rest`, or empty for a plain ratio).
    pub unit: String,
    /// The reference it is judged against, when there is one ("≤ 12 %").
    pub reference: Option<String>,
}

impl Measure {
    /// A measurement without a reference.
    pub fn new(key: &str, label: &str, value: f64, unit: &str) -> Self {
        Self {
            key: key.into(),
            label: label.into(),
            value,
            unit: unit.into(),
            reference: None,
        }
    }

    /// With the reference it is judged against.
    pub fn against(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }
}

/// What the session shows of one domain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainFinding {
    /// The domain.
    pub domain: Domain,
    /// Its rating.
    pub rating: Rating,
    /// The measurements behind the rating.
    pub evidence: Vec<Measure>,
    /// The flags (codes) behind the rating.
    pub flags: Vec<tonus_core::FlagCode>,
    /// One plain sentence: what the rating means here, worded as a suggestion.
    pub message: String,
}
