//! The fast path of a section cascade: eight samples per step as small matrix products.
//!
//! A direct-form cascade is bounded by one section's loop-carried dependency (one multiply and two
//! adds a sample). Here the cascade is cut into stages of up to four sections (an 8-dimensional
//! state, in the sections' own transposed-direct-form coordinates) and each stage advances a whole
//! block of [`BLOCK`] samples at once:
//!
//! ```text
//! y[j]   = Σ_k C[j][k]·s[k] + Σ_{i≤j} T[j][i]·x[i]        (outputs: independent lanes)
//! s_next = Σ_k A[k]·s[k]     + Σ_i B[i]·x[i]               (state: one product per block)
//! ```
//! with `C`, `T`, `A = Aˢᵗᵉᵖ⁸`, `B` obtained by running the exact per-sample recursion on unit states
//! and unit impulses. The dependency chain shrinks to one multiply and four adds per eight samples and
//! the lanes vectorise (AVX2/AVX when the CPU has them, chosen at run time; SSE2 otherwise).
//!
//! Block alignment is by absolute sample index. A call that ends inside a block keeps the block's
//! inputs and computes each available output with the very same full-block code on a zero-padded
//! copy, so the output is bit-identical whatever block sizes the stream arrives in. (Zero padding can
//! only change the sign of an exact zero, which `+ 0.0` removes from every output.)
//!
//! Accuracy: about 1e-14 of the signal's peak for the presets. Some extreme designs (wide band-stops
//! with poles within 1e-3 of the unit circle, whose state coordinates carry gains of 1e3–1e4) lose
//! accuracy in block form, so every cascade proves itself at construction: both forms run on a fixed
//! probe lasting at least eight time constants of the slowest pole, and unless they agree to
//! [`PROBE_TOLERANCE`] of the peak, [`BlockSos`] keeps the per-sample recursion for that cascade
//! ([`BlockSos::is_block_form`] tells which). The decision is deterministic.

use alloc::vec;
use alloc::vec::Vec;

use crate::biquad::Biquad;
use crate::cascade::SosState;
use crate::sample::Sample;
use crate::sos::Sos;

/// Samples advanced per step.
pub const BLOCK: usize = 8;
/// State dimension of one stage (two per section).
const DIM: usize = 8;
/// Sections per stage.
const SECTIONS_PER_STAGE: usize = DIM / 2;
/// Samples per internal chunk when converting `f32` to `f64`.
const CHUNK: usize = 256;
/// Largest disagreement (relative to the probe output's peak) accepted for the block form.
pub const PROBE_TOLERANCE: f64 = 1e-11;

/// Matrices of one stage (columns stored contiguously so each is one vector of lanes).
#[derive(Debug, Clone)]
struct Stage {
    /// `c[k][j]`: output `j` from state `k`.
    c: [[f64; BLOCK]; DIM],
    /// `t[i][j]`: output `j` from input `i` (zero for `i > j`).
    t: [[f64; BLOCK]; BLOCK],
    /// `a[k][d]`: next state `d` from state `k`.
    a: [[f64; DIM]; DIM],
    /// `b[i][d]`: next state `d` from input `i`.
    b: [[f64; DIM]; BLOCK],
}

/// Runs the exact per-sample recursion of `sections` from state `s0` over inputs `x`.
fn simulate(sections: &[Biquad], s0: &[f64; DIM], x: &[f64; BLOCK]) -> ([f64; BLOCK], [f64; DIM]) {
    let mut z: Vec<[f64; 2]> = (0..sections.len())
        .map(|i| [s0[2 * i], s0[2 * i + 1]])
        .collect();
    let mut y = [0.0; BLOCK];
    for (out, &xi) in y.iter_mut().zip(x) {
        *out = sections
            .iter()
            .zip(z.iter_mut())
            .fold(xi, |v, (s, st)| s.step(st, v));
    }
    let mut s = [0.0; DIM];
    for (i, v) in z.iter().enumerate() {
        s[2 * i] = v[0];
        s[2 * i + 1] = v[1];
    }
    (y, s)
}

