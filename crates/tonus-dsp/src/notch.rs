//! Mains notch filters: SciPy's `iirnotch`, at 50 or 60 Hz, optionally with harmonics.

use alloc::vec::Vec;
use core::f64::consts::PI;

use crate::biquad::Biquad;
use crate::error::{check_frequency, check_rate, DesignError};
use crate::sos::Sos;

/// Mains frequency of the recording site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mains {
    /// 50 Hz (Europe, Africa, most of Asia).
    Hz50,
    /// 60 Hz (the Americas, parts of Asia).
    Hz60,
}

/// A mains frequency other than 50 or 60 Hz.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownMains(pub alloc::string::String);

impl core::fmt::Display for UnknownMains {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "mains notch must be 50 or 60 (Hz), got '{}'", self.0)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for UnknownMains {}

impl core::str::FromStr for Mains {
    type Err = UnknownMains;

    /// `50` or `60` (with or without `Hz`).
    fn from_str(s: &str) -> Result<Self, UnknownMains> {
        match s
            .trim()
            .trim_end_matches("Hz")
            .trim_end_matches("hz")
            .trim()
        {
            "50" => Ok(Mains::Hz50),
            "60" => Ok(Mains::Hz60),
            _ => Err(UnknownMains(s.into())),
        }
    }
}

impl Mains {
    /// The fundamental in Hz.
    pub fn hz(self) -> f64 {
        match self {
            Mains::Hz50 => 50.0,
            Mains::Hz60 => 60.0,
        }
    }
}

/// Which multiples of the mains frequency (2×, 3×, … below Nyquist) get a notch besides the
/// fundamental: none, all, or a chosen set (multiples 2 to 65), e.g. those that carry hum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Harmonics(u64);

impl Harmonics {
    /// The fundamental only.
    pub const NONE: Self = Self(0);
    /// Every multiple below Nyquist.
    pub const ALL: Self = Self(u64::MAX);

    /// Only these multiples (each `k` in 2..=65; others are ignored).
    pub fn only(multiples: impl IntoIterator<Item = u32>) -> Self {
        Self(
            multiples
                .into_iter()
                .filter(|k| (2..=65).contains(k))
                .fold(0, |bits, k| bits | 1 << (k - 2)),
        )
    }

    /// Whether multiple `k` (≥ 2) is notched.
    pub fn contains(self, k: u32) -> bool {
        match k {
            _ if self == Self::ALL => k >= 2,
            2..=65 => self.0 & (1 << (k - 2)) != 0,
            _ => false,
        }
    }
}

/// Default notch quality factor (bandwidth f0/Q: 1.7 Hz at 50 Hz).
pub const DEFAULT_NOTCH_Q: f64 = 30.0;

/// A second-order notch at `f0_hz` with quality factor `q`, equal to SciPy `iirnotch(f0, Q, fs)`.
pub fn notch(f0_hz: f64, q: f64, rate_hz: f64) -> Result<Biquad, DesignError> {
    check_rate(rate_hz)?;
    check_frequency("f0_hz", f0_hz, rate_hz)?;
    if !(q.is_finite() && q > 0.0) {
        return Err(DesignError::InvalidQ { q });
    }
    let w0 = 2.0 * f0_hz / rate_hz;
    let bw = w0 / q * PI;
    let w0 = w0 * PI;
    let beta = libm::tan(bw / 2.0);
    let gain = 1.0 / (1.0 + beta);
    let c = libm::cos(w0);
    Ok(Biquad {
        b0: gain,
        b1: gain * (-2.0 * c),
        b2: gain,
        a1: -2.0 * gain * c,
        a2: 2.0 * gain - 1.0,
    })
}

/// Notches at the mains fundamental and, if `harmonics`, at every multiple below the Nyquist frequency.
pub fn mains_notches(
    mains: Mains,
    q: f64,
    rate_hz: f64,
    harmonics: bool,
) -> Result<Sos, DesignError> {
    let which = if harmonics {
        Harmonics::ALL
    } else {
        Harmonics::NONE
    };
    mains_notches_at(mains, q, rate_hz, which)
}

/// Notches at the mains fundamental and at the chosen multiples below the Nyquist frequency.
pub fn mains_notches_at(
    mains: Mains,
    q: f64,
    rate_hz: f64,
    harmonics: Harmonics,
) -> Result<Sos, DesignError> {
    check_rate(rate_hz)?;
    let f0 = mains.hz();
    let mut sections = Vec::new();
    sections.push(notch(f0, q, rate_hz)?);
    let mut k = 2;
    while f64::from(k) * f0 < rate_hz / 2.0 {
        if harmonics.contains(k) {
            sections.push(notch(f64::from(k) * f0, q, rate_hz)?);
        }
        k += 1;
    }
    Ok(Sos::new(sections))
}
