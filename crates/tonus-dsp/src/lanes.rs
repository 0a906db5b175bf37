//! Several channels filtered together, one channel per SIMD lane: a cascade of second-order
//! sections and a moving RMS over `L` channels at once, on frames `[[f64; L]]` (sample `i` of
//! every channel side by side).
//!
//! A single channel's cascade is a chain of dependent operations per sample; `L` independent
//! channels fill the vector lanes instead, so the same instructions do `L` channels' work. Each
//! lane is computed with exactly the operations of [`Biquad::step`] and [`MovingRms::push`], so
//! every channel's output is bit-identical to filtering it alone (tested).
//!
//! [`MovingRms::push`]: crate::MovingRms::push

use alloc::vec;
use alloc::vec::Vec;

use crate::biquad::Biquad;
use crate::error::DesignError;
use crate::rms::check_window;
use crate::sos::Sos;

/// Band-pass (or any SOS cascade) plus moving RMS over `L` channels at once. Configuration (the
/// sections, the window) is fixed at construction; the per-lane state lives inside.
#[derive(Debug, Clone)]
pub struct LaneChain<const L: usize> {
    sections: Vec<Biquad>,
    /// Per section: `z0` and `z1` of every lane.
    z: Vec<[[f64; L]; 2]>,
    ring: Vec<[f64; L]>,
    pos: usize,
    sum: [f64; L],
    fresh: [f64; L],
    inv_window: f64,
}

impl<const L: usize> LaneChain<L> {
    /// `sos` on every lane, then a moving RMS over `rms_window` samples.
    pub fn new(sos: &Sos, rms_window: usize) -> Result<Self, DesignError> {
        check_window(rms_window)?;
        Ok(Self {
            sections: sos.sections().to_vec(),
            z: vec![[[0.0; L]; 2]; sos.len()],
            ring: vec![[0.0; L]; rms_window],
            pos: 0,
            sum: [0.0; L],
            fresh: [0.0; L],
            inv_window: 1.0 / rms_window as f64,
        })
    }

    /// Replaces every frame by its channels' RMS envelope (filtered, then moving RMS), carrying
    /// the state across calls. Allocates nothing.
    pub fn process(&mut self, frames: &mut [[f64; L]]) {
        run(self, None, frames);
    }

    /// As [`process`](Self::process), reading `input` and writing `output` (the first
    /// `min(len)` frames), so the input is read once and the output written once.
    pub fn process_into(&mut self, input: &[[f64; L]], output: &mut [[f64; L]]) {
        let n = input.len().min(output.len());
        run(self, Some(&input[..n]), &mut output[..n]);
    }

    /// As [`process`](Self::process) for channels kept apart (one slice per lane, as a
    /// sample block holds them): `input[l]` is filtered into `output[l]`, over the
    /// shortest of the slices. Frames are gathered and scattered through a small buffer on the
    /// stack, so the work stays in the L1 cache. Allocates nothing.
    pub fn process_channels(&mut self, input: [&[f64]; L], output: [&mut [f64]; L]) {
        let mut output = output;
        let n = input
            .iter()
            .map(|x| x.len())
            .chain(output.iter().map(|y| y.len()))
            .min()
            .unwrap_or(0);
        let mut buf = [[0.0; L]; GATHER];
        let mut start = 0;
        while start < n {
            let m = GATHER.min(n - start);
            for (l, x) in input.iter().enumerate() {
                for (f, v) in buf[..m].iter_mut().zip(&x[start..start + m]) {
                    f[l] = *v;
                }
            }
            run(self, None, &mut buf[..m]);
            for (l, y) in output.iter_mut().enumerate() {
                for (f, v) in buf[..m].iter().zip(&mut y[start..start + m]) {
                    *v = f[l];
                }
            }
            start += m;
        }
    }

    /// Back to the initial (zero) state.
    pub fn reset(&mut self) {
        self.z.iter_mut().for_each(|z| *z = [[0.0; L]; 2]);
        self.ring.iter_mut().for_each(|r| *r = [0.0; L]);
        self.pos = 0;
        self.sum = [0.0; L];
        self.fresh = [0.0; L];
    }
}

