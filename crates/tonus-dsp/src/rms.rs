//! Moving RMS over a trailing window, O(1) per sample and free of drift.

use alloc::vec;
use alloc::vec::Vec;

use crate::error::DesignError;
use crate::sample::Sample;

/// Checks a window length in samples (at least 1).
pub(crate) fn check_window(window: usize) -> Result<(), DesignError> {
    if window == 0 {
        return Err(DesignError::InvalidWindow {
            parameter: "rms_window_samples",
            value: 0.0,
        });
    }
    Ok(())
}

/// A window of `window_s` seconds at `rate_hz`, in whole samples (nearest; at least 1).
pub(crate) fn window_samples(window_s: f64, rate_hz: f64) -> Result<usize, DesignError> {
    crate::error::check_rate(rate_hz)?;
    let n = window_s * rate_hz;
    if !(n.is_finite() && n >= 0.5) {
        return Err(DesignError::InvalidWindow {
            parameter: "rms_window_s",
            value: window_s,
        });
    }
    Ok(libm::round(n) as usize)
}

/// Root mean square of the last `window` samples, updated one sample at a time.
///
/// A running sum of squares updated by "add the new, subtract the oldest" accumulates rounding error
/// without bound (after a loud burst the sum of a quiet signal can stay wrong, or go negative). Here a
/// second accumulator sums the squares entered since the ring last wrapped; at each wrap the ring holds
/// exactly those samples, so the running sum is replaced by that fresh sum. The error is thus bounded
/// by one window's worth of rounding, forever, at O(1) cost per sample. Before the first `window`
/// samples the missing ones count as zeros (the usual causal start-up).
#[derive(Debug, Clone)]
pub struct MovingRms {
    ring: Vec<f64>,
    pos: usize,
    sum: f64,
    fresh: f64,
    inv_window: f64,
}

impl MovingRms {
    /// A moving RMS over `window` samples (at least 1).
    pub fn new(window: usize) -> Result<Self, DesignError> {
        check_window(window)?;
        Ok(Self {
            ring: vec![0.0; window],
            pos: 0,
            sum: 0.0,
            fresh: 0.0,
            inv_window: 1.0 / window as f64,
        })
    }

    /// A moving RMS over `window_s` seconds at `rate_hz` (rounded to the nearest sample count).
    pub fn with_duration(window_s: f64, rate_hz: f64) -> Result<Self, DesignError> {
        Self::new(window_samples(window_s, rate_hz)?)
    }

    /// Window length in samples.
    pub fn window(&self) -> usize {
        self.ring.len()
    }

    /// Takes one sample, returns the RMS of the window ending with it.
    #[inline(always)]
    pub fn push(&mut self, x: f64) -> f64 {
        crate::math::sqrt(self.push_mean_square(x))
    }

    /// Takes one sample, returns the mean square of the window ending with it (the RMS squared,
    /// never negative). [`MovingRms::push`] is exactly `sqrt` of this; callers that take the square
    /// roots of a whole block at once (vectorised) get identical results.
    #[inline(always)]
    pub fn push_mean_square(&mut self, x: f64) -> f64 {
        let sq = x * x;
        // `pos < ring.len()` always: it is reset to 0 on reaching the length.
        let old = core::mem::replace(&mut self.ring[self.pos], sq);
        self.sum += sq - old;
        self.fresh += sq;
        self.pos += 1;
        if self.pos == self.ring.len() {
            self.pos = 0;
            self.sum = self.fresh;
            self.fresh = 0.0;
        }
        self.sum.max(0.0) * self.inv_window
    }

    /// Replaces each sample of `data` by the RMS of the window ending at it.
    pub fn process_in_place<T: Sample>(&mut self, data: &mut [T]) {
        for v in data.iter_mut() {
            *v = T::from_f64(self.push(v.to_f64()));
        }
    }

    /// Writes the RMS of the window ending at each input sample into `output`.
    pub fn process<T: Sample>(&mut self, input: &[T], output: &mut [T]) {
        for (x, y) in input.iter().zip(output.iter_mut()) {
            *y = T::from_f64(self.push(x.to_f64()));
        }
    }

    /// Back to an empty (all-zero) window.
    pub fn reset(&mut self) {
        self.ring.iter_mut().for_each(|v| *v = 0.0);
        self.pos = 0;
        self.sum = 0.0;
        self.fresh = 0.0;
    }
}

/// Offline RMS over a window centred on each sample (no lag), for zero-phase work.
///
/// Sample `i` gets the RMS of `x[i − (window−1)/2 ..= i + window/2]`; near the ends the window is cut
/// to the samples that exist (no zero padding, so the edges are not biased low). The running sum is
/// recomputed exactly every `window` samples, so it cannot drift.
pub fn centered_rms(x: &[f64], window: usize) -> Vec<f64> {
    let window = window.max(1);
    let (before, after) = ((window - 1) / 2, window / 2);
    let n = x.len();
    let mut out = Vec::with_capacity(n);
    let (mut lo, mut hi, mut sum) = (0usize, 0usize, 0.0f64);
    for i in 0..n {
        let (new_lo, new_hi) = (i.saturating_sub(before), (i + after + 1).min(n));
        while hi < new_hi {
            sum += x[hi] * x[hi];
            hi += 1;
        }
        while lo < new_lo {
            sum -= x[lo] * x[lo];
            lo += 1;
        }
        if i % window == 0 {
            sum = x[lo..hi].iter().map(|v| v * v).sum();
        }
        out.push(libm::sqrt(sum.max(0.0) / (hi - lo) as f64));
    }
    out
}
