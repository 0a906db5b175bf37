//! Where the engine thread's blocks come from: a serial sensor's reader thread, or a recording
//! replayed by a reader thread of its own; either way through a lock-free SPSC ring.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ringbuf::traits::{Consumer, Observer, Producer, Split};
use ringbuf::{HeapCons, HeapRb};
use tonus_core::{ChannelInfo, Replay, SampleBlock, Waker, BLOCK_CAPACITY};
use tonus_io::serial::{AcqEvent, AcqStats, Acquisition};

/// Something the source reports about the link or the device, besides samples.
#[derive(Debug, Clone, PartialEq)]
pub enum FeedStatus {
    /// No bytes for the stall timeout.
    Stalled,
    /// Bytes flow again.
    Resumed,
    /// The port failed or vanished (the reader keeps trying to reopen it).
    Disconnected(String),
    /// The device is back.
    Reconnected,
    /// The device's sample index jumped further than a gap may be: declared a discontinuity.
    Discontinuity,
    /// The device's own status: lead-off and saturation bits per channel.
    Device {
        /// Bit `c` set: channel `c`'s electrode is off.
        lead_off: u8,
        /// Bit `c` set: channel `c` is saturated.
        saturation: u8,
    },
}

/// The engine thread's source of sample blocks.
pub trait Feed: Send {
    /// The channels, in block order.
    fn channels(&self) -> &[ChannelInfo];
    /// The next block, if one is ready (never blocks, never allocates).
    fn pop(&mut self) -> Option<SampleBlock>;
    /// Whether the source has finished and every block was popped (a live sensor never finishes).
    fn ended(&self) -> bool;
    /// The next status report, if any.
    fn poll_status(&mut self) -> Option<FeedStatus>;
    /// Stops the producer; blocks already in the ring stay poppable.
    fn stop(&mut self);
    /// Wakes `consumer` after every block pushed (the engine thread parks until then). Feeds
    /// that cannot wake leave it to its timeout.
    fn wake_on_data(&mut self, consumer: std::thread::Thread) {
        let _ = consumer;
    }
    /// The serial link's counters, once stopped (a live sensor).
    fn link_stats(&self) -> Option<AcqStats> {
        None
    }
    /// Why the source failed, if it did (a replayed file that turned out unreadable midway).
    fn failure(&mut self) -> Option<String> {
        None
    }
}

/// A serial sensor: the acquisition's reader thread and ring.
pub struct SerialFeed {
    acquisition: Acquisition,
    channels: Vec<ChannelInfo>,
    stats: Option<AcqStats>,
}

impl SerialFeed {
    /// Wraps a started acquisition.
    pub fn new(acquisition: Acquisition) -> Self {
        let channels = acquisition
            .identity()
            .channels
            .iter()
            .map(|c| c.info.clone())
            .collect();
        Self {
            acquisition,
            channels,
            stats: None,
        }
    }

    /// The reader's counters once stopped.
    pub fn stats(&self) -> Option<AcqStats> {
        self.stats
    }
}

impl Feed for SerialFeed {
    fn channels(&self) -> &[ChannelInfo] {
        &self.channels
    }

    fn pop(&mut self) -> Option<SampleBlock> {
        self.acquisition.pop()
    }

    fn ended(&self) -> bool {
        false
    }

    fn poll_status(&mut self) -> Option<FeedStatus> {
        Some(match self.acquisition.events().try_recv().ok()? {
            AcqEvent::Stalled { .. } => FeedStatus::Stalled,
            AcqEvent::Resumed { .. } => FeedStatus::Resumed,
            AcqEvent::Disconnected { reason, .. } => FeedStatus::Disconnected(reason),
            AcqEvent::Reconnected { .. } => FeedStatus::Reconnected,
            AcqEvent::Discontinuity { .. } => FeedStatus::Discontinuity,
            AcqEvent::DeviceStatus(s) => FeedStatus::Device {
                lead_off: s.lead_off,
                saturation: s.saturation,
            },
        })
    }

    fn link_stats(&self) -> Option<AcqStats> {
        self.stats
    }

    fn stop(&mut self) {
        if self.stats.is_none() {
            self.stats = Some(self.acquisition.stop());
        }
    }

    fn wake_on_data(&mut self, consumer: std::thread::Thread) {
        self.acquisition.wake_on_data(consumer);
    }
}

/// How fast a recording is replayed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Speed {
    /// As fast as the engine goes.
    Max,
    /// This many times real time (1 = real time).
    Times(f64),
}

impl std::str::FromStr for Speed {
    type Err = String;

    /// `max`, `realtime`, or `Nx` / `N` (N times real time).
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "max" => Ok(Self::Max),
            "realtime" => Ok(Self::Times(1.0)),
            _ => s
                .trim_end_matches('x')
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x > 0.0)
                .map(Self::Times)
                .ok_or_else(|| {
                    format!("'{s}' is not a speed (max, realtime, or a factor such as 10x)")
                }),
        }
    }
}

/// A recording replayed by its own reader thread into a ring, in blocks of the same shape as a
/// sensor's (every channel covering the same time span), paced to `speed`.
pub struct ReplayFeed {
    channels: Vec<ChannelInfo>,
    consumer: HeapCons<SampleBlock>,
    done: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    failure: Arc<Mutex<Option<String>>>,
    waker: Waker,
    thread: Option<JoinHandle<()>>,
}

