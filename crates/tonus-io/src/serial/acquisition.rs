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

use crossbeam_channel::{bounded, Receiver};
use ringbuf::traits::{Consumer, Split};
use ringbuf::{HeapCons, HeapRb};
use tonus_core::{SampleBlock, Waker, MAX_CHANNELS};
use tonus_protocol::DecoderStats;

use super::clock::DeviceClock;
use super::error::AcqError;
use super::link::{DeviceIdentity, Link};
use super::sink::Sink;

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
    /// The device is back on the same path and streaming.
    Reconnected {
        /// Host seconds since start.
        at_s: f64,
        /// Samples missed meanwhile, per channel, from the device's sample clock (exact; recorded
        /// as a gap before the next block). `None`: the device could not say where it is (no
        /// Position, or its clock restarted), so the next block starts a declared discontinuity.
        lost: Option<Vec<u64>>,
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

impl std::fmt::Display for AcqEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Stalled { at_s } => write!(f, "at {at_s:.1} s: the device stopped sending"),
            Self::Resumed { at_s } => write!(f, "at {at_s:.1} s: data flows again"),
            Self::Disconnected { at_s, reason } => write!(
                f,
                "at {at_s:.1} s: the device disconnected ({reason}); waiting for it on the same port"
            ),
            Self::Reconnected {
                at_s,
                lost: Some(lost),
            } => write!(
                f,
                "at {at_s:.1} s: reconnected; {} samples per channel missed (from the device's sample clock), recorded as a gap",
                lost.iter().max().copied().unwrap_or(0)
            ),
            Self::Reconnected { at_s, lost: None } => write!(
                f,
                "at {at_s:.1} s: reconnected; the device cannot say how much was missed, so the recording continues with a declared discontinuity"
            ),
            Self::DeviceStatus(s) => write!(
                f,
                "device status: flags {:#04x}, lead-off {:#04x}, saturation {:#04x}, {} samples dropped by the device",
                s.flags, s.lead_off, s.saturation, s.dropped_samples
            ),
            Self::Discontinuity {
                at_s,
                channel,
                claimed,
            } => write!(
                f,
                "at {at_s:.1} s: channel {channel}'s sample index jumped by {claimed}, more than a gap may be; recorded as a discontinuity"
            ),
        }
    }
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
        // A port that fails here fails the reader's first read too, which reconnects.
        let clock = link
            .locate(config.handshake_timeout)
            .ok()
            .flatten()
            .and_then(|p| DeviceClock::at_start(&p, identity.channels.len()));
        let (producer, consumer) = HeapRb::<SampleBlock>::new(config.ring_blocks.max(1)).split();
        let (tx, events) = bounded(256);
        let stop = Arc::new(AtomicBool::new(false));
        let blocks = Arc::new(AtomicU64::new(0));
        let waker = Waker::new();
        let sink = Sink::new(&identity, producer, tx, Arc::clone(&blocks), waker.clone());
        let reader = Reader::new(link, clock, config, sink);
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

/// The reader thread's state: the link (port and decoder) and the sink.
struct Reader {
    link: Link,
    /// Where the first Start fell on the device's sample clock, if it could say.
    clock: Option<DeviceClock>,
    config: AcquisitionConfig,
    sink: Sink,
    decoder_total: DecoderStats,
}

impl Reader {
    fn new(link: Link, clock: Option<DeviceClock>, config: AcquisitionConfig, sink: Sink) -> Self {
        Self {
            link,
            clock,
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
                    if !self.reconnect(stop, &e.to_string()) {
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
    fn reconnect(&mut self, stop: &AtomicBool, reason: &str) -> bool {
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
            // The device's first_index begins at 0 again: where that falls is asked, not guessed.
            let Ok(position) = link.locate(self.config.handshake_timeout) else {
                continue;
            };
            let origins = self
                .clock
                .zip(position.as_ref())
                .and_then(|(clock, later)| clock.offsets_to(later));
            let lost = self.sink.resume(origins);
            self.add_decoder_stats();
            self.link = link;
            let at_s = self.sink.now_s();
            self.sink.emit(AcqEvent::Reconnected { at_s, lost });
            self.feed_leftover();
            return true;
        }
        false
    }
}
