//! The simulated people of the bank: a profile and a severity give the ranges each person's numbers
//! are drawn from (µV RMS at device gain 1; the device gain multiplies every EMG value).
//!
//! The ranges follow CLINICAL.md: healthy intravaginal rest 2–7 µV, contractions 7–50 µV, a healthy
//! MVC some 7–12 times its rest above rest (Oleksy 2020: 49.8 against 6.26 µV); an overactive floor
//! rests higher and unsteadily, releases slowly and incompletely, and may push paradoxically; a weak
//! floor rests quietly and steadily at a normal level but contracts little and tires; a floor can be
//! both (§2b), with the contraction poor against its own raised rest.

use crate::noise::Rng;

/// The pattern a bank person has (what the analysis should find).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Profile {
    /// Healthy floor, healthy abdomen: `within_reference`.
    Normal,
    /// High, unsteady rest; slow or partial let-go; a contraction of normal size above that rest.
    Overactive,
    /// Quiet steady rest; a small contraction that lets go at once and tires.
    Weak,
    /// Both at once: overactive at rest, weak on contraction (relaxation first).
    OveractiveWeak,
    /// A healthy floor whose abdomen joins every contraction.
    Accessory,
    /// A healthy floor recorded with artifacts in its pre-baseline rest.
    Artifacts,
}

impl Profile {
    /// Every profile of the bank.
    pub const ALL: [Profile; 6] = [
        Profile::Normal,
        Profile::Overactive,
        Profile::Weak,
        Profile::OveractiveWeak,
        Profile::Accessory,
        Profile::Artifacts,
    ];

    /// The pattern label the analysis should suggest for this person.
    pub fn expected_pattern(self) -> &'static str {
        match self {
            Profile::Normal | Profile::Artifacts => "within_reference",
            Profile::Overactive => "overactive",
            Profile::Weak => "weak",
            Profile::OveractiveWeak => "overactive_weak",
            Profile::Accessory => "uncoordinated",
        }
    }

    /// A short name.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Normal => "normal",
            Profile::Overactive => "overactive",
            Profile::Weak => "weak",
            Profile::OveractiveWeak => "overactive_weak",
            Profile::Accessory => "accessory",
            Profile::Artifacts => "artifacts",
        }
    }
}

/// How pronounced the profile's signs are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// The signs just clear of healthy.
    Mild,
    /// Typical.
    Moderate,
    /// Pronounced.
    Marked,
}

impl Severity {
    /// Every severity.
    pub const ALL: [Severity; 3] = [Severity::Mild, Severity::Moderate, Severity::Marked];

    /// 0, 1 or 2.
    pub fn index(self) -> usize {
        self as usize
    }

    /// A short name.
    pub fn name(self) -> &'static str {
        ["mild", "moderate", "marked"][self.index()]
    }
}

/// One person's numbers (µV RMS at gain 1, seconds, mmHg).
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// Pelvic rest level.
    pub rest_uv: f64,
    /// Slow fluctuation of rest (coefficient of variation of a log-normal OU process).
    pub rest_cv: f64,
    /// Time constant of that fluctuation.
    pub rest_tau_s: f64,
    /// MVC rise above rest, as a multiple of rest.
    pub mvc_over_rest: f64,
    /// First-order rise time constant of a contraction.
    pub rise_tau_s: f64,
    /// First-order release time constant.
    pub release_tau_s: f64,
    /// Extra activity after each hold's release, as a fraction of rest, decaying with `residual_tau_s`.
    pub residual: f64,
    /// Decay of that residual.
    pub residual_tau_s: f64,
    /// Rest rises by this fraction of rest with every repetition of a set.
    pub baseline_step: f64,
    /// The post-baseline rest against the pre-baseline rest (1: the same).
    pub post_rest_factor: f64,
    /// Fraction by which the endurance hold falls from its start to its end.
    pub endurance_decline: f64,
    /// Pelvic level while bearing down, as a multiple of rest (< 1 relaxes, > 1 paradoxical).
    pub push_factor: f64,
    /// Abdominal rest level.
    pub abdominal_rest_uv: f64,
    /// Abdominal rise at the pelvic MVC, as a multiple of abdominal rest.
    pub abdominal_coupling: f64,
    /// Abdominal level while bearing down, multiple of its rest.
    pub abdominal_push: f64,
    /// Resting anal pressure.
    pub pressure_rest_mmhg: f64,
    /// Squeeze increment at MVC.
    pub squeeze_mmhg: f64,
    /// Anal pressure change while bearing down, fraction of rest.
    pub push_pressure_change: f64,
    /// Delay between a cue and the start of the effort.
    pub reaction_s: f64,
}

