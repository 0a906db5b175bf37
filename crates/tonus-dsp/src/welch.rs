//! Welch power spectral density, equal to SciPy `welch` with its defaults, and the EMG fatigue
//! frequencies computed from it.
//!
//! Defaults as SciPy: periodic Hann window, 50 % overlap, per-segment mean removed (`detrend='constant'`),
//! one-sided density scaling (units²/Hz), mean over segments. A [`WelchPlan`] holds the FFT plan and
//! scratch, so repeated spectra of the same length allocate nothing.

use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use core::f64::consts::PI;

use realfft::{RealFftPlanner, RealToComplex};
use rustfft::num_complex::Complex64;

use crate::error::{check_rate, DesignError};

/// SciPy's default segment length.
pub const DEFAULT_NPERSEG: usize = 256;

/// A reusable Welch estimator for one segment length and rate.
#[derive(Clone)]
pub struct WelchPlan {
    nperseg: usize,
    noverlap: usize,
    rate_hz: f64,
    window: Vec<f64>,
    scale: f64,
    /// Real-input FFT (half the work of a complex one).
    fft: Arc<dyn RealToComplex<f64>>,
    input: Vec<f64>,
    spectrum: Vec<Complex64>,
    scratch: Vec<Complex64>,
}

impl core::fmt::Debug for WelchPlan {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("WelchPlan")
            .field("nperseg", &self.nperseg)
            .field("noverlap", &self.noverlap)
            .field("rate_hz", &self.rate_hz)
            .finish()
    }
}

impl WelchPlan {
    /// A plan for segments of `nperseg` samples with `nperseg / 2` overlap at `rate_hz`.
    pub fn new(nperseg: usize, rate_hz: f64) -> Result<Self, DesignError> {
        check_rate(rate_hz)?;
        if nperseg == 0 {
            return Err(DesignError::InvalidWindow {
                parameter: "nperseg",
                value: 0.0,
            });
        }
        let window: Vec<f64> = (0..nperseg)
            .map(|i| 0.5 - 0.5 * libm::cos(2.0 * PI * i as f64 / nperseg as f64))
            .collect();
        let wsum2: f64 = window.iter().map(|w| w * w).sum();
        let fft = RealFftPlanner::<f64>::new().plan_fft_forward(nperseg);
        let input = fft.make_input_vec();
        let spectrum = fft.make_output_vec();
        let scratch = fft.make_scratch_vec();
        Ok(Self {
            nperseg,
            noverlap: nperseg / 2,
            rate_hz,
            window,
            scale: 1.0 / (rate_hz * wsum2),
            fft,
            input,
            spectrum,
            scratch,
        })
    }

    /// Number of frequency bins: `nperseg / 2 + 1`.
    pub fn bins(&self) -> usize {
        self.nperseg / 2 + 1
    }

    /// Frequency of bin `k` in Hz.
    pub fn frequency(&self, k: usize) -> f64 {
        k as f64 * self.rate_hz / self.nperseg as f64
    }

    /// Writes the density of `x` into `psd` (at least [`WelchPlan::bins`] long); returns the number of
    /// segments averaged (0 if `x` is shorter than one segment, leaving `psd` zero).
    pub fn psd(&mut self, x: &[f64], psd: &mut [f64]) -> usize {
        let bins = self.bins();
        let n = bins.min(psd.len());
        let psd = &mut psd[..n];
        psd.iter_mut().for_each(|p| *p = 0.0);
        let step = self.nperseg - self.noverlap;
        if x.len() < self.nperseg {
            return 0;
        }
        let segments = (x.len() - self.noverlap) / step;
        for s in 0..segments {
            let seg = &x[s * step..s * step + self.nperseg];
            let mean = seg.iter().sum::<f64>() / self.nperseg as f64;
            for ((b, v), w) in self.input.iter_mut().zip(seg).zip(&self.window) {
                *b = (v - mean) * w;
            }
            // The buffers come from the plan itself, so their lengths are the ones it checks.
            if self
                .fft
                .process_with_scratch(&mut self.input, &mut self.spectrum, &mut self.scratch)
                .is_err()
            {
                return 0;
            }
            for (p, c) in psd.iter_mut().zip(&self.spectrum) {
                *p += c.norm_sqr();
            }
        }
        let even = self.nperseg.is_multiple_of(2);
        let last = psd.len().saturating_sub(1);
        for (k, p) in psd.iter_mut().enumerate() {
            let one_sided = if k == 0 || (even && k == last) {
                1.0
            } else {
                2.0
            };
            *p = *p * self.scale * one_sided / segments as f64;
        }
        segments
    }
}

/// A one-sided power spectral density.
#[derive(Debug, Clone, PartialEq)]
pub struct Psd {
    /// Bin frequencies in Hz.
    pub freqs: Vec<f64>,
    /// Density per bin (units²/Hz).
    pub density: Vec<f64>,
}

impl Psd {
    /// Median frequency: the lowest bin frequency at which the cumulative power reaches half the total.
    /// `None` for a spectrum with no power.
    pub fn median_frequency(&self) -> Option<f64> {
        let total: f64 = self.density.iter().sum();
        if total.is_nan() || total <= 0.0 {
            return None;
        }
        let mut acc = 0.0;
        for (f, p) in self.freqs.iter().zip(&self.density) {
            acc += p;
            if acc >= total / 2.0 {
                return Some(*f);
            }
        }
        self.freqs.last().copied()
    }

    /// Mean (centroid) frequency `Σ f·P / Σ P`. `None` for a spectrum with no power.
    pub fn mean_frequency(&self) -> Option<f64> {
        let total: f64 = self.density.iter().sum();
        if total.is_nan() || total <= 0.0 {
            return None;
        }
        let weighted: f64 = self
            .freqs
            .iter()
            .zip(&self.density)
            .map(|(f, p)| f * p)
            .sum();
        Some(weighted / total)
    }
}

/// SciPy `welch(x, fs)` with its defaults (`nperseg = min(256, len)`).
pub fn welch(x: &[f64], rate_hz: f64) -> Result<Psd, DesignError> {
    let nperseg = DEFAULT_NPERSEG.min(x.len());
    let mut plan = WelchPlan::new(nperseg, rate_hz)?;
    let mut density = vec![0.0; plan.bins()];
    plan.psd(x, &mut density);
    let freqs = (0..plan.bins()).map(|k| plan.frequency(k)).collect();
    Ok(Psd { freqs, density })
}
