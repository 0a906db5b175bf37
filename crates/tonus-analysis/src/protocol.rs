//! Protocols as data: TOML scripts of phases, durations, repetitions and cues, and the built-ins.
//!
//! ```toml
//! name = "strength-10x10"
//! description = "…"
//! [[phases]]
//! name = "tonic"          # phase label (as in recordings' markers)
//! kind = "contractions"   # rest | contractions | push | breathing
//! reps = 10
//! on_s = 10
//! off_s = 10
//! level_pct_mvc = 40      # goal line
//! cue = "Squeeze to the line and hold"
//! ```

use std::fmt;

use serde::Deserialize;
use tonus_core::Marker;

/// What a phase asks of the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseKind {
    /// Rest for `seconds`.
    Rest,
    /// `reps` × (`on_s` contraction, `off_s` rest).
    Contractions,
    /// `reps` × (`on_s` bearing down, `off_s` rest).
    Push,
    /// Paced breathing for `seconds` at `breaths_per_min`.
    Breathing,
}

/// One phase of a protocol.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseSpec {
    /// Label (markers use it).
    pub name: String,
    /// What happens.
    pub kind: PhaseKind,
    /// Duration of a rest or breathing phase, s.
    #[serde(default)]
    pub seconds: Option<f64>,
    /// Repetitions.
    #[serde(default)]
    pub reps: Option<usize>,
    /// Seconds on per repetition.
    #[serde(default)]
    pub on_s: Option<f64>,
    /// Seconds off after each repetition.
    #[serde(default)]
    pub off_s: Option<f64>,
    /// Goal line, % of MVC.
    #[serde(default)]
    pub level_pct_mvc: Option<f64>,
    /// Breathing pacer rate.
    #[serde(default)]
    pub breaths_per_min: Option<f64>,
    /// What the display says.
    #[serde(default)]
    pub cue: Option<String>,
}

/// A protocol script.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Protocol {
    /// Name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Phases in order.
    pub phases: Vec<PhaseSpec>,
}

/// Whether a phase named `name` is one where the person rests: `pre_baseline`, `post_baseline`,
/// `down_training` (relaxation with the pacer), and any name with `rest` in it (`set_rest_1`).
/// Contraction onsets there need twice the rise (see [`crate::detector::Expect::Rest`]).
pub fn is_rest_phase(name: &str) -> bool {
    matches!(name, "pre_baseline" | "post_baseline" | "down_training") || name.contains("rest")
}

/// A protocol that cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub enum ProtocolError {
    /// Not a built-in name and not a readable file.
    Unknown(String),
    /// The TOML does not parse or does not match the schema.
    Parse {
        /// Where it came from.
        source: String,
        /// The parser's message (with line and column).
        message: String,
    },
    /// A phase lacks a field its kind needs, or has a non-positive duration.
    Invalid {
        /// Where it came from.
        source: String,
        /// Which phase and what is wrong.
        message: String,
    },
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown(name) => write!(
                f,
                "unknown protocol '{name}' (built-in: {}; or a .toml file)",
                BUILTINS
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Self::Parse { source, message } => write!(f, "{source}: {message}"),
            Self::Invalid { source, message } => write!(f, "{source}: {message}"),
        }
    }
}

impl std::error::Error for ProtocolError {}

/// The built-in protocols, as TOML.
pub const BUILTINS: &[(&str, &str)] = &[
    ("glazer", include_str!("../protocols/glazer.toml")),
    ("glazer-mini", include_str!("../protocols/glazer-mini.toml")),
    (
        "strength-10x10",
        include_str!("../protocols/strength-10x10.toml"),
    ),
    (
        "quick-flicks",
        include_str!("../protocols/quick-flicks.toml"),
    ),
    (
        "down-training",
        include_str!("../protocols/down-training.toml"),
    ),
    ("push", include_str!("../protocols/push.toml")),
    ("free", include_str!("../protocols/free.toml")),
];

