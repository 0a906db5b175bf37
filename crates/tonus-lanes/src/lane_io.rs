//! Where the lane kernel's frames come from and where its envelopes go: frames in place, frames
//! out of place, or channels kept apart (one slice per lane).
//!
//! The kernel ([`lanes`](crate::lanes)) reads and writes frames one by one, or, where the source
//! says it is [`blocked`](FrameIo::blocked), blocks of [`BLOCK`] frames and then the frames left
//! over one by one. Channels kept apart are blocked with eight lanes on a CPU with AVX-512F: an
//! 8 × 8 transpose in registers ([`lane_transpose`](crate::lane_transpose)) straight into the
//! kernel and straight back out, with no buffer in between. Otherwise they go element by element.
//!
//! Frames, and channels apart read a block at a time, are asked into the cache 4 KiB ahead of the
//! kernel (`prefetch.rs`). Channels read one by one (fewer than eight lanes) are not: one lane
//! takes 8 bytes every few nanoseconds, which the processor's prefetcher keeps up with, and the
//! check cost the one-lane kernel 3 % (0.0302 against 0.0292 s for the harness's hour).

use crate::avx512::Avx512;
use crate::prefetch::prefetch_ahead;

/// Frames read and written per block.
pub(crate) const BLOCK: usize = 8;

/// A source of frames and a sink for the same number of envelope frames.
pub(crate) trait FrameIo<const L: usize> {
    /// Frames to process.
    fn len(&self) -> usize;
    /// Whether frames are best read and written a block at a time (a transpose); otherwise one
    /// by one.
    fn blocked(&self) -> bool {
        false
    }
    /// Frames `at..at + BLOCK` (the kernel asks only for blocks within [`len`](Self::len)).
    fn read_block(&self, at: usize) -> [[f64; L]; BLOCK];
    /// Writes the envelopes of frames `at..at + BLOCK`.
    fn write_block(&mut self, at: usize, frames: &[[f64; L]; BLOCK]);
    /// Frame `i`.
    fn read(&self, i: usize) -> [f64; L];
    /// Writes the envelope of frame `i`.
    fn write(&mut self, i: usize, frame: [f64; L]);
}

/// Frames replaced by their envelopes.
pub(crate) struct InPlace<'a, const L: usize>(pub(crate) &'a mut [[f64; L]]);

impl<const L: usize> FrameIo<L> for InPlace<'_, L> {
    fn len(&self) -> usize {
        self.0.len()
    }
    #[inline(always)]
    fn read_block(&self, at: usize) -> [[f64; L]; BLOCK] {
        block_of(self.0, at)
    }
    #[inline(always)]
    fn write_block(&mut self, at: usize, frames: &[[f64; L]; BLOCK]) {
        if let Some(d) = self.0.get_mut(at..at + BLOCK) {
            d.copy_from_slice(frames);
        }
    }
    #[inline(always)]
    fn read(&self, i: usize) -> [f64; L] {
        prefetch_ahead(self.0, i);
        self.0.get(i).copied().unwrap_or([0.0; L])
    }
    #[inline(always)]
    fn write(&mut self, i: usize, frame: [f64; L]) {
        if let Some(d) = self.0.get_mut(i) {
            *d = frame;
        }
    }
}

/// Frames read from one slice, envelopes written to another (the shorter length of the two).
pub(crate) struct OutOfPlace<'a, const L: usize> {
    /// The frames.
    pub(crate) input: &'a [[f64; L]],
    /// Their envelopes.
    pub(crate) output: &'a mut [[f64; L]],
}

impl<const L: usize> FrameIo<L> for OutOfPlace<'_, L> {
    fn len(&self) -> usize {
        self.input.len().min(self.output.len())
    }
    #[inline(always)]
    fn read_block(&self, at: usize) -> [[f64; L]; BLOCK] {
        block_of(self.input, at)
    }
    #[inline(always)]
    fn write_block(&mut self, at: usize, frames: &[[f64; L]; BLOCK]) {
        if let Some(d) = self.output.get_mut(at..at + BLOCK) {
            d.copy_from_slice(frames);
        }
    }
    #[inline(always)]
    fn read(&self, i: usize) -> [f64; L] {
        prefetch_ahead(self.input, i);
        self.input.get(i).copied().unwrap_or([0.0; L])
    }
    #[inline(always)]
    fn write(&mut self, i: usize, frame: [f64; L]) {
        if let Some(d) = self.output.get_mut(i) {
            *d = frame;
        }
    }
}

