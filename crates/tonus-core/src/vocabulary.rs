//! The project's words as types: flag codes, their severities, and the patterns a session may
//! suggest. Each serialises to the snake_case string of the output contract (README, DESIGN.md),
//! so the JSON stays what scripts read, while the code cannot misspell one.

use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Serialize};

/// Declares a closed vocabulary: the enum, its strings, `ALL`, `as_str`, `Display`, `FromStr`
/// and comparison with a string.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every word, in documentation order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The word as written in the JSON output.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownWord;
            fn from_str(s: &str) -> Result<Self, UnknownWord> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|w| w.as_str() == s)
                    .ok_or_else(|| UnknownWord { what: $what, word: s.into() })
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.as_str() == other
            }
        }
    };
}

/// A word that is not in a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownWord {
    /// Which vocabulary (`flag code`, …).
    pub what: &'static str,
    /// The word.
    pub word: String,
}

impl fmt::Display for UnknownWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} '{}'", self.what, self.word)
    }
}

impl std::error::Error for UnknownWord {}

vocabulary! {
    /// What a flag says (README: "Assessment by domain" and "Signal quality").
    FlagCode, "flag code" {
        /// Rest high against the MVC, beside other signs of raised tone.
        ElevatedRest = "elevated_rest",
        /// Rest varies more than a stable rest does.
        UnstableRest = "unstable_rest",
        /// Activity stays above rest after the holds.
        IncompleteRelaxation = "incomplete_relaxation",
        /// Rest rises between repetitions or across the session.
        RisingBaseline = "rising_baseline",
        /// Contractions take long to let go.
        SlowRelease = "slow_release",
        /// The pelvic floor contracts while bearing down.
        ParadoxicalPush = "paradoxical_push",
        /// The abdomen joins the pelvic contractions.
        AccessoryCocontraction = "accessory_cocontraction",
        /// The voluntary contraction is weak.
        WeakContraction = "weak_contraction",
        /// The endurance hold fades.
        EnduranceFatigue = "endurance_fatigue",
        /// Mains hum on an EMG channel.
        MainsInterference = "mains_interference",
        /// Heartbeats on an EMG channel.
        EcgContamination = "ecg_contamination",
        /// A cough.
        CoughArtifact = "cough_artifact",
        /// Movement.
        MotionArtifact = "motion_artifact",
        /// An electrode lost contact.
        ElectrodeOff = "electrode_off",
        /// A channel at the converter's rails.
        Saturation = "saturation",
        /// Samples lost in transmission.
        SignalGap = "signal_gap",
    }
}

vocabulary! {
    /// How far past its threshold a flag's value is.
    Severity, "severity" {
        /// Just past (under 1.4 times).
        Mild = "mild",
        /// 1.4 to 2 times.
        Moderate = "moderate",
        /// Twice or more.
        Marked = "marked",
    }
}

impl Severity {
    /// The severity of a value `ratio` times its threshold (or the threshold over the value, for a
    /// shortfall).
    pub fn of(ratio: f64) -> Self {
        if ratio >= 2.0 {
            Severity::Marked
        } else if ratio >= 1.4 {
            Severity::Moderate
        } else {
            Severity::Mild
        }
    }
}

impl PatternLabel {
    /// Whether it directs to relaxation first (`overactive`, `overactive_weak`).
    pub fn is_overactive(self) -> bool {
        matches!(
            self,
            PatternLabel::Overactive | PatternLabel::OveractiveWeak
        )
    }
}

vocabulary! {
    /// What a session's evidence suggests (README: "Patterns").
    PatternLabel, "pattern" {
        /// Raised tone or relaxation short of rest: relaxation first.
        Overactive = "overactive",
        /// Overactive and weak on contraction: relaxation first.
        OveractiveWeak = "overactive_weak",
        /// A weak contraction or endurance, tone clearly normal: graded strengthening.
        Weak = "weak",
        /// Accessory activity or dyssynergia without over-activity.
        Uncoordinated = "uncoordinated",
        /// Nothing outside the person's own reference.
        WithinReference = "within_reference",
        /// Not enough to judge (or a weak contraction beside borderline tone).
        Inconclusive = "inconclusive",
    }
}
