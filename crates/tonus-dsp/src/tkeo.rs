//! Teager–Kaiser energy operator, streaming.

use crate::sample::Sample;

/// `ψ[n] = x[n]² − x[n−1]·x[n+1]`, computed as samples arrive.
///
/// The operator needs one sample of look-ahead, so output `i` of a block is `ψ` of the sample *before*
/// input `i` (a one-sample delay); the first output of a stream is 0. Over a whole signal `x`, the
/// outputs are `[0, 0, ψ[1], ψ[2], …, ψ[n−2]]`, i.e. `ψ[k]` lands at index `k + 1`.
#[derive(Debug, Clone, Default)]
pub struct Tkeo {
    prev: f64,
    prev2: f64,
    seen: u8,
}

impl Tkeo {
    /// A fresh operator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes `x[n]`, returns `ψ[n−1]` (0 until three samples have been seen).
    #[inline(always)]
    pub fn push(&mut self, x: f64) -> f64 {
        let out = if self.seen >= 2 {
            self.prev * self.prev - self.prev2 * x
        } else {
            self.seen += 1;
            0.0
        };
        self.prev2 = self.prev;
        self.prev = x;
        out
    }

    /// Replaces each sample by the delayed operator output.
    pub fn process_in_place<T: Sample>(&mut self, data: &mut [T]) {
        for v in data.iter_mut() {
            *v = T::from_f64(self.push(v.to_f64()));
        }
    }
}
