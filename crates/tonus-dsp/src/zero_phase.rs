//! Offline zero-phase filtering, equal to SciPy `sosfiltfilt` with its defaults.
//!
//! Odd extension of `3 × (2·sections + 1 − trailing zeros)` samples at each end, forward pass started
//! from the step-response state scaled by the first sample (`sosfilt_zi`), backward pass likewise from
//! the last forward output, then the padding is cut off. Needs the whole signal, so it allocates; it is
//! for replay and batch work, not for the live path.

use alloc::vec::Vec;

use crate::cascade::SosState;
use crate::error::DesignError;
use crate::sos::Sos;

impl Sos {
    /// Initial state for a step response of unit height (SciPy `sosfilt_zi`).
    pub fn step_state(&self) -> SosState {
        let mut scale = 1.0;
        let z = self
            .sections()
            .iter()
            .map(|s| {
                let zi = s.step_state();
                let out = [scale * zi[0], scale * zi[1]];
                scale *= (s.b0 + s.b1 + s.b2) / (1.0 + s.a1 + s.a2);
                out
            })
            .collect();
        SosState::from_values(z)
    }

    /// Edge padding `sosfiltfilt` uses by default: `3 × ntaps`.
    pub fn filtfilt_padlen(&self) -> usize {
        let n = self.len();
        let b2_zero = self.sections().iter().filter(|s| s.b2 == 0.0).count();
        let a2_zero = self.sections().iter().filter(|s| s.a2 == 0.0).count();
        3 * (2 * n + 1 - b2_zero.min(a2_zero))
    }

    /// Zero-phase (forward-backward) filtering of a whole signal, as SciPy `sosfiltfilt(sos, x)`.
    ///
    /// Fails only if `x` is not longer than [`Sos::filtfilt_padlen`].
    pub fn filtfilt(&self, x: &[f64]) -> Result<Vec<f64>, DesignError> {
        let pad = self.filtfilt_padlen();
        let n = x.len();
        if n <= pad {
            return Err(DesignError::SignalTooShort {
                len: n,
                needed_more_than: pad,
            });
        }
        let mut ext = Vec::with_capacity(n + 2 * pad);
        let (first, last) = (x[0], x[n - 1]);
        ext.extend((1..=pad).rev().map(|i| 2.0 * first - x[i]));
        ext.extend_from_slice(x);
        ext.extend((1..=pad).map(|i| 2.0 * last - x[n - 1 - i]));

        let zi = self.step_state();
        let scaled = |v: f64| {
            SosState::from_values(zi.values().iter().map(|z| [z[0] * v, z[1] * v]).collect())
        };
        let mut state = scaled(ext[0]);
        self.process_in_place(&mut state, &mut ext);
        let mut state = scaled(ext[ext.len() - 1]);
        ext.reverse();
        self.process_in_place(&mut state, &mut ext);
        ext.reverse();
        ext.truncate(pad + n);
        ext.drain(..pad);
        Ok(ext)
    }
}
