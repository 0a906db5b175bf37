//! Butterworth design, orders 1 to 8, as second-order sections equal to SciPy's
//! `butter(N, Wn, btype, fs=fs, output='sos')`.
//!
//! The path is SciPy's: analog prototype (`buttap`), frequency pre-warping, low-pass to
//! low/high/band-pass/band-stop transform, bilinear transform, then `zpk2sos` pairing.

use alloc::vec::Vec;
use core::f64::consts::PI;
use num_complex::Complex64;

use crate::error::{check_frequency, check_rate, DesignError};
use crate::sos::Sos;
use crate::sos_pairing::zpk2sos;
use crate::zpk::{cdiv, Zpk};

/// Highest supported order (per band edge: a band-pass of order 8 has 16 poles).
pub const MAX_ORDER: usize = 8;

/// Which band a filter passes, with its edges in Hz.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Band {
    /// Pass below `cutoff_hz`.
    LowPass {
        /// −3 dB frequency in Hz.
        cutoff_hz: f64,
    },
    /// Pass above `cutoff_hz`.
    HighPass {
        /// −3 dB frequency in Hz.
        cutoff_hz: f64,
    },
    /// Pass between `low_hz` and `high_hz`.
    BandPass {
        /// Lower −3 dB edge in Hz.
        low_hz: f64,
        /// Upper −3 dB edge in Hz.
        high_hz: f64,
    },
    /// Reject between `low_hz` and `high_hz`.
    BandStop {
        /// Lower −3 dB edge in Hz.
        low_hz: f64,
        /// Upper −3 dB edge in Hz.
        high_hz: f64,
    },
}

impl Band {
    /// Checks the edges against the sample rate.
    fn check(&self, rate_hz: f64) -> Result<(), DesignError> {
        match *self {
            Band::LowPass { cutoff_hz } | Band::HighPass { cutoff_hz } => {
                check_frequency("cutoff_hz", cutoff_hz, rate_hz)
            }
            Band::BandPass { low_hz, high_hz } | Band::BandStop { low_hz, high_hz } => {
                check_frequency("low_hz", low_hz, rate_hz)?;
                check_frequency("high_hz", high_hz, rate_hz)?;
                if low_hz < high_hz {
                    Ok(())
                } else {
                    Err(DesignError::InvalidBand { low_hz, high_hz })
                }
            }
        }
    }
}

/// Analog Butterworth prototype of order `n` (SciPy `buttap`): poles on the unit circle, gain 1.
fn prototype(n: usize) -> Zpk {
    let two_n = Complex64::new(2.0 * n as f64, 0.0);
    let p: Vec<Complex64> = (0..n)
        .map(|i| {
            let m = -(n as f64) + 1.0 + 2.0 * i as f64;
            // -exp(1j*pi*m/(2N)), with NumPy's complex arithmetic.
            let arg = cdiv(Complex64::new(0.0, PI) * Complex64::new(m, 0.0), two_n);
            let e = libm::exp(arg.re);
            -Complex64::new(e * libm::cos(arg.im), e * libm::sin(arg.im))
        })
        .collect();
    Zpk {
        z: Vec::new(),
        p,
        k: 1.0,
    }
}

/// Pre-warped analog frequency for the bilinear transform with SciPy's normalisation (fs = 2).
fn warp(f_hz: f64, rate_hz: f64) -> f64 {
    let wn = f_hz / (rate_hz / 2.0);
    2.0 * 2.0 * libm::tan(PI * wn / 2.0)
}

/// Designs a digital Butterworth filter of `order` (1..=8) for `band` at `rate_hz`.
///
/// ```
/// use tonus_dsp::{butterworth, Band};
/// let sos = butterworth(4, Band::BandPass { low_hz: 20.0, high_hz: 450.0 }, 2000.0).unwrap();
/// assert_eq!(sos.len(), 4);
/// ```
pub fn butterworth(order: usize, band: Band, rate_hz: f64) -> Result<Sos, DesignError> {
    check_rate(rate_hz)?;
    if order == 0 || order > MAX_ORDER {
        return Err(DesignError::InvalidOrder { order });
    }
    band.check(rate_hz)?;
    let proto = prototype(order);
    let analog = match band {
        Band::LowPass { cutoff_hz } => proto.lp2lp(warp(cutoff_hz, rate_hz)),
        Band::HighPass { cutoff_hz } => proto.lp2hp(warp(cutoff_hz, rate_hz)),
        Band::BandPass { low_hz, high_hz } | Band::BandStop { low_hz, high_hz } => {
            let (w0, w1) = (warp(low_hz, rate_hz), warp(high_hz, rate_hz));
            let bw = w1 - w0;
            let wo = libm::sqrt(w0 * w1);
            if matches!(band, Band::BandPass { .. }) {
                proto.lp2bp(wo, bw)
            } else {
                proto.lp2bs(wo, bw)
            }
        }
    };
    Ok(Sos::from_rows(&zpk2sos(&analog.bilinear(2.0))))
}