/// Channels kept apart: lane `l` reads `input[l]` and writes `output[l]` (the shortest length of
/// all the slices).
pub(crate) struct Apart<'a, const L: usize> {
    input: [&'a [f64]; L],
    output: [&'a mut [f64]; L],
    len: usize,
    /// With eight lanes where the CPU has AVX-512F: blocks transposed in registers.
    avx512: Option<Avx512>,
}

impl<'a, const L: usize> Apart<'a, L> {
    /// The channels; with eight lanes and `avx512`, moved a block at a time by transposes.
    pub(crate) fn new(
        input: [&'a [f64]; L],
        output: [&'a mut [f64]; L],
        avx512: Option<Avx512>,
    ) -> Self {
        let len = input
            .iter()
            .map(|x| x.len())
            .chain(output.iter().map(|y| y.len()))
            .min()
            .unwrap_or(0);
        let avx512 = avx512.filter(|_| L == 8);
        Self {
            input,
            output,
            len,
            avx512,
        }
    }
}

impl<const L: usize> FrameIo<L> for Apart<'_, L> {
    fn len(&self) -> usize {
        self.len
    }
    #[inline(always)]
    fn blocked(&self) -> bool {
        self.avx512.is_some()
    }
    #[inline(always)]
    fn read_block(&self, at: usize) -> [[f64; L]; BLOCK] {
        for x in &self.input {
            prefetch_ahead(x, at);
        }
        if let (Some(simd), Ok(input)) = (self.avx512, <&[&[f64]; 8]>::try_from(&self.input[..])) {
            if let Ok(block) = bytemuck::try_cast(simd.load(input, at)) {
                return block;
            }
        }
        let mut block = [[0.0; L]; BLOCK];
        for (l, x) in self.input.iter().enumerate() {
            if let Some(x) = x.get(at..at + BLOCK) {
                for (f, v) in block.iter_mut().zip(x) {
                    f[l] = *v;
                }
            }
        }
        block
    }
    #[inline(always)]
    fn write_block(&mut self, at: usize, frames: &[[f64; L]; BLOCK]) {
        if let (Some(simd), Ok(output), Ok(block)) = (
            self.avx512,
            <&mut [&mut [f64]; 8]>::try_from(&mut self.output[..]),
            bytemuck::try_cast::<[[f64; L]; BLOCK], [[f64; 8]; 8]>(*frames),
        ) {
            simd.store(block, output, at);
            return;
        }
        for (l, y) in self.output.iter_mut().enumerate() {
            if let Some(y) = y.get_mut(at..at + BLOCK) {
                for (f, v) in frames.iter().zip(y) {
                    *v = f[l];
                }
            }
        }
    }
    #[inline(always)]
    fn read(&self, i: usize) -> [f64; L] {
        let mut frame = [0.0; L];
        for (f, x) in frame.iter_mut().zip(&self.input) {
            *f = x.get(i).copied().unwrap_or(0.0);
        }
        frame
    }
    #[inline(always)]
    fn write(&mut self, i: usize, frame: [f64; L]) {
        for (y, v) in self.output.iter_mut().zip(frame) {
            if let Some(d) = y.get_mut(i) {
                *d = v;
            }
        }
    }
}

/// Frames `at..at + BLOCK` of `frames` (zeros where they run past its end, which the kernel rules
/// out).
#[inline(always)]
fn block_of<const L: usize>(frames: &[[f64; L]], at: usize) -> [[f64; L]; BLOCK] {
    let mut block = [[0.0; L]; BLOCK];
    if let Some(s) = frames.get(at..at + BLOCK) {
        block.copy_from_slice(s);
    }
    block
}

/// Frames of a [`FrameIo`] one at a time, in order, and envelopes back in order (possibly some
/// frames behind the reads), for kernels that do not take a block at a time: where the source is
/// [`blocked`](FrameIo::blocked), whole blocks are read and written through a block buffer each
/// way; the frames past the last whole block, and every frame of a source that is not blocked,
/// one by one.
pub(crate) struct FrameStream<'a, IO, const L: usize> {
    io: &'a mut IO,
    /// Frames in whole blocks (0 where the source is not blocked).
    whole: usize,
    input: [[f64; L]; BLOCK],
    output: [[f64; L]; BLOCK],
}

impl<'a, IO: FrameIo<L>, const L: usize> FrameStream<'a, IO, L> {
    /// Streams `io`.
    #[inline(always)]
    pub(crate) fn new(io: &'a mut IO) -> Self {
        let n = io.len();
        let whole = if io.blocked() { n - n % BLOCK } else { 0 };
        Self {
            io,
            whole,
            input: [[0.0; L]; BLOCK],
            output: [[0.0; L]; BLOCK],
        }
    }

    /// Frames to process.
    #[inline(always)]
    pub(crate) fn len(&self) -> usize {
        self.io.len()
    }

    /// Frame `i`; frames must be read in order, each once.
    #[inline(always)]
    pub(crate) fn read(&mut self, i: usize) -> [f64; L] {
        if i >= self.whole {
            return self.io.read(i);
        }
        if i.is_multiple_of(BLOCK) {
            self.input = self.io.read_block(i);
        }
        self.input[i % BLOCK]
    }

    /// Writes the envelope of frame `i`; envelopes must be written in order, each once, after
    /// its frame was read.
    #[inline(always)]
    pub(crate) fn write(&mut self, i: usize, frame: [f64; L]) {
        if i >= self.whole {
            self.io.write(i, frame);
            return;
        }
        self.output[i % BLOCK] = frame;
        if i % BLOCK == BLOCK - 1 {
            self.io.write_block(i + 1 - BLOCK, &self.output);
        }
    }
}
