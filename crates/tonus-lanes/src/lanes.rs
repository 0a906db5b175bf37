//! Several channels filtered together, one channel per SIMD lane: a cascade of second-order
//! sections and a moving RMS over `L` channels at once, on frames `[[f64; L]]` (sample `i` of
//! every channel side by side).
//!
//! A single channel's cascade is a chain of dependent operations per sample; `L` independent
//! channels fill the vector lanes instead, so the same instructions do `L` channels' work.
//!
//! Two kernels, chosen at construction and run time:
//! - unit sections, fused: when every section's zeros lie on the unit circle (`b2 = b0`, true of
//!   every band-pass, notch, low- and high-pass design of even order here) and the CPU has FMA,
//!   each section is divided by its `b0` (the gains multiply into one factor, applied squared to
//!   the mean square) and costs one add and three fused multiply-adds per frame instead of five
//!   multiplies and four adds. Each channel agrees with filtering it alone to rounding (within
//!   1e-12 of the envelope's peak, tested). With eight lanes on an Intel CPU with AVX-512, every
//!   other frame takes its square roots from the multiply-add units (`lane_sqrt.rs`, within
//!   1 ulp) while the square-root unit, which needs about 24 cycles for eight lanes there, works
//!   on the frames in between (AMD's square-root unit keeps up on its own);
//! - plain: otherwise each lane is computed with exactly the operations of [`Biquad::step`] and
//!   [`MovingRms::push`], bit-identical to filtering the channel alone (tested).
//!
//! With one or two lanes (a vector of two `f64` or less) the stages run as a wavefront: at each
//! tick every stage works on a different frame, each on the frame the stage before it finished
//! at the previous tick, so the stages overlap instead of waiting for each other; with more
//! lanes the frame's stages run one after the other, since a wavefront would keep more vectors
//! live than there are registers. Both orders give the same bits (tested).
//!
//! Frames come from and go to frames in place, frames out of place, or channels kept apart
//! (`lane_io.rs`); the arithmetic is the same for all three, bit for bit, however a signal is cut
//! into calls (tested).
//!
//! [`MovingRms::push`]: tonus_dsp::MovingRms::push

use crate::avx512::Avx512;
use crate::lane_io::{Apart, FrameIo, FrameStream, InPlace, OutOfPlace, BLOCK};
use crate::lane_sections::{resonator, section, unit_section, Fused, Resonator};
use crate::math::check_window;
use tonus_dsp::Biquad;
use tonus_dsp::DesignError;
use tonus_dsp::Sos;

/// Band-pass (or any SOS cascade) plus moving RMS over `L` channels at once. Configuration (the
/// sections, the window, the kernel) is fixed at construction; the per-lane state lives inside.
#[derive(Debug, Clone)]
pub struct LaneChain<const L: usize> {
    sections: Vec<Biquad>,
    /// Per section: `z0` and `z1` of every lane.
    z: Vec<[[f64; L]; 2]>,
    /// The sections in fused form (`lane_sections.rs`), when every one has `b0 ≠ 0` and
    /// `b2 = b0` (zeros on the unit circle: every band-pass, notch, high- and low-pass design
    /// here): the form the fused-multiply-add kernel runs.
    unit: Option<Fused>,
    ring: Vec<[f64; L]>,
    pos: usize,
    sum: [f64; L],
    fresh: [f64; L],
    inv_window: f64,
    /// With eight lanes where the CPU has AVX-512F (asked once, here): transposes for channels
    /// apart.
    avx512: Option<Avx512>,
    /// Where, besides, its hardware square root is slow ([`Avx512::slow_square_root`]): square
    /// roots on the multiply-add units for every other frame.
    sqrt8: Option<Avx512>,
}

impl<const L: usize> LaneChain<L> {
    /// `sos` on every lane, then a moving RMS over `rms_window` samples.
    pub fn new(sos: &Sos, rms_window: usize) -> Result<Self, DesignError> {
        check_window(rms_window)?;
        let avx512 = Avx512::detect().filter(|_| L == 8);
        Ok(Self {
            sections: sos.sections().to_vec(),
            z: vec![[[0.0; L]; 2]; sos.len()],
            unit: Fused::of(sos),
            ring: vec![[0.0; L]; rms_window],
            pos: 0,
            sum: [0.0; L],
            fresh: [0.0; L],
            inv_window: 1.0 / rms_window as f64,
            avx512,
            sqrt8: avx512.filter(|a| a.slow_square_root()),
        })
    }