impl Person {
    /// Draws a person of `profile` at `severity`.
    pub fn draw(profile: Profile, severity: Severity, rng: &mut Rng) -> Self {
        let s = severity.index();
        let mut p = Person {
            rest_uv: rng.between(2.0, 5.0),
            rest_cv: rng.between(0.03, 0.07),
            rest_tau_s: rng.between(0.5, 1.2),
            mvc_over_rest: rng.between(7.0, 12.0),
            rise_tau_s: rng.between(0.08, 0.2),
            release_tau_s: rng.between(0.08, 0.2),
            residual: 0.0,
            residual_tau_s: 3.0,
            baseline_step: 0.0,
            post_rest_factor: rng.between(0.9, 1.05),
            endurance_decline: rng.between(0.05, 0.2),
            push_factor: rng.between(0.5, 0.8),
            abdominal_rest_uv: rng.between(2.0, 4.0),
            abdominal_coupling: rng.between(0.1, 0.8),
            abdominal_push: rng.between(6.0, 10.0),
            pressure_rest_mmhg: rng.between(45.0, 75.0),
            squeeze_mmhg: rng.between(70.0, 130.0),
            push_pressure_change: rng.between(-0.4, -0.25),
            reaction_s: rng.between(0.15, 0.4),
        };
        let over = |p: &mut Person, rng: &mut Rng| {
            p.rest_uv = rng.between(6.0, 13.0);
            p.rest_cv = [0.2, 0.26, 0.32][s] + rng.between(-0.02, 0.03);
            p.release_tau_s = [0.3, 0.8, 1.4][s] * rng.between(0.9, 1.2);
            p.residual = [0.45, 0.7, 1.0][s] * rng.between(0.9, 1.2);
            p.residual_tau_s = rng.between(4.0, 8.0);
            p.baseline_step = [0.0, 0.04, 0.08][s];
            p.post_rest_factor = [1.1, 1.2, 1.35][s];
            p.push_factor = [0.95, 1.5, 2.2][s];
            p.pressure_rest_mmhg = rng.between(75.0, 100.0);
            p.push_pressure_change = [0.0, 0.15, 0.3][s];
        };
        match profile {
            Profile::Normal | Profile::Artifacts => {}
            Profile::Overactive => {
                over(&mut p, rng);
                p.mvc_over_rest = rng.between(2.4, 3.5);
            }
            Profile::OveractiveWeak => {
                over(&mut p, rng);
                p.rest_uv = rng.between(6.0, 10.0);
                p.mvc_over_rest = [1.1, 0.85, 0.6][s] * rng.between(0.9, 1.1);
                p.endurance_decline = rng.between(0.3, 0.5);
                p.squeeze_mmhg = rng.between(20.0, 45.0);
            }
            Profile::Weak => {
                p.rest_uv = rng.between(1.5, 3.0);
                p.mvc_over_rest = [3.4, 2.4, 1.6][s] * rng.between(0.9, 1.1);
                p.endurance_decline = [0.3, 0.45, 0.6][s];
                p.squeeze_mmhg = rng.between(15.0, 40.0);
            }
            Profile::Accessory => {
                p.abdominal_coupling = [4.0, 6.0, 9.0][s] * rng.between(0.9, 1.2);
            }
        }
        p
    }
}
