//! Moving RMS, eight samples per step: the vectorisable twin of [`crate::MovingRms`].
//!
//! Within each block (aligned to absolute sample index) the running sum of squares advances by a
//! fixed prefix scan of `y² − y²[−W]` (a few vector adds instead of eight dependent ones); once per
//! window the sum is recomputed exactly from the kept squares, in a fixed order, so it cannot drift.
//! The squares live in a linear history: each block is stored at the end and `y²[−W]` is read `W`
//! slots back, one contiguous load with no wrap-around test; the last `W` squares move to the front
//! when the history is full (one copy per sample at most, amortised).
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
    /// Squares in time order; `history[end - window..end]` is the current window.
    history: Vec<f64>,
    window: usize,
    run: Run,
    resync_blocks: usize,
    inv_window: f64,
    pending: [f64; BLOCK],
    fill: usize,
}

/// The running part of the state: where the next block goes, the running sum, and blocks since the
/// last exact resync.
#[derive(Debug, Clone, Copy)]
struct Run {
    end: usize,
    sum: f64,
    blocks: usize,
}

impl BlockRms {
    /// A moving RMS over `window` samples (at least 1).
    pub fn new(window: usize) -> Result<Self, DesignError> {
        check_window(window)?;
        let spare = window.max(64).div_ceil(BLOCK) * BLOCK;
        Ok(Self {
            history: vec![0.0; window + spare + BLOCK],
            window,
            run: Run {
                end: window,
                sum: 0.0,
                blocks: 0,
            },
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
        self.window
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
        self.history.iter_mut().for_each(|v| *v = 0.0);
        self.run = Run {
            end: self.window,
            sum: 0.0,
            blocks: 0,
        };
        self.pending = [0.0; BLOCK];
        self.fill = 0;
    }

    fn step_partial(&mut self, x: f64) -> f64 {
        let j = self.fill;
        self.pending[j] = x * x;
        let sq = self.pending;
        let p = prefix(&differences(
            &mut self.history,
            self.window,
            self.run.end,
            &sq,
        ));
        let ms = mean_squares(self.run.sum, self.inv_window, &p);
        if j + 1 == BLOCK {
            self.run = commit(
                &mut self.history,
                self.window,
                self.run,
                self.resync_blocks,
                p[BLOCK - 1],
            );
            self.pending = [0.0; BLOCK];
            self.fill = 0;
        } else {
            self.fill = j + 1;
        }
        crate::math::sqrt(ms[j])
    }
}

/// Stores the block of squares `sq` at `end` and returns `y² − y²[−W]` for it. The store comes first,
/// so a window shorter than a block reads the block's own earlier lanes (zero-padded lanes of a
/// partial block are only read by lanes that are not output yet).
#[inline(always)]
fn differences(history: &mut [f64], window: usize, end: usize, sq: &[f64; BLOCK]) -> [f64; BLOCK] {
    history[end..end + BLOCK].copy_from_slice(sq);
    let old = &history[end - window..end - window + BLOCK];
    let mut d = [0.0; BLOCK];
    for ((dj, s), o) in d.iter_mut().zip(sq).zip(old) {
        *dj = s - o;
    }
    d
}

/// Inclusive prefix sums of one block, in a fixed order: each half of four lanes by two shifted
/// adds, then the low half's total added to the high half. Lane `j` depends on lanes `0..=j` only,
/// and every lane is written as whole-vector operations (no lane is read back through memory).
#[inline(always)]
fn prefix(d: &[f64; BLOCK]) -> [f64; BLOCK] {
    #[inline(always)]
    fn scan4(a: [f64; 4]) -> [f64; 4] {
        let s = [a[0] + 0.0, a[1] + a[0], a[2] + a[1], a[3] + a[2]];
        [s[0] + 0.0, s[1] + 0.0, s[2] + s[0], s[3] + s[1]]
    }
    let lo = scan4([d[0], d[1], d[2], d[3]]);
    let hi = scan4([d[4], d[5], d[6], d[7]]);
    let c = lo[3];
    [
        lo[0],
        lo[1],
        lo[2],
        lo[3],
        hi[0] + c,
        hi[1] + c,
        hi[2] + c,
        hi[3] + c,
    ]
}

/// Each lane's mean square: the running sum before the block plus the lane's prefix, over `W`.
#[inline(always)]
fn mean_squares(sum: f64, inv_window: f64, prefix: &[f64; BLOCK]) -> [f64; BLOCK] {
    let mut ms = [0.0; BLOCK];
    for (m, p) in ms.iter_mut().zip(prefix) {
        *m = (sum + p).max(0.0) * inv_window;
    }
    ms
}

/// Commits a stored block: advances the end (moving the window to the front when the history is
/// full) and the running sum, recomputed exactly every `resync_blocks` blocks.
#[inline(always)]
fn commit(history: &mut [f64], window: usize, run: Run, resync_blocks: usize, total: f64) -> Run {
    let mut end = run.end + BLOCK;
    if end + BLOCK > history.len() {
        history.copy_within(end - window..end, 0);
        end = window;
    }
    if run.blocks + 1 == resync_blocks {
        Run {
            end,
            sum: exact_sum(&history[end - window..end]),
            blocks: 0,
        }
    } else {
        Run {
            end,
            sum: run.sum + total,
            blocks: run.blocks + 1,
        }
    }
}

/// Whole blocks: squares, prefix scan, commit, square roots (vectorised per block). The running
/// state lives in locals for the whole run, so it stays in registers.
#[multiversion::multiversion(targets("x86_64+avx2", "x86_64+avx"))]
fn run_blocks<T: Sample>(rms: &mut BlockRms, input: &[T], output: &mut [T]) {
    let (window, resync_blocks, inv_window) = (rms.window, rms.resync_blocks, rms.inv_window);
    let mut run = rms.run;
    let history = &mut rms.history[..];
    for (xc, yc) in input
        .chunks_exact(BLOCK)
        .zip(output.chunks_exact_mut(BLOCK))
    {
        let mut sq = [0.0; BLOCK];
        for (s, x) in sq.iter_mut().zip(xc) {
            let v = x.to_f64();
            *s = v * v;
        }
        let p = prefix(&differences(history, window, run.end, &sq));
        let ms = mean_squares(run.sum, inv_window, &p);
        run = commit(history, window, run, resync_blocks, p[BLOCK - 1]);
        for (y, m) in yc.iter_mut().zip(&ms) {
            *y = T::from_f64(crate::math::sqrt(*m));
        }
    }
    rms.run = run;
}

/// Sum in a fixed order (four interleaved accumulators, then pairwise), independent of any state.
fn exact_sum(v: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let chunks = v.chunks_exact(4);
    let tail = chunks.remainder();
    for chunk in chunks {
        for (a, x) in acc.iter_mut().zip(chunk) {
            *a += x;
        }
    }
    for (a, x) in acc.iter_mut().zip(tail) {
        *a += x;
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}
