//! The reader thread: port → decoder → sample blocks → lock-free SPSC ring, with gaps made explicit.
//!
//! Real-time contract: after [`Acquisition::start`] the reader thread neither allocates nor logs per
//! frame. Blocks live in a ring allocated once; events go through a bounded channel with `try_send`
//! (an event is dropped, and counted, rather than ever blocking the reader).

use std::io::{ErrorKind, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Receiver, Sender};
use ringbuf::traits::{Consumer, Producer, Split};
use ringbuf::{HeapCons, HeapProd, HeapRb};
use tonus_core::{SampleBlock, Waker, BLOCK_CAPACITY, MAX_CHANNELS};
use tonus_protocol::{DecoderStats, Message};

use super::error::AcqError;
use super::link::{DeviceIdentity, Link};

/// How to acquire.
#[derive(Debug, Clone, PartialEq)]
pub struct AcquisitionConfig {
    /// Serial port path.
    pub path: PathBuf,
    /// Baud rate (ignored by USB-CDC and pseudo-terminals).
    pub baud: u32,
    /// How long to wait for DeviceInfo and Acks.
    pub handshake_timeout: Duration,
    /// No bytes for this long counts as a stall.
    pub stall_timeout: Duration,
    /// Ring capacity in blocks.
    pub ring_blocks: usize,
    /// Reopen the same path after a disconnect.
    pub reconnect: bool,
}

impl AcquisitionConfig {
    /// Defaults for `path`: 921 600 baud, 2 s handshake, 1 s stall, 4096-block ring, reconnect on.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            baud: 921_600,
            handshake_timeout: Duration::from_secs(2),
            stall_timeout: Duration::from_secs(1),
            ring_blocks: 4096,
            reconnect: true,
        }
    }
}

/// Something the reader thread reports.
#[derive(Debug, Clone, PartialEq)]
pub enum AcqEvent {
    /// No bytes for the stall timeout.
    Stalled {
        /// Host seconds since start.
        at_s: f64,
    },
    /// Bytes flow again after a stall.
    Resumed {
        /// Host seconds since start.
        at_s: f64,
    },
    /// The port failed or vanished.
    Disconnected {
        /// Host seconds since start.
        at_s: f64,
        /// The system's reason.
        reason: String,
    },
    /// The device is back on the same path and streaming; the samples missed meanwhile (estimated
    /// from the host clock, per channel) are recorded as a gap before the next block.
    Reconnected {
        /// Host seconds since start.
        at_s: f64,
        /// Missing samples per channel.
        gap_samples: Vec<u64>,
    },
    /// A device Status message.
    DeviceStatus(tonus_protocol::Status),
    /// A channel's sample index jumped by more than a gap may be
    /// (`tonus_core::limits::MAX_GAP_S`): the loss cannot be known, so the samples continue right
    /// after the last ones and the block says so (`SampleBlock::discontinuity`).
    Discontinuity {
        /// Host seconds since start.
        at_s: f64,
        /// The channel.
        channel: usize,
        /// The jump the device claimed, samples (negative: backwards).
        claimed: i64,
    },
}

/// Counters, readable while running and returned at the end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AcqStats {
    /// Sample blocks pushed into the ring.
    pub blocks: u64,
    /// Blocks lost because the ring was full.
    pub ring_overruns: u64,
    /// Samples recorded as gaps, per channel.
    pub gap_samples: [u64; MAX_CHANNELS],
    /// Events dropped because the event channel was full.
    pub events_dropped: u64,
    /// Stalls seen.
    pub stalls: u64,
    /// Disconnections seen.
    pub disconnects: u64,
    /// The decoder's counters (cumulated over reconnections).
    pub decoder: DecoderStats,
    /// Sample frames refused because their channel count differs from the device's description.
    pub malformed_frames: u64,
    /// Samples received twice (a frame overlapping the one before), dropped.
    pub overlap_samples: u64,
    /// Index jumps too large to be gaps (see [`AcqEvent::Discontinuity`]).
    pub discontinuities: u64,
}

impl AcqStats {
    /// Frames that could not be decoded at all: CRC, framing (COBS) and length errors.
    pub fn broken_frames(&self) -> u64 {
        let d = &self.decoder;
        d.crc_errors + d.cobs_errors + d.oversize + d.too_short
    }

    /// Whether the link looks wrong: frames broken or refused in more than 1 % of what arrived, or
    /// bytes but no frame at all.
    pub fn link_suspect(&self) -> bool {
        let bad = self.broken_frames() + self.malformed_frames;
        let all = self.decoder.frames + bad;
        bad > 0 && (self.decoder.frames == 0 || 100 * bad > all)
    }

