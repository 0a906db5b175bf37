//! Per-channel state of a section cascade and the streaming kernels that run it.
//!
//! The kernels process sample by sample through all sections (sample-major), so the sections'
//! recurrences overlap in the CPU's pipeline; cascades of up to 8 sections are specialised with the
//! state held in registers for the whole block. Output is bit-identical whatever the block sizes,
//! because the arithmetic per sample does not depend on where a block starts.

use alloc::vec;
use alloc::vec::Vec;

use crate::biquad::Biquad;
use crate::sample::Sample;
use crate::sos::Sos;

/// The memory of one channel's cascade: two `f64` values per section.
#[derive(Debug, Clone, PartialEq)]
pub struct SosState {
    z: Vec<[f64; 2]>,
}

impl SosState {
    /// All-zero state for `sections` sections.
    pub fn zeros(sections: usize) -> Self {
        Self {
            z: vec![[0.0; 2]; sections],
        }
    }

    /// State from explicit per-section values (e.g. SciPy's `zi`).
    pub fn from_values(z: Vec<[f64; 2]>) -> Self {
        Self { z }
    }

    /// The per-section values.
    pub fn values(&self) -> &[[f64; 2]] {
        &self.z
    }

    /// Back to all zeros, keeping the memory.
    pub fn reset(&mut self) {
        self.z.iter_mut().for_each(|z| *z = [0.0; 2]);
    }
}

impl Sos {
    /// Filters `data` in place, carrying `state` across calls.
    ///
    /// `state` must come from [`Sos::new_state`] of this cascade (or one of the same length); if it is
    /// shorter, only that many sections run. Never allocates, never fails.
    pub fn process_in_place<T: Sample>(&self, state: &mut SosState, data: &mut [T]) {
        self.process_with(state, data, |_, _| {});
    }

    /// Filters `data` in place and hands each output `(index, value)` to `each` as it is produced, so
    /// a following stage (e.g. a moving RMS) runs in the same loop instead of a second pass.
    #[inline]
    pub fn process_with<T: Sample, F: FnMut(usize, f64)>(
        &self,
        state: &mut SosState,
        data: &mut [T],
        mut each: F,
    ) {
        debug_assert_eq!(
            state.z.len(),
            self.sections().len(),
            "state from another cascade"
        );
        let secs = self.sections();
        let z = &mut state.z[..];
        macro_rules! fixed {
            ($($n:literal),*) => {
                match secs.len() {
                    $($n => {
                        if let (Ok(s), Ok(st)) =
                            (<&[Biquad; $n]>::try_from(secs), <&mut [[f64; 2]; $n]>::try_from(&mut *z))
                        {
                            return run_fixed::<$n, T, F>(s, st, data, each);
                        }
                    })*
                    _ => {}
                }
            };
        }
        fixed!(1, 2, 3, 4, 5, 6, 7, 8);
        run_any(secs, z, data, &mut each);
    }

    /// Filters `input` into `output` (the first `min(len)` samples), carrying `state` across calls.
    pub fn process<T: Sample>(&self, state: &mut SosState, input: &[T], output: &mut [T]) {
        let n = input.len().min(output.len());
        output[..n].copy_from_slice(&input[..n]);
        self.process_in_place(state, &mut output[..n]);
    }

    /// Filters one sample, carrying `state`.
    #[inline]
    pub fn process_sample(&self, state: &mut SosState, x: f64) -> f64 {
        self.sections()
            .iter()
            .zip(state.z.iter_mut())
            .fold(x, |v, (s, z)| s.step(z, v))
    }
}

#[inline(always)]
fn run_fixed<const N: usize, T: Sample, F: FnMut(usize, f64)>(
    secs: &[Biquad; N],
    state: &mut [[f64; 2]; N],
    data: &mut [T],
    mut each: F,
) {
    let s = *secs;
    let mut z = *state;
    for (k, v) in data.iter_mut().enumerate() {
        let mut x = v.to_f64();
        for i in 0..N {
            x = s[i].step(&mut z[i], x);
        }
        *v = T::from_f64(x);
        each(k, x);
    }
    *state = z;
}

fn run_any<T: Sample, F: FnMut(usize, f64)>(
    secs: &[Biquad],
    z: &mut [[f64; 2]],
    data: &mut [T],
    each: &mut F,
) {
    for (k, v) in data.iter_mut().enumerate() {
        let mut x = v.to_f64();
        for (s, st) in secs.iter().zip(z.iter_mut()) {
            x = s.step(st, x);
        }
        *v = T::from_f64(x);
        each(k, x);
    }
}
