//! What a decoded frame updates: per-channel index tracks, the ring, the counters and events.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crossbeam_channel::Sender;
use ringbuf::traits::Producer;
use ringbuf::HeapProd;
use tonus_core::{SampleBlock, Waker, BLOCK_CAPACITY, MAX_CHANNELS};
use tonus_protocol::Message;

use super::acquisition::{AcqEvent, AcqStats};
use super::link::DeviceIdentity;

/// Per-channel bookkeeping: absolute sample indices from the wrapping `first_index`.
#[derive(Clone, Copy, Default)]
struct Track {
    /// Index of the next sample we expect.
    expected: u64,
    /// Absolute index that the device's current `first_index = 0` stands for (signed: after a
    /// discontinuity the device's index may run ahead of the samples kept).
    base: i64,
    /// Last raw `first_index`, and its unwrapped value relative to `base`.
    last_raw: u32,
    rel: i64,
    started: bool,
    /// The next block follows a reconnection whose loss is unknown.
    pending_discontinuity: bool,
}

/// Everything a decoded frame updates: the ring, the per-channel tracks, the counters.
pub(crate) struct Sink {
    producer: HeapProd<SampleBlock>,
    waker: Waker,
    events: Sender<AcqEvent>,
    blocks_counter: Arc<AtomicU64>,
    scale: [f64; MAX_CHANNELS],
    offset: [f64; MAX_CHANNELS],
    rate: [f64; MAX_CHANNELS],
    pub(crate) channels: usize,
    tracks: [Track; MAX_CHANNELS],
    pub(crate) stats: AcqStats,
    seq: u64,
    started: Instant,
    /// Samples per channel lost to a full ring, to be recorded as a gap before the next block.
    overrun_gap: [u64; MAX_CHANNELS],
}

impl Sink {
    /// A sink for `identity`'s channels, pushing into `producer` and reporting on `events`.
    pub(crate) fn new(
        identity: &DeviceIdentity,
        producer: HeapProd<SampleBlock>,
        events: Sender<AcqEvent>,
        blocks_counter: Arc<AtomicU64>,
        waker: Waker,
    ) -> Self {
        let mut scale = [0.0; MAX_CHANNELS];
        let mut offset = [0.0; MAX_CHANNELS];
        let mut rate = [0.0; MAX_CHANNELS];
        for (i, c) in identity.channels.iter().enumerate().take(MAX_CHANNELS) {
            scale[i] = c.scale;
            offset[i] = c.offset;
            rate[i] = c.info.rate_hz;
        }
        Self {
            producer,
            waker,
            events,
            blocks_counter,
            scale,
            offset,
            rate,
            channels: identity.channels.len().min(MAX_CHANNELS),
            tracks: [Track::default(); MAX_CHANNELS],
            stats: AcqStats::default(),
            seq: 0,
            started: Instant::now(),
            overrun_gap: [0; MAX_CHANNELS],
        }
    }

    pub(crate) fn emit(&mut self, event: AcqEvent) {
        if self.events.try_send(event).is_err() {
            self.stats.events_dropped += 1;
        }
    }

