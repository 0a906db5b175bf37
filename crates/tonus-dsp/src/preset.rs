//! Named filter presets for pelvic-floor channels and the configuration they expand to.

use core::fmt;
use core::str::FromStr;

use crate::butterworth::{butterworth, Band};
use crate::error::DesignError;
use crate::notch::{mains_notches_at, Harmonics, Mains, DEFAULT_NOTCH_Q};
use crate::sos::Sos;

/// Upper band edges are clipped to this fraction of the sample rate, so that e.g. the 500 Hz edge of
/// the `emg` preset still designs at 1 kHz (450 Hz) instead of failing at Nyquist.
pub const MAX_EDGE_FRACTION: f64 = 0.45;

/// A named, clinically sourced starting configuration (CLINICAL.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Surface/intracavitary EMG: 4th-order Butterworth band-pass 20–500 Hz (SENIAM), 100 ms RMS.
    Emg,
    /// EMG near the heart or over the abdomen: as `Emg` with the high-pass edge at 30 Hz, which removes
    /// most ECG energy (Drake & Callaghan 2006).
    EmgEcgSafe,
    /// Manometry pressure: 2nd-order Butterworth low-pass at 5 Hz (signals of interest < 10 Hz; the
    /// 2nd order keeps the squeeze step's overshoot to 4 % instead of the 4th order's 11 %).
    Pressure,
}

impl Preset {
    /// Every preset, in documentation order.
    pub const ALL: [Preset; 3] = [Preset::Emg, Preset::EmgEcgSafe, Preset::Pressure];

    /// The preset's command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Emg => "emg",
            Preset::EmgEcgSafe => "emg-ecg-safe",
            Preset::Pressure => "pressure",
        }
    }

    /// The configuration this preset stands for.
    pub fn config(self) -> ChainConfig {
        match self {
            Preset::Emg => ChainConfig {
                order: 4,
                high_pass_hz: Some(20.0),
                low_pass_hz: Some(500.0),
                ..ChainConfig::default()
            },
            Preset::EmgEcgSafe => ChainConfig {
                order: 4,
                high_pass_hz: Some(30.0),
                low_pass_hz: Some(500.0),
                ..ChainConfig::default()
            },
            Preset::Pressure => ChainConfig {
                order: 2,
                high_pass_hz: None,
                low_pass_hz: Some(5.0),
                ..ChainConfig::default()
            },
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A preset name that is not one of [`Preset::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPreset;

impl fmt::Display for UnknownPreset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown preset (expected emg, emg-ecg-safe or pressure)")
    }
}

impl core::error::Error for UnknownPreset {}

impl FromStr for Preset {
    type Err = UnknownPreset;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Preset::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or(UnknownPreset)
    }
}

/// One channel's filter chain: Butterworth band edges, optional mains notches, RMS window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChainConfig {
    /// Butterworth order (1..=8) of the band filter.
    pub order: usize,
    /// High-pass edge in Hz, if any.
    pub high_pass_hz: Option<f64>,
    /// Low-pass edge in Hz, if any; clipped to [`MAX_EDGE_FRACTION`] of the rate at design time.
    pub low_pass_hz: Option<f64>,
    /// Mains notch, off by default (SENIAM/ISEK advise against notching EMG; CLINICAL.md §4).
    pub mains: Option<Mains>,
    /// Notch quality factor.
    pub notch_q: f64,
    /// Which mains harmonics below Nyquist are notched too.
    pub notch_harmonics: Harmonics,
    /// Moving-RMS window in seconds (100 ms for metrics).
    pub rms_window_s: f64,
}

impl Default for ChainConfig {
    fn default() -> Self {
        Self {
            order: 4,
            high_pass_hz: None,
            low_pass_hz: None,
            mains: None,
            notch_q: DEFAULT_NOTCH_Q,
            notch_harmonics: Harmonics::ALL,
            rms_window_s: 0.100,
        }
    }
}

impl ChainConfig {
    /// The RMS window in whole samples at `rate_hz` (nearest; at least 1): the one
    /// [`ChannelChain`](crate::ChannelChain) uses, for an envelope computed any other way.
    pub fn rms_window(&self, rate_hz: f64) -> Result<usize, DesignError> {
        crate::rms::window_samples(self.rms_window_s, rate_hz)
    }

    /// The band this configuration designs at `rate_hz`, after clipping the upper edge; `None` if it
    /// has neither edge (pass-through).
    pub fn band(&self, rate_hz: f64) -> Option<Band> {
        let clip = |f: f64| f.min(MAX_EDGE_FRACTION * rate_hz);
        match (self.high_pass_hz, self.low_pass_hz) {
            (Some(low_hz), Some(high_hz)) => Some(Band::BandPass {
                low_hz,
                high_hz: clip(high_hz),
            }),
            (Some(cutoff_hz), None) => Some(Band::HighPass { cutoff_hz }),
            (None, Some(cutoff_hz)) => Some(Band::LowPass {
                cutoff_hz: clip(cutoff_hz),
            }),
            (None, None) => None,
        }
    }

    /// Designs the cascade (band filter, then notches) for `rate_hz`. Checks every parameter.
    pub fn design(&self, rate_hz: f64) -> Result<Sos, DesignError> {
        crate::error::check_rate(rate_hz)?;
        let mut sos = match self.band(rate_hz) {
            Some(band) => butterworth(self.order, band, rate_hz)?,
            None => Sos::default(),
        };
        if let Some(mains) = self.mains {
            sos = sos.then(&mains_notches_at(
                mains,
                self.notch_q,
                rate_hz,
                self.notch_harmonics,
            )?);
        }
        Ok(sos)
    }
}