impl Protocol {
    /// Parses and checks a TOML script; `source` names it in errors.
    pub fn from_toml(text: &str, source: &str) -> Result<Self, ProtocolError> {
        let p: Protocol = toml::from_str(text).map_err(|e| ProtocolError::Parse {
            source: source.to_string(),
            message: e.to_string().trim_end().replace('\n', " "),
        })?;
        for (i, ph) in p.phases.iter().enumerate() {
            let bad = |what: &str| ProtocolError::Invalid {
                source: source.to_string(),
                message: format!("phase {} '{}': {what}", i + 1, ph.name),
            };
            let positive = |v: Option<f64>, field: &str| match v {
                Some(x) if x.is_finite() && x > 0.0 => Ok(()),
                Some(x) => Err(bad(&format!("{field} must be above 0, got {x}"))),
                None => Err(bad(
                    &format!("{:?} phase needs {field}", ph.kind).to_lowercase()
                )),
            };
            match ph.kind {
                PhaseKind::Rest => positive(ph.seconds, "seconds")?,
                PhaseKind::Breathing => {
                    positive(ph.seconds, "seconds")?;
                    positive(ph.breaths_per_min, "breaths_per_min")?;
                }
                PhaseKind::Contractions | PhaseKind::Push => {
                    positive(ph.on_s, "on_s")?;
                    if ph.reps.unwrap_or(0) == 0 {
                        return Err(bad("reps must be at least 1"));
                    }
                    if ph.off_s.is_some_and(|o| !(o.is_finite() && o >= 0.0)) {
                        return Err(bad("off_s must be 0 or more"));
                    }
                }
            }
        }
        Ok(p)
    }

    /// A built-in by name, or a `.toml` file by path.
    pub fn load(name_or_path: &str) -> Result<Self, ProtocolError> {
        if let Some((_, text)) = BUILTINS.iter().find(|(n, _)| *n == name_or_path) {
            return Self::from_toml(text, name_or_path);
        }
        if name_or_path.ends_with(".toml") {
            let text = std::fs::read_to_string(name_or_path).map_err(|e| ProtocolError::Parse {
                source: name_or_path.to_string(),
                message: format!("cannot read: {e}"),
            })?;
            return Self::from_toml(&text, name_or_path);
        }
        Err(ProtocolError::Unknown(name_or_path.to_string()))
    }

    /// Duration of a phase, s.
    pub fn phase_seconds(ph: &PhaseSpec) -> f64 {
        match ph.kind {
            PhaseKind::Rest | PhaseKind::Breathing => ph.seconds.unwrap_or(0.0),
            PhaseKind::Contractions | PhaseKind::Push => {
                ph.reps.unwrap_or(0) as f64 * (ph.on_s.unwrap_or(0.0) + ph.off_s.unwrap_or(0.0))
            }
        }
    }

    /// Phase start markers by the script's timing, from time 0.
    pub fn markers(&self) -> Vec<Marker> {
        let mut t = 0.0;
        self.phases
            .iter()
            .map(|ph| {
                let m = Marker {
                    time_s: t,
                    label: ph.name.clone(),
                };
                t += Self::phase_seconds(ph);
                m
            })
            .collect()
    }

    /// Times at which each contraction repetition is cued, given where each phase starts
    /// (`starts[i]` for phase `i`, e.g. from the recording's markers).
    pub fn cues(&self, starts: &[Option<f64>]) -> Vec<f64> {
        let mut out = Vec::new();
        for (ph, start) in self.phases.iter().zip(starts) {
            if let (PhaseKind::Contractions, Some(s)) = (ph.kind, start) {
                let step = ph.on_s.unwrap_or(0.0) + ph.off_s.unwrap_or(0.0);
                out.extend((0..ph.reps.unwrap_or(0)).map(|k| s + k as f64 * step));
            }
        }
        out
    }
}
