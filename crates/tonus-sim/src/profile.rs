//! The four pelvic-floor profiles and the numbers that make them (CLINICAL.md §2–§6).
//!
//! Amplitudes are µV RMS of intravaginal/anal surface EMG. Healthy rest is 2–7 µV and contractions
//! 7–50 µV (CLINICAL.md §4); healthy rest is about 20–23 % of the session MVC (Kasper 2025). The
//! overactive profile shows every over-contraction sign of §6 over a normal contraction (its MVC
//! rises 2.5 times its raised rest above it); the weak one low amplitude and fast fatigue (≈35 %
//! decline, §6); the overactive-and-weak one raised, unstable rest with a poor contraction (§2b:
//! rest ≈ 8 µV, MVC ≈ 15 µV); the accessory one abdominal co-contraction (§3, §6.5).

use core::fmt;
use core::str::FromStr;

/// A pattern of pelvic-floor function to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Healthy: low stable rest, strong contractions, quick full release, relaxation on push.
    Normal,
    /// Hypertonic: elevated unstable rest, slow and incomplete release, rising baseline, paradoxical push.
    Overactive,
    /// Weak: normal rest, low contraction amplitude, fast fatigue.
    Weak,
    /// Overactive and weak: raised unstable rest, slow incomplete release, and a poor contraction
    /// above that rest (relaxation first).
    OveractiveWeak,
    /// Accessory: the abdominal channel co-contracts with the pelvic floor.
    Accessory,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 5] = [
        Profile::Normal,
        Profile::Overactive,
        Profile::Weak,
        Profile::OveractiveWeak,
        Profile::Accessory,
    ];

    /// Command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Normal => "normal",
            Profile::Overactive => "overactive",
            Profile::Weak => "weak",
            Profile::OveractiveWeak => "overactive-weak",
            Profile::Accessory => "accessory",
        }
    }

    /// The numbers of this profile.
    pub fn params(self) -> ProfileParams {
        let normal = ProfileParams {
            rest_uv: 3.0,
            rest_fluctuation: 0.08,
            mvc_uv: 40.0,
            rise_s: 0.25,
            release_s: 0.3,
            residual_after_hold: 0.0,
            residual_decay_s: 5.0,
            baseline_rise_per_rep: 0.0,
            endurance_decline: 0.15,
            tonic_decline_per_rep: 0.02,
            abdominal_rest_uv: 2.5,
            abdominal_coupling: 0.05,
            abdominal_push_uv: 30.0,
            pelvic_push_factor: 0.6,
            anal_push_change: -0.35,
            pressure_rest_mmhg: 60.0,
            squeeze_increment_mmhg: 90.0,
        };
        let overactive = ProfileParams {
            rest_uv: 13.0,
            rest_fluctuation: 0.3,
            mvc_uv: 45.0,
            rise_s: 0.35,
            release_s: 1.8,
            residual_after_hold: 0.35,
            residual_decay_s: 8.0,
            baseline_rise_per_rep: 0.12,
            endurance_decline: 0.2,
            tonic_decline_per_rep: 0.03,
            pelvic_push_factor: 2.2,
            anal_push_change: 0.25,
            pressure_rest_mmhg: 85.0,
            squeeze_increment_mmhg: 70.0,
            ..normal
        };
        match self {
            Profile::Normal => normal,
            Profile::Overactive => overactive,
            Profile::OveractiveWeak => ProfileParams {
                rest_uv: 8.0,
                mvc_uv: 15.0,
                endurance_decline: 0.4,
                squeeze_increment_mmhg: 30.0,
                ..overactive
            },
            Profile::Weak => ProfileParams {
                rest_uv: 2.5,
                mvc_uv: 11.0,
                rise_s: 0.4,
                endurance_decline: 0.65,
                tonic_decline_per_rep: 0.1,
                squeeze_increment_mmhg: 20.0,
                pressure_rest_mmhg: 45.0,
                ..normal
            },
            Profile::Accessory => ProfileParams {
                abdominal_coupling: 0.7,
                ..normal
            },
        }
    }

    /// Flag codes this profile should raise, and the pattern it should suggest.
    pub fn expected(self) -> (&'static [&'static str], &'static str) {
        match self {
            Profile::Normal => (&[], "within_reference"),
            Profile::Overactive => (
                &[
                    "unstable_rest",
                    "incomplete_relaxation",
                    "rising_baseline",
                    "slow_release",
                    "paradoxical_push",
                ],
                "overactive",
            ),
            Profile::Weak => (&["weak_contraction", "endurance_fatigue"], "weak"),
            Profile::OveractiveWeak => (
                &[
                    "unstable_rest",
                    "incomplete_relaxation",
                    "slow_release",
                    "paradoxical_push",
                    "weak_contraction",
                ],
                "overactive_weak",
            ),
            Profile::Accessory => (&["accessory_cocontraction"], "uncoordinated"),
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Profile {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Profile::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| {
                format!("unknown profile '{s}' (expected normal, overactive, weak, overactive-weak or accessory)")
            })
    }
}

/// The numbers behind a profile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProfileParams {
    /// Pelvic rest level, µV RMS.
    pub rest_uv: f64,
    /// Slow relative fluctuation of the rest level (0.08 stable, 0.35 unstable).
    pub rest_fluctuation: f64,
    /// Maximal voluntary contraction level, µV RMS.
    pub mvc_uv: f64,
    /// Rise time of a contraction, s.
    pub rise_s: f64,
    /// Release time of a contraction, s.
    pub release_s: f64,
    /// Residual activity right after a hold, as a fraction of the hold level above rest.
    pub residual_after_hold: f64,
    /// Decay time constant of that residual, s.
    pub residual_decay_s: f64,
    /// Rest level increase per repetition within a set (fraction of rest).
    pub baseline_rise_per_rep: f64,
    /// Amplitude decline over the endurance hold (fraction).
    pub endurance_decline: f64,
    /// Amplitude decline per tonic repetition (fraction).
    pub tonic_decline_per_rep: f64,
    /// Abdominal rest level, µV RMS.
    pub abdominal_rest_uv: f64,
    /// Abdominal rise per pelvic rise (fraction of the pelvic increase).
    pub abdominal_coupling: f64,
    /// Abdominal level while bearing down, µV RMS.
    pub abdominal_push_uv: f64,
    /// Pelvic level while bearing down, as a factor of rest (< 1 relaxes, > 1 paradoxical).
    pub pelvic_push_factor: f64,
    /// Anal pressure change while bearing down, fraction of rest (−0.35 relaxes, +0.25 paradoxical).
    pub anal_push_change: f64,
    /// Resting anal pressure, mmHg.
    pub pressure_rest_mmhg: f64,
    /// Squeeze increment at MVC, mmHg.
    pub squeeze_increment_mmhg: f64,
}