impl ReplayFeed {
    /// Starts replaying `source` (its markers are the caller's to give the session).
    pub fn start<R>(mut source: R, speed: Speed) -> Self
    where
        R: Replay + Send + 'static,
    {
        let channels = source.channels().to_vec();
        let (mut producer, consumer) = HeapRb::<SampleBlock>::new(1024).split();
        let done = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let failure = Arc::new(Mutex::new(None));
        let waker = Waker::new();
        let w = waker.clone();
        let (d, s, f, infos) = (
            Arc::clone(&done),
            Arc::clone(&stop),
            Arc::clone(&failure),
            channels.clone(),
        );
        let thread = std::thread::Builder::new()
            .name("tonus-replay-reader".into())
            .spawn(move || {
                let mut blocker = Blocker::new(&infos, speed, w.clone());
                let result = source.replay(None, &mut |c, chunk| {
                    if !s.load(Ordering::Relaxed) {
                        blocker.take(c, chunk, &mut producer, &s);
                    }
                });
                if let Err(e) = result {
                    if let Ok(mut slot) = f.lock() {
                        *slot = Some(e.to_string());
                    }
                }
                blocker.flush(&mut producer, &s);
                d.store(true, Ordering::Release);
                w.wake();
            })
            .ok();
        if thread.is_none() {
            done.store(true, Ordering::Release);
            if let Ok(mut slot) = failure.lock() {
                *slot = Some("cannot start the replay thread".into());
            }
        }
        Self {
            channels,
            consumer,
            done,
            stop,
            failure,
            waker,
            thread,
        }
    }
}

impl Feed for ReplayFeed {
    fn channels(&self) -> &[ChannelInfo] {
        &self.channels
    }

    fn pop(&mut self) -> Option<SampleBlock> {
        self.consumer.try_pop()
    }

    fn ended(&self) -> bool {
        self.done.load(Ordering::Acquire) && self.consumer.is_empty()
    }

    fn poll_status(&mut self) -> Option<FeedStatus> {
        None
    }

    fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// The serial link's counters, once stopped (a live sensor).
    fn link_stats(&self) -> Option<AcqStats> {
        None
    }

    fn failure(&mut self) -> Option<String> {
        self.failure.lock().ok()?.take()
    }

    fn wake_on_data(&mut self, consumer: std::thread::Thread) {
        self.waker.set(consumer);
    }
}

impl Drop for ReplayFeed {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Regroups per-channel chunks into blocks spanning the same time on every channel.
struct Blocker {
    rates: Vec<f64>,
    staged: Vec<Vec<f64>>,
    sent: Vec<u64>,
    span_s: f64,
    next_end: f64,
    seq: u64,
    speed: Speed,
    started: Instant,
    waker: Waker,
}

impl Blocker {
    fn new(channels: &[ChannelInfo], speed: Speed, waker: Waker) -> Self {
        let fastest = channels.iter().map(|c| c.rate_hz).fold(1.0, f64::max);
        let span_s = BLOCK_CAPACITY as f64 / fastest;
        Self {
            rates: channels.iter().map(|c| c.rate_hz).collect(),
            staged: channels.iter().map(|_| Vec::new()).collect(),
            sent: vec![0; channels.len()],
            span_s,
            next_end: span_s,
            seq: 0,
            speed,
            started: Instant::now(),
            waker,
        }
    }

    fn take(
        &mut self,
        c: usize,
        chunk: &[f64],
        producer: &mut impl Producer<Item = SampleBlock>,
        stop: &AtomicBool,
    ) {
        if let Some(s) = self.staged.get_mut(c) {
            s.extend_from_slice(chunk);
        }
        while self.ready(false) {
            self.emit(producer, stop);
        }
    }

    /// Whether every channel holds the samples of the next block (at the end: any channel has any).
    fn ready(&self, end: bool) -> bool {
        let wanted = |c: usize| {
            ((self.next_end * self.rates[c] - 1e-9).ceil().max(0.0) as u64)
                .saturating_sub(self.sent[c])
        };
        if end {
            self.staged.iter().any(|s| !s.is_empty())
        } else {
            (0..self.rates.len()).all(|c| self.staged[c].len() as u64 >= wanted(c))
        }
    }

    fn emit(&mut self, producer: &mut impl Producer<Item = SampleBlock>, stop: &AtomicBool) {
        let mut block = SampleBlock::default();
        block.clear(self.rates.len());
        block.seq = self.seq;
        block.device_time_us = (self.next_end * 1e6) as u64;
        for c in 0..self.rates.len() {
            let want = ((self.next_end * self.rates[c] - 1e-9).ceil().max(0.0) as u64)
                .saturating_sub(self.sent[c]) as usize;
            let n = want.min(self.staged[c].len()).min(BLOCK_CAPACITY);
            block.first_sample[c] = self.sent[c];
            for &x in &self.staged[c][..n] {
                block.push(c, x);
            }
            self.staged[c].drain(..n);
            self.sent[c] += n as u64;
        }
        if let Speed::Times(x) = self.speed {
            let due = self.started + Duration::from_secs_f64(self.next_end / x);
            let now = Instant::now();
            if due > now {
                std::thread::sleep(due - now);
            }
        }
        let mut block = Some(block);
        while let Some(b) = block.take() {
            if let Err(b) = producer.try_push(b) {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                block = Some(b);
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        self.waker.wake();
        self.seq += 1;
        self.next_end += self.span_s;
    }

    fn flush(&mut self, producer: &mut impl Producer<Item = SampleBlock>, stop: &AtomicBool) {
        while self.ready(true) && !stop.load(Ordering::Relaxed) {
            self.emit(producer, stop);
        }
    }
}
