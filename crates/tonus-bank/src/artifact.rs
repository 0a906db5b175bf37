//! Artifacts the bank puts into a pre-baseline rest (CLINICAL.md §7), each with the quality flag
//! the analysis should raise for it.

use core::f64::consts::PI;

/// An artifact kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Artifact {
    /// A cough: a short pressure spike above every squeeze, with a burst on both EMG channels.
    Cough,
    /// One second of the pelvic channel at the ADC rails.
    Saturation,
    /// 50 or 60 Hz hum (with its third harmonic) on both EMG channels, the whole recording.
    Mains,
    /// 1.5 s of large low-frequency movement on both EMG channels.
    Motion,
    /// Two seconds of the pelvic electrode off: a DC step and no EMG.
    ElectrodeOff,
    /// Heartbeats on the abdominal channel, the whole recording.
    Ecg,
}

impl Artifact {
    /// Every kind.
    pub const ALL: [Artifact; 6] = [
        Artifact::Cough,
        Artifact::Saturation,
        Artifact::Mains,
        Artifact::Motion,
        Artifact::ElectrodeOff,
        Artifact::Ecg,
    ];

    /// The flag code the analysis should raise.
    pub fn code(self) -> &'static str {
        match self {
            Artifact::Cough => "cough_artifact",
            Artifact::Saturation => "saturation",
            Artifact::Mains => "mains_interference",
            Artifact::Motion => "motion_artifact",
            Artifact::ElectrodeOff => "electrode_off",
            Artifact::Ecg => "ecg_contamination",
        }
    }

    /// Whether it is confined to a span (and then where the bank put it), rather than lasting the
    /// whole recording.
    pub fn is_span(self) -> bool {
        !matches!(self, Artifact::Mains | Artifact::Ecg)
    }
}

/// A Ricker ("Mexican hat") wavelet of width `sigma_s` at time `t` from its centre: the shape of a
/// QRS complex, with its energy at about 20–40 Hz for `sigma_s` ≈ 8 ms.
pub(crate) fn ricker(t: f64, sigma_s: f64) -> f64 {
    let x = (t / sigma_s).powi(2);
    (1.0 - x) * (-x / 2.0).exp()
}

/// A Hann window over `[0, len]` at `t`.
pub(crate) fn hann(t: f64, len: f64) -> f64 {
    if (0.0..=len).contains(&t) {
        0.5 - 0.5 * (2.0 * PI * t / len).cos()
    } else {
        0.0
    }
}