/// Frames per gather in [`LaneChain::process_channels`].
const GATHER: usize = 64;

/// The loop, compiled for AVX-512 and AVX2 besides the baseline and chosen at run time (no FMA:
/// fused multiply-adds would round differently from the one-channel path).
#[multiversion::multiversion(targets("x86_64+avx512f", "x86_64+avx2", "x86_64+avx"))]
fn run<const L: usize>(
    chain: &mut LaneChain<L>,
    input: Option<&[[f64; L]]>,
    frames: &mut [[f64; L]],
) {
    let rms = Rms {
        ring: &mut chain.ring,
        pos: &mut chain.pos,
        sum: &mut chain.sum,
        fresh: &mut chain.fresh,
        inv_window: chain.inv_window,
    };
    let secs = &chain.sections[..];
    let z = &mut chain.z[..];
    // A fixed section count lets the state live in registers across the whole loop.
    macro_rules! fixed {
        ($($n:literal),*) => {
            match secs.len() {
                $($n => {
                    if let (Ok(s), Ok(st)) =
                        (<&[Biquad; $n]>::try_from(secs), <&mut [[[f64; L]; 2]; $n]>::try_from(&mut *z))
                    {
                        return run_fixed::<$n, L>(s, st, rms, input, frames);
                    }
                })*
                _ => {}
            }
        };
    }
    fixed!(1, 2, 3, 4, 5, 6, 7, 8);
    run_any(secs, z, rms, input, frames);
}

/// The moving RMS's state, borrowed from the chain.
struct Rms<'a, const L: usize> {
    ring: &'a mut [[f64; L]],
    pos: &'a mut usize,
    sum: &'a mut [f64; L],
    fresh: &'a mut [f64; L],
    inv_window: f64,
}

/// One section on every lane (exactly [`Biquad::step`]'s operations).
#[inline(always)]
fn section<const L: usize>(s: &Biquad, z: &mut [[f64; L]; 2], v: [f64; L]) -> [f64; L] {
    let mut y = [0.0; L];
    for l in 0..L {
        y[l] = s.b0 * v[l] + z[0][l];
    }
    for l in 0..L {
        z[0][l] = (s.b1 * v[l] + z[1][l]) - s.a1 * y[l];
    }
    for l in 0..L {
        z[1][l] = s.b2 * v[l] - s.a2 * y[l];
    }
    y
}

#[inline(always)]
fn run_fixed<const N: usize, const L: usize>(
    secs: &[Biquad; N],
    state: &mut [[[f64; L]; 2]; N],
    rms: Rms<'_, L>,
    input: Option<&[[f64; L]]>,
    frames: &mut [[f64; L]],
) {
    let mut z = *state;
    let (mut pos, mut sum, mut fresh) = (*rms.pos, *rms.sum, *rms.fresh);
    let window = rms.ring.len();
    for (i, frame) in frames.iter_mut().enumerate() {
        let mut v = input.and_then(|x| x.get(i)).copied().unwrap_or(*frame);
        for k in 0..N {
            v = section(&secs[k], &mut z[k], v);
        }
        mean_square(rms.ring, &mut pos, &mut sum, &mut fresh, window, v);
        for l in 0..L {
            frame[l] = crate::math::sqrt(sum[l].max(0.0) * rms.inv_window);
        }
    }
    *state = z;
    (*rms.pos, *rms.sum, *rms.fresh) = (pos, sum, fresh);
}