impl Stage {
    fn new(sections: &[Biquad]) -> Self {
        let mut st = Stage {
            c: [[0.0; BLOCK]; DIM],
            t: [[0.0; BLOCK]; BLOCK],
            a: [[0.0; DIM]; DIM],
            b: [[0.0; DIM]; BLOCK],
        };
        for k in 0..2 * sections.len() {
            let mut e = [0.0; DIM];
            e[k] = 1.0;
            let (y, s) = simulate(sections, &e, &[0.0; BLOCK]);
            st.c[k] = y;
            st.a[k] = s;
        }
        for i in 0..BLOCK {
            let mut x = [0.0; BLOCK];
            x[i] = 1.0;
            let (y, s) = simulate(sections, &[0.0; DIM], &x);
            for (j, v) in y.iter().enumerate() {
                st.t[i][j] = if j < i { 0.0 } else { *v };
            }
            st.b[i] = s;
        }
        st
    }

    /// Outputs of one block from the state at its start. Lane `j` reads inputs `0..=j` only (the
    /// `t[i][j]` for `i > j` are zero), so a zero-padded partial block gives the same lanes.
    #[inline(always)]
    fn outputs(&self, s: &[f64; DIM], x: &[f64; BLOCK]) -> [f64; BLOCK] {
        let mut acc = [0.0; BLOCK];
        for (a, c) in acc.iter_mut().zip(&self.c[0]) {
            *a = c * s[0];
        }
        for (k, sk) in s.iter().enumerate().skip(1) {
            for (a, c) in acc.iter_mut().zip(&self.c[k]) {
                *a += c * sk;
            }
        }
        for (i, xi) in x.iter().enumerate() {
            let from = first_lane(i);
            for (a, t) in acc[from..].iter_mut().zip(&self.t[i][from..]) {
                *a += t * xi;
            }
        }
        for a in &mut acc {
            *a += 0.0;
        }
        acc
    }

    /// Lane `j` of [`Stage::outputs`] alone, by the identical sequence of operations (so the same
    /// bits), for samples that arrive one at a time.
    #[inline(always)]
    fn output_lane(&self, s: &[f64; DIM], x: &[f64; BLOCK], j: usize) -> f64 {
        let mut acc = self.c[0][j] * s[0];
        for (k, sk) in s.iter().enumerate().skip(1) {
            acc += self.c[k][j] * sk;
        }
        for (i, xi) in x.iter().enumerate() {
            if first_lane(i) <= j {
                acc += self.t[i][j] * xi;
            }
        }
        acc + 0.0
    }

    /// State at the end of a complete block. The state products are summed as a fixed pairwise tree
    /// (short dependency chain), the input part first and separately (off the chain).
    #[inline(always)]
    fn next_state(&self, s: &[f64; DIM], x: &[f64; BLOCK]) -> [f64; DIM] {
        let mut u = [0.0; DIM];
        for (i, xi) in x.iter().enumerate() {
            for (ud, b) in u.iter_mut().zip(&self.b[i]) {
                *ud += b * xi;
            }
        }
        let mut p = [[0.0; DIM]; DIM];
        for (k, sk) in s.iter().enumerate() {
            for (pd, a) in p[k].iter_mut().zip(&self.a[k]) {
                *pd = a * sk;
            }
        }
        // The cascade is block-triangular: the first two sections' next state does not depend on
        // the last two sections' state, so those (zero) products are left out of the first half.
        let mut next = [0.0; DIM];
        for (d, n) in next.iter_mut().enumerate() {
            let early = (p[0][d] + p[1][d]) + (p[2][d] + p[3][d]);
            let sum = if d < DIM / 2 {
                early
            } else {
                early + ((p[4][d] + p[5][d]) + (p[6][d] + p[7][d]))
            };
            *n = sum + u[d];
        }
        next
    }

    /// One whole block: its outputs, and the state advanced past it.
    #[inline(always)]
    fn block(&self, s: &mut [f64; DIM], x: &[f64; BLOCK]) -> [f64; BLOCK] {
        let y = self.outputs(s, x);
        *s = self.next_state(s, x);
        y
    }
}

/// First output lane an input lane can reach, rounded down to a half block: input `i` only feeds
/// outputs `j ≥ i`, so the inputs of the second half skip the first half's (zero) products.
#[inline(always)]
const fn first_lane(i: usize) -> usize {
    if i < BLOCK / 2 {
        0
    } else {
        BLOCK / 2
    }
}