    pub(crate) fn now_s(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    pub(crate) fn frame(&mut self, frame: tonus_protocol::Frame<'_>) {
        if frame.version != tonus_protocol::VERSION {
            return;
        }
        match frame.message() {
            Ok(Message::Samples(s)) => self.samples(&s),
            Ok(Message::Status(st)) => self.emit(AcqEvent::DeviceStatus(st)),
            _ => {}
        }
    }

    /// After a reconnection: where the new stream's `first_index` 0 falls in the session's sample
    /// numbering, per channel (`None`: unknown). Returns the samples missed per channel.
    pub(crate) fn resume(&mut self, origins: Option<[i64; MAX_CHANNELS]>) -> Option<Vec<u64>> {
        let mut lost = Vec::with_capacity(self.channels);
        for c in 0..self.channels {
            let t = &mut self.tracks[c];
            t.rel = 0;
            t.last_raw = 0;
            t.started = false;
            match origins {
                Some(o) => {
                    // The next frame's index lands at o[c]: the jump from what we have is the
                    // loss (or an overlap, trimmed; or a discontinuity if beyond belief).
                    t.base = o[c];
                    lost.push(o[c].saturating_sub(t.expected as i64).max(0) as u64);
                }
                None => {
                    t.base = t.expected as i64;
                    t.pending_discontinuity = true;
                }
            }
        }
        origins.map(|_| lost)
    }

    fn samples(&mut self, s: &tonus_protocol::Samples<'_>) {
        // Every channel the device described, no more and no fewer (a short frame would leave
        // cells empty).
        if s.channels.len() != self.channels {
            self.stats.malformed_frames += 1;
            return;
        }
        let mut block = SampleBlock::default();
        block.clear(self.channels);
        block.seq = self.seq;
        block.device_time_us = s.device_time_us;
        // Samples of each channel already received (an overlapping frame), skipped below.
        let mut skip = [0usize; MAX_CHANNELS];
        for (c, ch) in s.channels.iter().enumerate().take(self.channels) {
            let t = &mut self.tracks[c];
            if t.started {
                // Signed: an index a little behind the last one is an overlap, not a wrap.
                let step = i64::from(ch.first_index.wrapping_sub(t.last_raw) as i32);
                t.rel = t.rel.saturating_add(step);
            } else {
                t.rel = i64::from(ch.first_index);
                t.started = true;
            }
            t.last_raw = ch.first_index;
            let claimed = t.base.saturating_add(t.rel);
            let jump = claimed.saturating_sub(t.expected as i64);
            let limit = tonus_core::limits::max_gap_samples(self.rate[c]) as i64;
            let unknown = std::mem::take(&mut t.pending_discontinuity);
            if unknown || jump > limit || -jump > limit {
                // Not a believable loss, or one nobody can know: continue right after the last
                // sample, and say so.
                t.base = t.expected as i64 - t.rel;
                block.discontinuity = true;
                self.stats.discontinuities += 1;
                let at_s = self.started.elapsed().as_secs_f64();
                if self
                    .events
                    .try_send(AcqEvent::Discontinuity {
                        at_s,
                        channel: c,
                        claimed: jump,
                    })
                    .is_err()
                {
                    self.stats.events_dropped += 1;
                }
            }
            let mut first = (t.base + t.rel).max(0) as u64;
            if first < t.expected {
                let dup = ((t.expected - first) as usize).min(ch.len());
                skip[c] = dup;
                self.stats.overlap_samples += dup as u64;
                first = t.expected;
            }
            let gap = first.saturating_sub(t.expected);
            block.first_sample[c] = first;
            block.gap_before[c] = gap;
            self.stats.gap_samples[c] += gap;
            t.expected = first.max(t.expected) + (ch.len() - skip[c]) as u64;
        }
        // A frame may hold more than BLOCK_CAPACITY samples of a channel: continue in further blocks.
        let longest = s
            .channels
            .iter()
            .zip(skip)
            .take(self.channels)
            .map(|(c, k)| c.len() - k)
            .max()
            .unwrap_or(0);
        let mut done = 0;
        loop {
            for (c, ch) in s.channels.iter().enumerate().take(self.channels) {
                for i in (done + skip[c])..ch.len().min(done + skip[c] + BLOCK_CAPACITY) {
                    if let Some(count) = ch.get(i) {
                        block.push(c, self.offset[c] + self.scale[c] * f64::from(count));
                    }
                }
            }
            self.push(&block);
            done += BLOCK_CAPACITY;
            if done >= longest {
                break;
            }
            for c in 0..self.channels {
                block.first_sample[c] += block.samples(c).len() as u64;
            }
            let first_sample = block.first_sample;
            block.clear(self.channels);
            block.discontinuity = false;
            block.first_sample = first_sample;
            block.seq = self.seq;
        }
    }

    /// Pushes a block; if the ring is full the block is lost, and its samples (with any gap it
    /// carried) become part of the gap recorded before the next block that gets through.
    fn push(&mut self, block: &SampleBlock) {
        self.seq += 1;
        let mut out = block.clone();
        for c in 0..self.channels {
            out.gap_before[c] += self.overrun_gap[c];
        }
        match self.producer.try_push(out) {
            Ok(()) => {
                self.overrun_gap = [0; MAX_CHANNELS];
                self.stats.blocks += 1;
                self.blocks_counter.fetch_add(1, Ordering::Relaxed);
                self.waker.wake();
            }
            Err(lost) => {
                self.stats.ring_overruns += 1;
                for c in 0..self.channels {
                    let n = lost.gap_before[c] + lost.samples(c).len() as u64;
                    self.overrun_gap[c] = n;
                    self.stats.gap_samples[c] += lost.samples(c).len() as u64;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! Mutated frame streams (issue 21): whatever indices and shapes a device sends, every block
    //! follows the one before with exactly its declared gap, gaps stay within the limit, and
    //! nothing panics.

    use super::*;
    use proptest::prelude::*;
    use ringbuf::traits::{Consumer, Split};
    use ringbuf::HeapRb;
    use tonus_core::ChannelInfo;

    use crate::serial::link::DeviceChannel;

    /// One frame as a device might send it: the index step from the previous frame (any size,
    /// backwards too), how many channels it carries, how many samples each.
    #[derive(Debug, Clone)]
    struct FrameShape {
        step: i64,
        channels: usize,
        len: usize,
    }

    fn shape() -> impl Strategy<Value = FrameShape> {
        let step = prop_oneof![
            6 => Just(0i64),
            2 => -40i64..40,
            1 => -3_000_000i64..3_000_000,
            1 => prop_oneof![Just(1i64 << 31), Just(-(1i64 << 31)), Just((1i64 << 32) - 1)],
        ];
        (
            step,
            prop_oneof![8 => Just(2usize), 1 => 0usize..5],
            0usize..150,
        )
            .prop_map(|(step, channels, len)| FrameShape {
                step,
                channels,
                len,
            })
    }

    fn sink(capacity: usize) -> (Sink, ringbuf::HeapCons<SampleBlock>) {
        let channel = |name: &str| DeviceChannel {
            info: ChannelInfo {
                name: name.into(),
                unit: tonus_core::Unit::Microvolt,
                rate_hz: 1000.0,
            },
            scale: 1.0,
            offset: 0.0,
            width: 4,
        };
        let identity = DeviceIdentity {
            model: "m".into(),
            firmware: [0; 3],
            serial: "s".into(),
            channels: vec![channel("a"), channel("b")],
        };
        let (producer, consumer) = HeapRb::<SampleBlock>::new(capacity).split();
        let (tx, _rx) = crossbeam_channel::bounded(4);
        let sink = Sink::new(
            &identity,
            producer,
            tx,
            Arc::new(AtomicU64::new(0)),
            Waker::new(),
        );
        (sink, consumer)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn every_block_follows_the_last_with_exactly_its_declared_gap(
            shapes in prop::collection::vec(shape(), 1..60)
        ) {
            let (mut sink, mut consumer) = sink(100_000);
            let counts: Vec<i32> = (0..150).collect();
            let mut index: u32 = 0;
            for f in &shapes {
                index = index.wrapping_add(f.step as u32);
                let mut blocks = heapless::Vec::new();
                for _ in 0..f.channels {
                    let _ = blocks.push(tonus_protocol::SampleBlock {
                        first_index: index,
                        width: 4,
                        data: tonus_protocol::SampleData::Counts(&counts[..f.len]),
                    });
                }
                sink.samples(&tonus_protocol::Samples { device_time_us: 0, channels: blocks });
                index = index.wrapping_add(f.len as u32);
            }
            let limit = tonus_core::limits::max_gap_samples(1000.0);
            let mut end = [0u64; 2];
            let mut declared = [0u64; 2];
            while let Some(b) = consumer.try_pop() {
                for c in 0..2 {
                    prop_assert!(b.gap_before[c] <= limit, "gap {} over the limit", b.gap_before[c]);
                    prop_assert_eq!(b.first_sample[c], end[c] + b.gap_before[c]);
                    end[c] = b.first_sample[c] + b.samples(c).len() as u64;
                    declared[c] += b.gap_before[c];
                }
            }
            prop_assert_eq!(declared[0], sink.stats.gap_samples[0]);
        }
    }
}
