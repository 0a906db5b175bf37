//! A cascade of second-order sections: the coefficients only, shared by every channel that uses them.

use alloc::vec::Vec;

use crate::biquad::Biquad;
use crate::cascade::SosState;

/// Filter coefficients as a cascade of second-order sections (SciPy's `sos` layout).
///
/// `Sos` is configuration: immutable, cheap to clone, shared between channels. The per-channel memory
/// lives in [`SosState`]; see [`Sos::process`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sos {
    sections: Vec<Biquad>,
}

impl Sos {
    /// A cascade from its sections, applied first to last.
    pub fn new(sections: Vec<Biquad>) -> Self {
        Self { sections }
    }

    /// A cascade from SciPy-style rows `[b0, b1, b2, a0, a1, a2]`.
    pub fn from_rows(rows: &[[f64; 6]]) -> Self {
        Self::new(rows.iter().map(|r| Biquad::from_row(*r)).collect())
    }

    /// The sections, first applied first.
    pub fn sections(&self) -> &[Biquad] {
        &self.sections
    }

    /// Number of sections.
    pub fn len(&self) -> usize {
        self.sections.len()
    }

    /// True for the identity cascade (no sections).
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }

    /// The sections as SciPy-style rows, for comparison with `scipy.signal` output.
    pub fn rows(&self) -> Vec<[f64; 6]> {
        self.sections.iter().map(Biquad::to_row).collect()
    }

    /// This cascade followed by `other` (e.g. a band-pass then mains notches).
    pub fn then(mut self, other: &Sos) -> Sos {
        self.sections.extend_from_slice(&other.sections);
        self
    }

    /// Gain at 0 Hz: the product of the sections' gains.
    pub fn dc_gain(&self) -> f64 {
        self.sections.iter().map(Biquad::dc_gain).product()
    }

    /// Fresh (all-zero) state for one channel filtered by this cascade.
    pub fn new_state(&self) -> SosState {
        SosState::zeros(self.sections.len())
    }
}