    /// One line: frames, errors by kind, samples lost and declared, discontinuities.
    pub fn summary(&self, channels: usize) -> String {
        let d = &self.decoder;
        let lost = self
            .gap_samples
            .iter()
            .take(channels)
            .max()
            .copied()
            .unwrap_or(0);
        format!(
            "frames {}, CRC errors {}, framing errors {}, length errors {}, refused frames {}, lost frames {}, \
             samples declared lost {lost}, overlapping samples dropped {}, discontinuities {}, stalls {}, disconnects {}, ring overruns {}",
            d.frames,
            d.crc_errors,
            d.cobs_errors,
            d.oversize + d.too_short,
            self.malformed_frames,
            d.lost_frames,
            self.overlap_samples,
            self.discontinuities,
            self.stalls,
            self.disconnects,
            self.ring_overruns
        )
    }
}

/// Running acquisition: identity, the consumer end of the ring, events.
pub struct Acquisition {
    identity: DeviceIdentity,
    consumer: HeapCons<SampleBlock>,
    events: Receiver<AcqEvent>,
    stop: Arc<AtomicBool>,
    blocks: Arc<AtomicU64>,
    waker: Waker,
    thread: Option<JoinHandle<AcqStats>>,
}

impl Acquisition {
    /// Opens the port, identifies the device, starts streaming and spawns the reader thread.
    pub fn start(config: AcquisitionConfig) -> Result<Self, AcqError> {
        let mut link = Link::open(&config.path, config.baud)?;
        let identity = link.identify(config.handshake_timeout)?;
        link.start(config.handshake_timeout)?;
        let (producer, consumer) = HeapRb::<SampleBlock>::new(config.ring_blocks.max(1)).split();
        let (tx, events) = bounded(256);
        let stop = Arc::new(AtomicBool::new(false));
        let blocks = Arc::new(AtomicU64::new(0));
        let waker = Waker::new();
        let reader = Reader::new(
            link,
            config,
            &identity,
            producer,
            tx,
            Arc::clone(&blocks),
            waker.clone(),
        );
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("tonus-serial-reader".into())
            .spawn(move || reader.run(&flag))
            .map_err(|source| AcqError::Io {
                path: PathBuf::new(),
                source,
            })?;
        Ok(Self {
            identity,
            consumer,
            events,
            stop,
            blocks,
            waker,
            thread: Some(thread),
        })
    }

    /// Wakes `consumer` (with `std::thread::Thread::unpark`) after every block pushed, so it can
    /// park until there is work instead of polling the ring.
    pub fn wake_on_data(&self, consumer: std::thread::Thread) {
        self.waker.set(consumer);
    }

    /// What the device said about itself.
    pub fn identity(&self) -> &DeviceIdentity {
        &self.identity
    }

    /// The next block, if one is ready (never blocks).
    pub fn pop(&mut self) -> Option<SampleBlock> {
        self.consumer.try_pop()
    }

    /// Events from the reader thread.
    pub fn events(&self) -> &Receiver<AcqEvent> {
        &self.events
    }

    /// Blocks pushed so far.
    pub fn blocks_pushed(&self) -> u64 {
        self.blocks.load(Ordering::Relaxed)
    }

    /// Stops the reader (sending Stop to the device) and returns its counters. Blocks still in the
    /// ring remain poppable until `self` is dropped — call [`Acquisition::pop`] first to drain them.
    pub fn stop(&mut self) -> AcqStats {
        self.stop.store(true, Ordering::SeqCst);
        self.thread
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Acquisition {
    fn drop(&mut self) {
        self.stop();
    }
}

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
    /// Gap to attach to the next block (reconnection estimate).
    pending_gap: u64,
}

/// Everything a decoded frame updates: the ring, the per-channel tracks, the counters.
struct Sink {
    producer: HeapProd<SampleBlock>,
    waker: Waker,
    events: Sender<AcqEvent>,
    blocks_counter: Arc<AtomicU64>,
    scale: [f64; MAX_CHANNELS],
    offset: [f64; MAX_CHANNELS],
    rate: [f64; MAX_CHANNELS],
    channels: usize,
    tracks: [Track; MAX_CHANNELS],
    stats: AcqStats,
    seq: u64,
    started: Instant,
    /// Samples per channel lost to a full ring, to be recorded as a gap before the next block.
    overrun_gap: [u64; MAX_CHANNELS],
}

impl Sink {
    fn emit(&mut self, event: AcqEvent) {
        if self.events.try_send(event).is_err() {
            self.stats.events_dropped += 1;
        }
    }