    /// Replaces every frame by its channels' RMS envelope (filtered, then moving RMS), carrying
    /// the state across calls. Allocates nothing.
    pub fn process(&mut self, frames: &mut [[f64; L]]) {
        run(self, &mut InPlace(frames));
    }

    /// As [`process`](Self::process), reading `input` and writing `output` (the first
    /// `min(len)` frames), so the input is read once and the output written once.
    pub fn process_into(&mut self, input: &[[f64; L]], output: &mut [[f64; L]]) {
        run(self, &mut OutOfPlace { input, output });
    }

    /// As [`process`](Self::process) for channels kept apart (one slice per lane, as a
    /// sample block holds them): `input[l]` is filtered into `output[l]`, over the
    /// shortest of the slices. Eight frames at a time go from the slices into the kernel and
    /// back: with eight lanes on a CPU with AVX-512, as an 8 × 8 transpose in registers
    /// (`lane_transpose.rs`), with no buffer in between. Allocates nothing.
    pub fn process_channels(&mut self, input: [&[f64]; L], output: [&mut [f64]; L]) {
        let avx512 = self.avx512;
        run(self, &mut Apart::new(input, output, avx512));
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

/// The loop, compiled for AVX-512 and AVX2 (with FMA) besides the baseline and chosen at run
/// time. With FMA and a cascade in fused form (`lane_sections.rs`) each resonator costs one add
/// and two fused multiply-adds per frame, each other section one add and three; otherwise each
/// lane runs exactly [`Biquad::step`]'s operations.
#[multiversion::multiversion(targets(
    "x86_64+avx512f+avx512vl+fma",
    "x86_64+avx2+fma",
    "x86_64+avx"
))]
fn run<const L: usize, IO: FrameIo<L>>(chain: &mut LaneChain<L>, io: &mut IO) {
    let fused = multiversion::target::target_cfg_f!(target_feature = "fma");
    let unit = chain.unit.as_ref().filter(|_| fused);
    let rms = Rms {
        ring: &mut chain.ring,
        pos: &mut chain.pos,
        sum: &mut chain.sum,
        fresh: &mut chain.fresh,
        scale: chain.inv_window * unit.map_or(1.0, |u| u.gain_squared),
        // Where the hardware root is slow, the fused kernel's eight lanes take every other
        // frame's roots on the multiply-add units (`lane_sqrt.rs`); the plain kernel stays
        // bit-identical to `MovingRms`.
        sqrt8: chain.sqrt8.filter(|_| unit.is_some()),
    };
    let z = &mut chain.z[..];
    match unit {
        Some(f) => {
            let (res, secs) = (&f.resonators[..], &f.sections[..]);
            cascade!(res, secs, z, rms, io, unit_section;
                (0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (0, 6), (0, 7), (0, 8),
                (2, 0), (2, 1), (2, 2), (2, 3), (2, 4), (2, 5), (2, 6),
                (4, 0), (4, 1), (4, 2), (4, 3), (4, 4),
                (6, 0), (6, 1), (6, 2), (8, 0));
        }
        None => {
            let secs = &chain.sections[..];
            cascade!(&[], secs, z, rms, io, section;
                (0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (0, 6), (0, 7), (0, 8));
        }
    }
}

/// Runs `$res` (resonators) then `$secs` (through `$step`) on every frame: with one of the
/// listed counts of each (up to 8 in all) the states live in registers across the whole loop
/// ([`run_fixed`]); otherwise [`run_any`].
macro_rules! cascade {
    ($res:expr, $secs:expr, $z:expr, $rms:expr, $io:expr, $step:expr; $(($r:literal, $n:literal)),*) => {{
        let (res, secs, z): (&[Resonator], _, &mut [[[f64; L]; 2]]) = ($res, $secs, $z);
        match (res.len(), secs.len()) {
            $(($r, $n) => {
                if let Some((zr, zs)) = z.split_at_mut_checked($r) {
                    if let (Ok(a), Ok(za), Ok(b), Ok(zb)) = (
                        <&[Resonator; $r]>::try_from(res),
                        <&mut [[[f64; L]; 2]; $r]>::try_from(zr),
                        <&[_; $n]>::try_from(secs),
                        <&mut [[[f64; L]; 2]; $n]>::try_from(zs),
                    ) {
                        return run_fixed::<_, $r, $n, L>((a, za), (b, zb), $rms, $io, $step);
                    }
                }
            })*
            _ => {}
        }
        run_any(res, secs, z, $rms, $io, $step)
    }};
}
use cascade;

/// The moving RMS's state, borrowed from the chain; `scale` turns the window's sum of squares
/// into the mean square of the output.
struct Rms<'a, const L: usize> {
    ring: &'a mut [[f64; L]],
    pos: &'a mut usize,
    sum: &'a mut [f64; L],
    fresh: &'a mut [f64; L],
    scale: f64,
    /// Square roots of eight lanes by [`Avx512::sqrt`] (within 1 ulp) instead of the hardware's
    /// correctly rounded one: the fused kernel only.
    sqrt8: Option<Avx512>,
}

/// Every frame of `io`, in order, through `$frame` (which maps the frame `$v: [f64; L]` to its
/// envelope): where `io` is blocked, whole blocks of [`BLOCK`] frames first (read, processed and
/// written as a block); the frames left over (all of them otherwise) one by one. A macro rather
/// than a closure, so the frame's code is compiled with the kernel's target features.
macro_rules! each_frame {
    ($io:expr, |$v:ident| $frame:expr) => {{
        let io = $io;
        let n = io.len();
        let whole = if io.blocked() { n - n % BLOCK } else { 0 };
        for at in (0..whole).step_by(BLOCK) {
            let mut block = CacheLines(io.read_block(at));
            for f in block.0.iter_mut() {
                let $v = *f;
                *f = $frame;
            }
            io.write_block(at, &block.0);
        }
        for i in whole..n {
            let $v = io.read(i);
            let e = $frame;
            io.write(i, e);
        }
    }};
}

/// A block of frames on whole cache lines: a vector of eight lanes loaded or stored across two
/// lines costs two accesses.
#[repr(C, align(64))]
struct CacheLines<T>(T);

/// A fixed number of resonators and sections: their states stay in registers across the whole
/// loop. Up to [`WAVE_LANES`] lanes as a wavefront ([`run_wave`]), more frame by frame.
#[inline(always)]
fn run_fixed<S, const R: usize, const N: usize, const L: usize>(
    (res, res_state): (&[Resonator; R], &mut [[[f64; L]; 2]; R]),
    (secs, state): (&[S; N], &mut [[[f64; L]; 2]; N]),
    rms: Rms<'_, L>,
    io: &mut impl FrameIo<L>,
    step: impl Fn(&S, &mut [[f64; L]; 2], [f64; L]) -> [f64; L],
) {
    // Decided at compile time: the frame-by-frame body below is not even built for the lanes
    // the wavefront takes (with it kept for short calls, one lane ran 11 % slower on long ones).
    if L <= WAVE_LANES && R + N > 0 {
        return run_wave((res, res_state), (secs, state), rms, io, step);
    }
    let (mut zr, mut z) = (*res_state, *state);
    let (mut pos, mut sum, mut fresh) = (*rms.pos, *rms.sum, *rms.fresh);
    let window = rms.ring.len();
    let how = (rms.scale, rms.sqrt8);
    each_frame!(io, |v| {
        let mut v = v;
        for k in 0..R {
            v = resonator(&res[k], &mut zr[k], v);
        }
        for k in 0..N {
            v = step(&secs[k], &mut z[k], v);
        }
        envelope(rms.ring, &mut pos, &mut sum, &mut fresh, window, how, v)
    });
    (*res_state, *state) = (zr, z);
    (*rms.pos, *rms.sum, *rms.fresh) = (pos, sum, fresh);
}

/// The most lanes [`run_wave`] runs (more lanes keep too many vectors live at once).
const WAVE_LANES: usize = 2;

/// A fixed number of resonators and sections as a wavefront: at tick `t` stage `k` (the
/// resonators, then the sections, then the envelope) works on frame `t − k`, taking what the
/// stage before it gave at the previous tick. The stages of one tick are independent of each
/// other, so the processor overlaps them all, where frame by frame each stage waits for the one
/// before it. Every stage still sees its frames in order, so the arithmetic is the same as frame
/// by frame, bit for bit; the first and last `R + N` ticks of a call run only the stages that
/// have a frame. At least one resonator or section ([`run_fixed`] sees to it).
#[inline(always)]
fn run_wave<S, const R: usize, const N: usize, const L: usize>(
    (res, res_state): (&[Resonator; R], &mut [[[f64; L]; 2]; R]),
    (secs, state): (&[S; N], &mut [[[f64; L]; 2]; N]),
    rms: Rms<'_, L>,
    io: &mut impl FrameIo<L>,
    step: impl Fn(&S, &mut [[f64; L]; 2], [f64; L]) -> [f64; L],
) {
    let (mut zr, mut z) = (*res_state, *state);
    let (mut pos, mut sum, mut fresh) = (*rms.pos, *rms.sum, *rms.fresh);
    let window = rms.ring.len();
    let how = (rms.scale, rms.sqrt8);
    let mut frames = FrameStream::new(io);
    let n = frames.len();
    // What each resonator and section gave at the previous tick.
    let (mut cr, mut cs) = ([[0.0; L]; R], [[0.0; L]; N]);
    let depth = R + N;
    // One tick, the stages from last to first (each reads its input before the stage before it
    // overwrites it). With `$all` every stage has a frame; otherwise stage `g` runs only if frame
    // `t − g` exists.
    macro_rules! tick {
        ($t:expr, $all:expr) => {{
            let t: usize = $t;
            let on = |g: usize| $all || (t >= g && t - g < n);
            match cs.last().or(cr.last()) {
                Some(&v) if on(depth) => {
                    let e = envelope(rms.ring, &mut pos, &mut sum, &mut fresh, window, how, v);
                    frames.write(t - depth, e);
                }
                _ => {}
            }
            let x = if on(0) { frames.read(t) } else { [0.0; L] };
            for i in 0..N {
                let k = N - 1 - i;
                if on(R + k) {
                    let v = match k.checked_sub(1) {
                        Some(j) => cs[j],
                        None => cr.last().copied().unwrap_or(x),
                    };
                    cs[k] = step(&secs[k], &mut z[k], v);
                }
            }
            for i in 0..R {
                let k = R - 1 - i;
                if on(k) {
                    let v = match k.checked_sub(1) {
                        Some(j) => cr[j],
                        None => x,
                    };
                    cr[k] = resonator(&res[k], &mut zr[k], v);
                }
            }
        }};
    }
    let filled = depth.min(n);
    for t in 0..filled {
        tick!(t, false);
    }
    for t in filled..n {
        tick!(t, true);
    }
    for t in n..n + depth {
        tick!(t, false);
    }
    (*res_state, *state) = (zr, z);
    (*rms.pos, *rms.sum, *rms.fresh) = (pos, sum, fresh);
}

/// Any number of resonators and sections, their states in memory.
#[inline(always)]
fn run_any<S, const L: usize>(
    res: &[Resonator],
    secs: &[S],
    z: &mut [[[f64; L]; 2]],
    rms: Rms<'_, L>,
    io: &mut impl FrameIo<L>,
    step: impl Fn(&S, &mut [[f64; L]; 2], [f64; L]) -> [f64; L],
) {
    let (mut pos, mut sum, mut fresh) = (*rms.pos, *rms.sum, *rms.fresh);
    let window = rms.ring.len();
    let how = (rms.scale, rms.sqrt8);
    let (zr, zs) = z.split_at_mut(res.len().min(z.len()));
    each_frame!(io, |v| {
        let mut v = v;
        for (s, zk) in res.iter().zip(zr.iter_mut()) {
            v = resonator(s, zk, v);
        }
        for (s, zk) in secs.iter().zip(zs.iter_mut()) {
            v = step(s, zk, v);
        }
        envelope(rms.ring, &mut pos, &mut sum, &mut fresh, window, how, v)
    });
    (*rms.pos, *rms.sum, *rms.fresh) = (pos, sum, fresh);
}

/// The RMS envelope after `v`: [`mean_square`], scaled, its square root.
#[inline(always)]
fn envelope<const L: usize>(
    ring: &mut [[f64; L]],
    pos: &mut usize,
    sum: &mut [f64; L],
    fresh: &mut [f64; L],
    window: usize,
    (scale, sqrt8): (f64, Option<Avx512>),
    v: [f64; L],
) -> [f64; L] {
    // Every other frame (by ring position, so the same frames however a signal is cut) takes its
    // roots from the multiply-add units, the others from the square-root unit: the two run side by
    // side, and either alone would be the slower half of the work.
    let by_fma = sqrt8.filter(|_| *pos % 2 == 1);
    mean_square(ring, pos, sum, fresh, window, v);
    let mut e = [0.0; L];
    if let Some(simd) = by_fma {
        for (e, s) in e.iter_mut().zip(sum.iter()) {
            *e = s * scale;
        }
        // Not positive (rounding below zero, or NaN) gives zero, as `max(0.0)` then `sqrt` does.
        if let Ok(ms) = bytemuck::try_cast::<[f64; L], [f64; 8]>(e) {
            if let Ok(root) = bytemuck::try_cast(simd.sqrt(ms)) {
                return root;
            }
        }
    }
    for (e, s) in e.iter_mut().zip(sum.iter()) {
        *e = crate::math::sqrt(s.max(0.0) * scale);
    }
    e
}

/// The moving mean of squares, as [`MovingRms`](tonus_dsp::MovingRms) keeps it: a running sum that
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
    use tonus_dsp::{butterworth, Band, MovingRms};

    /// Band-pass 20–450 Hz order 4 (zeros on the unit circle: unit sections, the fused kernel
    /// where the CPU has FMA) and, with a 50 Hz notch after it, a cascade that mixes in sections
    /// of another height.
    fn unit_cascade() -> Sos {
        let bp = butterworth(
            4,
            Band::BandPass {
                low_hz: 20.0,
                high_hz: 450.0,
            },
            2000.0,
        )
        .expect("design");
        bp.then(&Sos::new(vec![
            tonus_dsp::notch(50.0, 30.0, 2000.0).expect("notch")
        ]))
    }

    /// Order 5 low-pass: its first-order section (`b2 = 0`) is not a unit section, so every lane
    /// runs the plain kernel, [`Biquad::step`]'s operations.
    fn plain_cascade() -> Sos {
        butterworth(5, Band::LowPass { cutoff_hz: 300.0 }, 2000.0).expect("design")
    }

    fn noise(n: usize, seed: u64) -> Vec<f64> {
        let mut s: u64 = 0x2545_F491_4F6C_DD1D ^ seed;
        (0..n)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                (s >> 11) as f64 / (1u64 << 53) as f64 * 200.0 - 100.0
            })
            .collect()
    }

    /// Runs `L` lanes (in place, out of place and channels apart, in uneven calls) against each
    /// channel filtered alone by `Sos::process_sample` and `MovingRms`, and returns the largest
    /// difference relative to that channel's largest envelope value. Uneven calls must equal one
    /// call, and channels apart must equal frames, bit for bit (same kernel, same order).
    fn worst_relative_error<const L: usize>(sos: &Sos) -> f64 {
        let n = 3001;
        let input: Vec<Vec<f64>> = (0..L).map(|c| noise(n, (L * 31 + c) as u64)).collect();
        let mut lanes = LaneChain::<L>::new(sos, 200).expect("chain");
        let mut frames: Vec<[f64; L]> = (0..n)
            .map(|i| core::array::from_fn(|c| input[c][i]))
            .collect();
        let mut whole = LaneChain::<L>::new(sos, 200).expect("chain");
        let mut at_once = frames.clone();
        whole.process(&mut at_once);
        let (a, b) = frames.split_at_mut(1234);
        lanes.process(a);
        let copy = b.to_vec();
        lanes.process_into(&copy, b);
        // However the frames are cut, the same bits.
        for (i, (p, q)) in frames.iter().zip(&at_once).enumerate() {
            for l in 0..L {
                assert_eq!(p[l].to_bits(), q[l].to_bits(), "cut lane {l}, frame {i}");
            }
        }
        let mut apart = LaneChain::<L>::new(sos, 200).expect("chain");
        let mut outs = vec![vec![0.0; n]; L];
        // In calls of uneven lengths (blocks of eight start anew in each call, and some calls end
        // inside a block), channels apart must equal frames bit for bit.
        for (from, to) in [(0, 1237), (1237, 1240), (1240, 1243), (1243, n)] {
            let ins: [&[f64]; L] = core::array::from_fn(|c| &input[c][from..to]);
            let mut it = outs.iter_mut();
            let outs_arr: [&mut [f64]; L] =
                core::array::from_fn(|_| it.next().map(|v| &mut v[from..to]).unwrap_or(&mut []));
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
        let mut worst: f64 = 0.0;
        for (c, x) in input.iter().enumerate() {
            let mut st = sos.new_state();
            let mut rms = MovingRms::new(200).expect("rms");
            let want: Vec<f64> = x
                .iter()
                .map(|&v| rms.push(sos.process_sample(&mut st, v)))
                .collect();
            let peak = want.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            for (i, w) in want.iter().enumerate() {
                worst = worst.max((frames[i][c] - w).abs() / peak);
            }
        }
        worst
    }

    #[test]
    fn lanes_without_unit_sections_equal_each_channel_filtered_alone_bit_for_bit() {
        let sos = plain_cascade();
        assert_eq!(worst_relative_error::<1>(&sos), 0.0);
        assert_eq!(worst_relative_error::<2>(&sos), 0.0);
        assert_eq!(worst_relative_error::<4>(&sos), 0.0);
        assert_eq!(worst_relative_error::<8>(&sos), 0.0);
        assert_eq!(worst_relative_error::<16>(&sos), 0.0);
    }

    /// Two lanes run as a wavefront (`run_wave`), four frame by frame (`run_fixed`): the same
    /// channels through both, in calls shorter and longer than the cascade is deep, give the same
    /// bits, so the wavefront changes the order of the work and nothing else.
    #[test]
    fn the_wavefront_gives_the_bits_of_frame_by_frame() {
        for sos in [unit_cascade(), plain_cascade()] {
            let n = 2000;
            let (a, b) = (noise(n, 7), noise(n, 8));
            let mut two = LaneChain::<2>::new(&sos, 50).expect("chain");
            let mut four = LaneChain::<4>::new(&sos, 50).expect("chain");
            let mut x2: Vec<[f64; 2]> = (0..n).map(|i| [a[i], b[i]]).collect();
            let mut x4: Vec<[f64; 4]> = (0..n).map(|i| [a[i], b[i], a[i], b[i]]).collect();
            let cuts = [0, 1, 3, 4, 9, 30, 700, 701, 1500, n];
            for w in cuts.windows(2) {
                two.process(&mut x2[w[0]..w[1]]);
                four.process(&mut x4[w[0]..w[1]]);
            }
            for (i, (p, q)) in x2.iter().zip(&x4).enumerate() {
                for l in 0..4 {
                    assert_eq!(p[l % 2].to_bits(), q[l].to_bits(), "frame {i}, lane {l}");
                }
            }
        }
    }

    /// Where the CPU has AVX-512, the roots from the multiply-add units (forced on here, whatever
    /// the vendor) stay within 1 ulp of the hardware's on every other frame and equal it on the
    /// rest; they differ somewhere, so they did run.
    #[test]
    fn roots_from_the_multiply_add_units_stay_within_one_ulp_of_the_hardware_roots() {
        let Some(simd) = Avx512::detect() else {
            return;
        };
        let sos = unit_cascade();
        let n = 3000;
        let input: Vec<[f64; 8]> = {
            let x: Vec<Vec<f64>> = (0..8).map(|c| noise(n, 90 + c)).collect();
            (0..n).map(|i| core::array::from_fn(|c| x[c][i])).collect()
        };
        let mut hardware = LaneChain::<8>::new(&sos, 200).expect("chain");
        hardware.sqrt8 = None;
        let mut fused = LaneChain::<8>::new(&sos, 200).expect("chain");
        fused.sqrt8 = Some(simd);
        let (mut a, mut b) = (input.clone(), input);
        hardware.process(&mut a);
        fused.process(&mut b);
        let mut differ = 0;
        for (i, (p, q)) in a.iter().zip(&b).enumerate() {
            for l in 0..8 {
                let d = p[l].to_bits().abs_diff(q[l].to_bits());
                assert!(
                    d <= 1 && (d == 0 || i % 2 == 1),
                    "frame {i}, lane {l}: {d} ulp"
                );
                differ += usize::from(d > 0);
            }
        }
        assert!(differ > 0, "the multiply-add roots did not run");
    }

    /// The fused kernel rounds differently (one rounding per fused product, gains applied once):
    /// it must agree with the one-channel path to rounding. A wrong coefficient or state update
    /// moves the envelope by far more than 1e-3 of its peak; rounding, even through the notch's
    /// poles at radius 0.997, stays below 1e-12 of it.
    #[test]
    fn lanes_with_unit_sections_equal_each_channel_filtered_alone_to_rounding() {
        let sos = unit_cascade();
        for worst in [
            worst_relative_error::<1>(&sos),
            worst_relative_error::<2>(&sos),
            worst_relative_error::<4>(&sos),
            worst_relative_error::<8>(&sos),
            worst_relative_error::<16>(&sos),
        ] {
            assert!(worst < 1e-12, "worst relative difference {worst:e}");
        }
        // Where the CPU has FMA the fused kernel is the one that ran: it cannot match bit for bit.
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("fma") {
            assert!(
                worst_relative_error::<8>(&sos) > 0.0,
                "the fused kernel did not run"
            );
        }
    }
}
