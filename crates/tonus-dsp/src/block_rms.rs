//! Moving RMS, eight samples per step: the vectorisable twin of [`crate::MovingRms`].
//!
//! Within each block (aligned to absolute sample index) the running sum of squares advances by a
//! fixed prefix scan of `y² − y²[−W]` (three vector adds instead of eight dependent ones); once per
//! window the sum is recomputed exactly from the ring of squares, in a fixed order, so it cannot drift.
//! Like [`crate::BlockSos`], a call ending inside a block runs the same full-block code on zero-padded
//! inputs (a scan lane only reads lanes below it), so results are bit-identical for any block sizes.
//! Values equal [`crate::MovingRms`]'s up to rounding (tested to 1e-12 relative).

use alloc::vec;
use alloc::vec::Vec;

use crate::block_sos::BLOCK;
use crate::error::DesignError;
use crate::rms::{check_window, window_samples};
use crate::sample::Sample;

/// Moving RMS over a trailing window of `window` samples, processed in blocks.
#[derive(Debug, Clone)]
pub struct BlockRms {
    ring: Vec<f64>,
    pos: usize,
    sum: f64,
    blocks: usize,
    resync_blocks: usize,
    inv_window: f64,
    pending: [f64; BLOCK],
    fill: usize,
}

impl BlockRms {
    /// A moving RMS over `window` samples (at least 1).
    pub fn new(window: usize) -> Result<Self, DesignError> {
        check_window(window)?;
        Ok(Self {
            ring: vec![0.0; window],
            pos: 0,
            sum: 0.0,
            blocks: 0,
            resync_blocks: window.div_ceil(BLOCK),
            inv_window: 1.0 / window as f64,
            pending: [0.0; BLOCK],
            fill: 0,
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

    /// Writes the RMS of the window ending at each sample of `input` into `output` (the first
    /// `min(len)` samples).
    pub fn process<T: Sample>(&mut self, input: &[T], output: &mut [T]) {
        let n = input.len().min(output.len());
        let (input, output) = (&input[..n], &mut output[..n]);
        let mut i = 0;
        while self.fill != 0 && i < n {
            output[i] = T::from_f64(self.step_partial(input[i].to_f64()));
            i += 1;
        }
        let full = (n - i) / BLOCK * BLOCK;
        if full > 0 {
            run_blocks(self, &input[i..i + full], &mut output[i..i + full]);
        }
        for k in i + full..n {
            output[k] = T::from_f64(self.step_partial(input[k].to_f64()));
        }
    }

    /// Back to an empty (all-zero) window.
    pub fn reset(&mut self) {
        self.ring.iter_mut().for_each(|v| *v = 0.0);
        self.pos = 0;
        self.sum = 0.0;
        self.blocks = 0;
        self.pending = [0.0; BLOCK];
        self.fill = 0;
    }

    fn step_partial(&mut self, x: f64) -> f64 {
        let j = self.fill;
        self.pending[j] = x * x;
        let sq = self.pending;
        let p = self.prefix(&sq);
        let ms = self.mean_squares(&p);
        if j + 1 == BLOCK {
            self.commit(&sq, p[BLOCK - 1]);
            self.pending = [0.0; BLOCK];
            self.fill = 0;
        } else {
            self.fill = j + 1;
        }
        crate::math::sqrt(ms[j])
    }

    /// Ring slot of lane `j` of the current block.
    #[inline(always)]
    fn slot(&self, j: usize) -> usize {
        let (p, w) = (self.pos + j, self.ring.len());
        if p < w {
            p
        } else if p < 2 * w {
            p - w
        } else {
            p % w
        }
    }

    /// Inclusive prefix sums of `y² − y²[−W]` over a block of squares (the ring not yet updated).
    /// Lane `j` depends on lanes `0..=j` only.
    #[inline(always)]
    fn prefix(&self, sq: &[f64; BLOCK]) -> [f64; BLOCK] {
        let w = self.ring.len();
        let mut d = [0.0; BLOCK];
        if let Some(old) = self.ring.get(self.pos..self.pos + BLOCK) {
            // The block does not wrap the ring (so also w ≥ BLOCK): one contiguous read.
            for ((dj, s), o) in d.iter_mut().zip(sq).zip(old) {
                *dj = s - o;
            }
        } else {
            for (j, dj) in d.iter_mut().enumerate() {
                let old = if j >= w {
                    sq[j - w]
                } else {
                    self.ring[self.slot(j)]
                };
                *dj = sq[j] - old;
            }
        }
        // Hillis–Steele inclusive scan: lane j adds lanes j−1, j−2, j−4 of the previous step.
        for shift in [1, 2, 4] {
            let prev = d;
            for j in shift..BLOCK {
                d[j] = prev[j] + prev[j - shift];
            }
        }
        d
    }

    #[inline(always)]
    fn mean_squares(&self, prefix: &[f64; BLOCK]) -> [f64; BLOCK] {
        let mut ms = [0.0; BLOCK];
        for (m, p) in ms.iter_mut().zip(prefix) {
            *m = (self.sum + p).max(0.0) * self.inv_window;
        }
        ms
    }

    /// Commits a complete block: running sum, ring, and the periodic exact resync.
    #[inline(always)]
    fn commit(&mut self, sq: &[f64; BLOCK], total: f64) {
        self.sum += total;
        if let Some(slots) = self.ring.get_mut(self.pos..self.pos + BLOCK) {
            slots.copy_from_slice(sq);
        } else {
            for (j, s) in sq.iter().enumerate() {
                let k = self.slot(j);
                self.ring[k] = *s;
            }
        }
        self.pos = self.slot(BLOCK);
        self.blocks += 1;
        if self.blocks == self.resync_blocks {
            self.blocks = 0;
            self.sum = exact_sum(&self.ring);
        }
    }
}

/// Whole blocks: squares, prefix scan, commit, square roots (vectorised per block).
#[multiversion::multiversion(targets("x86_64+avx2", "x86_64+avx"))]
fn run_blocks<T: Sample>(rms: &mut BlockRms, input: &[T], output: &mut [T]) {
    for (xc, yc) in input
        .chunks_exact(BLOCK)
        .zip(output.chunks_exact_mut(BLOCK))
    {
        let mut sq = [0.0; BLOCK];
        for (s, x) in sq.iter_mut().zip(xc) {
            let v = x.to_f64();
            *s = v * v;
        }
        let p = rms.prefix(&sq);
        let ms = rms.mean_squares(&p);
        rms.commit(&sq, p[BLOCK - 1]);
        for (y, m) in yc.iter_mut().zip(&ms) {
            *y = T::from_f64(crate::math::sqrt(*m));
        }
    }
}

/// Sum in a fixed order (four interleaved accumulators, then pairwise), independent of any state.
fn exact_sum(v: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    for chunk in v.chunks(4) {
        for (a, x) in acc.iter_mut().zip(chunk) {
            *a += x;
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}