    fn now_s(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    fn frame(&mut self, frame: tonus_protocol::Frame<'_>) {
        if frame.version != tonus_protocol::VERSION {
            return;
        }
        match frame.message() {
            Ok(Message::Samples(s)) => self.samples(&s),
            Ok(Message::Status(st)) => self.emit(AcqEvent::DeviceStatus(st)),
            _ => {}
        }
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
            if t.expected > 0 && (jump > limit || -jump > limit) {
                // Not a believable loss: continue right after the last sample, and say so.
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
            let gap = first.saturating_sub(t.expected).max(t.pending_gap);
            t.pending_gap = 0;
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

/// The reader thread's state: the link (port and decoder) and the sink.
struct Reader {
    link: Link,
    config: AcquisitionConfig,
    sink: Sink,
    decoder_total: DecoderStats,
}

impl Reader {
    fn new(
        link: Link,
        config: AcquisitionConfig,
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
        let sink = Sink {
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
        };
        Self {
            link,
            config,
            sink,
            decoder_total: DecoderStats::default(),
        }
    }

    fn run(mut self, stop: &AtomicBool) -> AcqStats {
        let mut buf = [0u8; 4096];
        let mut last_data = Instant::now();
        let mut stalled = false;
        self.feed_leftover();
        while !stop.load(Ordering::SeqCst) {
            match self.link.port.read(&mut buf) {
                Ok(n) if n > 0 => {
                    last_data = Instant::now();
                    if stalled {
                        stalled = false;
                        let at_s = self.sink.now_s();
                        self.sink.emit(AcqEvent::Resumed { at_s });
                    }
                    let sink = &mut self.sink;
                    self.link.decoder.feed(&buf[..n], |frame| sink.frame(frame));
                }
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::TimedOut || e.kind() == ErrorKind::WouldBlock => {}
                Err(e) => {
                    if !self.reconnect(stop, &e.to_string(), last_data) {
                        break;
                    }
                    last_data = Instant::now();
                    stalled = false;
                    continue;
                }
            }
            if !stalled && last_data.elapsed() >= self.config.stall_timeout {
                stalled = true;
                self.sink.stats.stalls += 1;
                let at_s = self.sink.now_s();
                self.sink.emit(AcqEvent::Stalled { at_s });
            }
        }
        let _ = self.link.stop(Duration::from_millis(200));
        self.add_decoder_stats();
        self.sink.stats.decoder = self.decoder_total;
        self.sink.stats
    }

    /// Processes the bytes that arrived with the last handshake answer.
    fn feed_leftover(&mut self) {
        let leftover = std::mem::take(&mut self.link.leftover);
        let sink = &mut self.sink;
        self.link.decoder.feed(&leftover, |frame| sink.frame(frame));
    }

    fn add_decoder_stats(&mut self) {
        let d = *self.link.decoder.stats();
        let s = &mut self.decoder_total;
        s.frames += d.frames;
        s.crc_errors += d.crc_errors;
        s.cobs_errors += d.cobs_errors;
        s.oversize += d.oversize;
        s.too_short += d.too_short;
        s.version_mismatches += d.version_mismatches;
        s.lost_frames += d.lost_frames;
        s.sequence_resets += d.sequence_resets;
    }

    /// After a port error: report, then reopen the same path until the device streams again.
    fn reconnect(&mut self, stop: &AtomicBool, reason: &str, last_data: Instant) -> bool {
        self.sink.stats.disconnects += 1;
        let at_s = self.sink.now_s();
        self.sink.emit(AcqEvent::Disconnected {
            at_s,
            reason: reason.to_string(),
        });
        if !self.config.reconnect {
            return false;
        }
        while !stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(100));
            let Ok(mut link) = Link::open(&self.config.path, self.config.baud) else {
                continue;
            };
            if link.identify(self.config.handshake_timeout).is_err()
                || link.start(self.config.handshake_timeout).is_err()
            {
                continue;
            }
            // The device restarted: its first_index begins at 0 again. What it produced while away
            // is estimated from the host clock since the last bytes arrived.
            let away = last_data.elapsed().as_secs_f64();
            let mut gaps = vec![0u64; self.sink.channels];
            for (c, gap) in gaps.iter_mut().enumerate() {
                let t = &mut self.sink.tracks[c];
                *gap = (away * self.sink.rate[c]).round() as u64;
                t.pending_gap = *gap;
                t.base = (t.expected + *gap) as i64;
                t.rel = 0;
                t.last_raw = 0;
                t.started = false;
            }
            self.add_decoder_stats();
            self.link = link;
            let at_s = self.sink.now_s();
            self.sink.emit(AcqEvent::Reconnected {
                at_s,
                gap_samples: gaps,
            });
            self.feed_leftover();
            return true;
        }
        false
    }
}
