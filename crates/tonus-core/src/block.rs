//! Fixed-capacity blocks of samples: what the reader thread hands the engine through the ring.

/// Most channels one block carries.
pub const MAX_CHANNELS: usize = 8;
/// Most samples per channel in one block.
pub const BLOCK_CAPACITY: usize = 64;

/// A block of consecutive samples for up to [`MAX_CHANNELS`] channels, each at its own rate.
///
/// Fixed-size and `Copy`-free of heap memory, so a ring of blocks is allocated once and never again.
/// Channel `c`'s samples are `samples(c)`; the first of them is sample number `first_sample[c]` of that
/// channel since the start of the session, so its time is `first_sample[c] / rate`. A sensor that lost
/// data reports it in `gap_before[c]`: that many samples of channel `c` are missing just before this
/// block (never silently dropped: DESIGN.md invariant 1).
#[derive(Clone)]
pub struct SampleBlock {
    /// Sequence number of the block (the wire frame's, or a counter for file sources).
    pub seq: u64,
    /// Device clock at the first sample, in microseconds.
    pub device_time_us: u64,
    /// Index of each channel's first sample in this block since the session start.
    pub first_sample: [u64; MAX_CHANNELS],
    /// Samples missing just before this block, per channel.
    pub gap_before: [u64; MAX_CHANNELS],
    /// The device's sample index jumped by more than a gap may be (or restarted where the loss
    /// cannot be known): this block does not follow on from the one before. Its samples are placed
    /// right after the last ones, and the jump is declared (a `discontinuity` marker), not guessed.
    pub discontinuity: bool,
    channels: usize,
    len: [usize; MAX_CHANNELS],
    data: [[f64; BLOCK_CAPACITY]; MAX_CHANNELS],
}

impl Default for SampleBlock {
    fn default() -> Self {
        Self {
            seq: 0,
            device_time_us: 0,
            first_sample: [0; MAX_CHANNELS],
            gap_before: [0; MAX_CHANNELS],
            discontinuity: false,
            channels: 0,
            len: [0; MAX_CHANNELS],
            data: [[0.0; BLOCK_CAPACITY]; MAX_CHANNELS],
        }
    }
}

impl core::fmt::Debug for SampleBlock {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SampleBlock")
            .field("seq", &self.seq)
            .field("channels", &self.channels)
            .field("len", &&self.len[..self.channels])
            .finish()
    }
}

impl SampleBlock {
    /// Empties the block and sets its channel count (clamped to [`MAX_CHANNELS`]).
    pub fn clear(&mut self, channels: usize) {
        self.channels = channels.min(MAX_CHANNELS);
        self.len = [0; MAX_CHANNELS];
        self.gap_before = [0; MAX_CHANNELS];
        self.discontinuity = false;
    }

    /// Number of channels in use.
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// The samples of `channel` (empty for a channel out of range).
    pub fn samples(&self, channel: usize) -> &[f64] {
        match (self.data.get(channel), self.len.get(channel)) {
            (Some(d), Some(&n)) if channel < self.channels => &d[..n],
            _ => &[],
        }
    }

    /// Mutable access to the samples of `channel`.
    pub fn samples_mut(&mut self, channel: usize) -> &mut [f64] {
        if channel >= self.channels {
            return &mut [];
        }
        let n = self.len[channel];
        &mut self.data[channel][..n]
    }

    /// Appends a sample to `channel`; returns `false` (and stores nothing) if the channel is out of
    /// range or full.
    pub fn push(&mut self, channel: usize, value: f64) -> bool {
        if channel >= self.channels || self.len[channel] >= BLOCK_CAPACITY {
            return false;
        }
        self.data[channel][self.len[channel]] = value;
        self.len[channel] += 1;
        true
    }

    /// True if any channel is full.
    pub fn is_full(&self) -> bool {
        self.len[..self.channels]
            .iter()
            .any(|&n| n >= BLOCK_CAPACITY)
    }

    /// True if no channel holds a sample.
    pub fn is_empty(&self) -> bool {
        self.len[..self.channels].iter().all(|&n| n == 0)
    }
}