/// Runs one stage over whole blocks of `data` in place.
#[multiversion::multiversion(targets("x86_64+avx2", "x86_64+avx"))]
fn run_blocks(stage: &Stage, s: &mut [f64; DIM], data: &mut [f64]) {
    for chunk in data.chunks_exact_mut(BLOCK) {
        let mut x = [0.0; BLOCK];
        x.copy_from_slice(chunk);
        chunk.copy_from_slice(&stage.block(s, &x));
    }
}

/// Runs one stage over whole blocks of `input` into `output` (same length).
#[multiversion::multiversion(targets("x86_64+avx2", "x86_64+avx"))]
fn run_blocks_into(stage: &Stage, s: &mut [f64; DIM], input: &[f64], output: &mut [f64]) {
    for (xc, yc) in input
        .chunks_exact(BLOCK)
        .zip(output.chunks_exact_mut(BLOCK))
    {
        let mut x = [0.0; BLOCK];
        x.copy_from_slice(xc);
        yc.copy_from_slice(&stage.block(s, &x));
    }
}

/// A section cascade prepared for block processing (configuration, shared between channels).
#[derive(Debug, Clone)]
pub struct BlockSos {
    stages: Vec<Stage>,
    /// The per-sample cascade, kept when the block form failed its probe.
    fallback: Option<Sos>,
}

/// One channel's state for a [`BlockSos`]: each stage's state at the last block boundary and the
/// inputs it has seen since.
#[derive(Debug, Clone)]
pub struct BlockSosState {
    s: Vec<[f64; DIM]>,
    pending: Vec<[f64; BLOCK]>,
    fill: usize,
    scratch: [f64; CHUNK],
    per_sample: SosState,
}

impl BlockSos {
    /// Prepares `sos` for block processing (an empty cascade passes samples through), or keeps the
    /// per-sample recursion if the block form fails its accuracy probe.
    pub fn new(sos: &Sos) -> Self {
        let block = Self {
            stages: sos
                .sections()
                .chunks(SECTIONS_PER_STAGE)
                .map(Stage::new)
                .collect(),
            fallback: None,
        };
        if block.passes_probe(sos) {
            block
        } else {
            Self {
                stages: Vec::new(),
                fallback: Some(sos.clone()),
            }
        }
    }

    /// True if this cascade runs in block form; false if it kept the per-sample recursion.
    pub fn is_block_form(&self) -> bool {
        self.fallback.is_none()
    }

    /// Runs both forms on a deterministic probe (noise plus a step) and compares.
    fn passes_probe(&self, sos: &Sos) -> bool {
        let slowest = sos.sections().iter().map(pole_radius).fold(0.0, f64::max);
        if slowest >= 1.0 {
            return false;
        }
        let constants = 8.0 / (1.0 - slowest);
        let len = (constants.clamp(2048.0, 131_072.0) as usize).div_ceil(BLOCK) * BLOCK;
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let probe: Vec<f64> = (0..len)
            .map(|i| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let noise = (seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
                noise + if i >= len / 2 { 1.0 } else { 0.0 }
            })
            .collect();
        let mut reference = probe.clone();
        sos.process_in_place(&mut sos.new_state(), &mut reference);
        let mut block = probe;
        self.process_in_place(&mut self.new_state(), &mut block);
        let peak = reference.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        let err = block
            .iter()
            .zip(&reference)
            .fold(0.0_f64, |m, (a, b)| m.max((a - b).abs()));
        err.is_finite() && err <= PROBE_TOLERANCE * peak
    }

    /// Fresh (all-zero) state for one channel.
    pub fn new_state(&self) -> BlockSosState {
        BlockSosState {
            s: vec![[0.0; DIM]; self.stages.len()],
            pending: vec![[0.0; BLOCK]; self.stages.len()],
            fill: 0,
            scratch: [0.0; CHUNK],
            per_sample: SosState::zeros(self.fallback.as_ref().map_or(0, Sos::len)),
        }
    }