#[inline(always)]
fn run_any<const L: usize>(
    secs: &[Biquad],
    z: &mut [[[f64; L]; 2]],
    rms: Rms<'_, L>,
    input: Option<&[[f64; L]]>,
    frames: &mut [[f64; L]],
) {
    let (mut pos, mut sum, mut fresh) = (*rms.pos, *rms.sum, *rms.fresh);
    let window = rms.ring.len();
    for (i, frame) in frames.iter_mut().enumerate() {
        let mut v = input.and_then(|x| x.get(i)).copied().unwrap_or(*frame);
        for (s, zk) in secs.iter().zip(z.iter_mut()) {
            v = section(s, zk, v);
        }
        mean_square(rms.ring, &mut pos, &mut sum, &mut fresh, window, v);
        for l in 0..L {
            frame[l] = crate::math::sqrt(sum[l].max(0.0) * rms.inv_window);
        }
    }
    (*rms.pos, *rms.sum, *rms.fresh) = (pos, sum, fresh);
}

/// The moving mean of squares, as [`MovingRms`](crate::MovingRms) keeps it: a running sum that
/// restarts from the exact sum of the last window each time the ring wraps.
#[inline(always)]
fn mean_square<const L: usize>(
    ring: &mut [[f64; L]],
    pos: &mut usize,
    sum: &mut [f64; L],
    fresh: &mut [f64; L],
    window: usize,
    v: [f64; L],
) {
    if let Some(old) = ring.get_mut(*pos) {
        for l in 0..L {
            let sq = v[l] * v[l];
            sum[l] += sq - old[l];
            fresh[l] += sq;
            old[l] = sq;
        }
    }
    *pos += 1;
    if *pos >= window {
        *pos = 0;
        *sum = *fresh;
        *fresh = [0.0; L];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{butterworth, Band, MovingRms};

    fn check<const L: usize>() {
        let sos = butterworth(
            4,
            Band::BandPass {
                low_hz: 20.0,
                high_hz: 450.0,
            },
            2000.0,
        )
        .expect("design");
        let n = 3001;
        let mut s: u64 = 0x2545_F491_4F6C_DD1D ^ L as u64;
        let input: Vec<Vec<f64>> = (0..L)
            .map(|_| {
                (0..n)
                    .map(|_| {
                        s ^= s << 13;
                        s ^= s >> 7;
                        s ^= s << 17;
                        (s >> 11) as f64 / (1u64 << 53) as f64 * 200.0 - 100.0
                    })
                    .collect()
            })
            .collect();
        let mut lanes = LaneChain::<L>::new(&sos, 200).expect("chain");
        let mut frames: Vec<[f64; L]> = (0..n)
            .map(|i| core::array::from_fn(|c| input[c][i]))
            .collect();
        // Uneven calls, in place and out of place: the state carries.
        let (a, b) = frames.split_at_mut(1234);
        lanes.process(a);
        let copy = b.to_vec();
        lanes.process_into(&copy, b);
        // Channels kept apart give the same envelopes.
        let mut apart = LaneChain::<L>::new(&sos, 200).expect("chain");
        let mut outs = vec![vec![0.0; n]; L];
        {
            let ins: [&[f64]; L] = core::array::from_fn(|c| &input[c][..]);
            let mut it = outs.iter_mut();
            let outs_arr: [&mut [f64]; L] =
                core::array::from_fn(|_| it.next().map(|v| &mut v[..]).unwrap_or(&mut []));
            apart.process_channels(ins, outs_arr);
        }
        for (c, out) in outs.iter().enumerate() {
            for (i, v) in out.iter().enumerate() {
                assert_eq!(
                    v.to_bits(),
                    frames[i][c].to_bits(),
                    "apart lane {c}, sample {i}"
                );
            }
        }
        for (c, x) in input.iter().enumerate() {
            let mut st = sos.new_state();
            let mut rms = MovingRms::new(200).expect("rms");
            for (i, &v) in x.iter().enumerate() {
                let want = rms.push(sos.process_sample(&mut st, v));
                assert_eq!(
                    frames[i][c].to_bits(),
                    want.to_bits(),
                    "lane {c} of {L}, sample {i}"
                );
            }
        }
    }

    #[test]
    fn every_lane_equals_its_channel_filtered_alone() {
        check::<1>();
        check::<2>();
        check::<4>();
        check::<8>();
        check::<16>();
    }
}