    /// Filters `data` in place, carrying `state`. Never allocates, never fails; `state` must come from
    /// this cascade's [`BlockSos::new_state`].
    pub fn process_in_place<T: Sample>(&self, state: &mut BlockSosState, data: &mut [T]) {
        debug_assert_eq!(
            state.s.len(),
            self.stages.len(),
            "state from another cascade"
        );
        let BlockSosState {
            s,
            pending,
            fill,
            scratch,
            per_sample,
        } = state;
        if let Some(sos) = &self.fallback {
            return sos.process_in_place(per_sample, data);
        }
        if let Some(data) = T::as_f64_slice(data) {
            return self.process_f64(s, pending, fill, None, data);
        }
        for chunk in data.chunks_mut(CHUNK) {
            let buf = &mut scratch[..chunk.len()];
            for (b, v) in buf.iter_mut().zip(chunk.iter()) {
                *b = v.to_f64();
            }
            self.process_f64(s, pending, fill, None, buf);
            for (v, b) in chunk.iter_mut().zip(buf.iter()) {
                *v = T::from_f64(*b);
            }
        }
    }

    /// Filters `input` into `output` (the first `min(len)` samples), carrying `state`: the same
    /// values as copying and filtering in place, without the copy (the first stage reads `input`).
    pub fn process<T: Sample>(&self, state: &mut BlockSosState, input: &[T], output: &mut [T]) {
        let n = input.len().min(output.len());
        let (input, output) = (&input[..n], &mut output[..n]);
        match (
            T::as_f64_slice_ref(input),
            T::as_f64_slice(output),
            &self.fallback,
        ) {
            (Some(x), Some(y), None) if !self.stages.is_empty() => {
                let BlockSosState {
                    s, pending, fill, ..
                } = state;
                self.process_f64(s, pending, fill, Some(x), y);
            }
            _ => {
                output.copy_from_slice(input);
                self.process_in_place(state, output);
            }
        }
    }

    /// The block form on `f64` samples: `data` in place, or filled from `input` when given (same
    /// length).
    fn process_f64(
        &self,
        s: &mut [[f64; DIM]],
        pending: &mut [[f64; BLOCK]],
        fill: &mut usize,
        input: Option<&[f64]>,
        data: &mut [f64],
    ) {
        let at = |k: usize, data: &[f64]| match input {
            Some(x) => x[k],
            None => data[k],
        };
        let mut start = 0;
        while *fill != 0 && start < data.len() {
            data[start] = self.step_partial(s, pending, fill, at(start, data));
            start += 1;
        }
        let full = (data.len() - start) / BLOCK * BLOCK;
        if full > 0 {
            let body = &mut data[start..start + full];
            let mut stages = self.stages.iter().zip(s.iter_mut());
            if let Some(x) = input {
                // `process` only passes an input to a cascade with stages.
                if let Some((stage, s)) = stages.next() {
                    run_blocks_into(stage, s, &x[start..start + full], body);
                }
            }
            for (stage, s) in stages {
                run_blocks(stage, s, body);
            }
        }
        for k in start + full..data.len() {
            data[k] = self.step_partial(s, pending, fill, at(k, data));
        }
    }

    /// One sample inside a block: the full-block code on the zero-padded inputs seen so far.
    fn step_partial(
        &self,
        s: &mut [[f64; DIM]],
        pending: &mut [[f64; BLOCK]],
        fill: &mut usize,
        x: f64,
    ) -> f64 {
        let j = *fill;
        let mut v = x;
        for ((stage, s), pending) in self.stages.iter().zip(s.iter_mut()).zip(pending.iter_mut()) {
            pending[j] = v;
            v = stage.output_lane(s, pending, j);
            if j + 1 == BLOCK {
                *s = stage.next_state(s, pending);
                *pending = [0.0; BLOCK];
            }
        }
        *fill = (j + 1) % BLOCK;
        v
    }
}

/// Largest pole radius of one section (`z² + a1 z + a2`).
fn pole_radius(s: &Biquad) -> f64 {
    let disc = s.a1 * s.a1 - 4.0 * s.a2;
    if disc < 0.0 {
        libm::sqrt(s.a2)
    } else {
        (libm::fabs(s.a1) + libm::sqrt(disc)) / 2.0
    }
}

impl BlockSosState {
    /// Back to the initial (zero) state.
    pub fn reset(&mut self) {
        self.s.iter_mut().for_each(|s| *s = [0.0; DIM]);
        self.pending.iter_mut().for_each(|p| *p = [0.0; BLOCK]);
        self.fill = 0;
        self.per_sample.reset();
    }
}
