//! The engine thread's body: blocks from the feed through the session, events out to the
//! subscribers and the recorder, the display snapshot published.

use crossbeam_channel::{Sender, TrySendError};
use tonus_analysis::{Report, Session};
use tonus_core::{Event, EventKind, SampleBlock, BLOCK_CAPACITY};

use crate::error::PipelineError;
use crate::feed::{Feed, FeedStatus};
use crate::recorder::ReadBack;
use crate::snapshot::Snapshot;

/// The engine's ends of the recorder thread's queues: blocks (deep; when full, the session stops)
/// and annotations (rare: marks, contractions, flags).
pub(crate) struct RecorderLink {
    pub blocks: Sender<SampleBlock>,
    pub notes: Sender<(f64, String)>,
    /// The block queue's capacity.
    pub depth: usize,
}

/// Counters of a session.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PipelineStats {
    /// Blocks processed.
    pub blocks: u64,
    /// Samples processed, summed over channels.
    pub samples: u64,
    /// Events emitted.
    pub events: u64,
    /// Events a full subscriber queue did not take (a slow consumer loses events, never stalls
    /// the engine).
    pub events_dropped: u64,
    /// CPU time the engine thread used, s (where the platform tells).
    pub engine_cpu_s: Option<f64>,
    /// Wall time from start to finish, s.
    pub wall_s: f64,
    /// The serial link's counters at the end (a live sensor; `None` for a replay).
    pub link: Option<tonus_io::serial::AcqStats>,
}

/// The engine thread's state, public so that tests and benches can drive it step by step on a
/// thread of their choosing. [`crate::Pipeline`] runs it on its own thread.
pub struct EngineLoop {
    feed: Box<dyn Feed>,
    session: Session,
    read_back: ReadBack,
    recorder: Option<RecorderLink>,
    subscribers: Vec<Sender<Event>>,
    snapshot: triple_buffer::Input<Snapshot>,
    events: Vec<Event>,
    scratch: [f64; BLOCK_CAPACITY],
    stats: PipelineStats,
    failure: Option<PipelineError>,
    names: Vec<String>,
    marks: u32,
    gaps: Vec<u64>,
}

impl EngineLoop {
    pub(crate) fn new(
        feed: Box<dyn Feed>,
        session: Session,
        read_back: ReadBack,
        recorder: Option<RecorderLink>,
        subscribers: Vec<Sender<Event>>,
        snapshot: triple_buffer::Input<Snapshot>,
    ) -> Self {
        let names = session.channels().iter().map(|c| c.name.clone()).collect();
        let n = session.channels().len();
        Self {
            feed,
            session,
            read_back,
            recorder,
            subscribers,
            snapshot,
            events: Vec::with_capacity(256),
            scratch: [0.0; BLOCK_CAPACITY],
            stats: PipelineStats::default(),
            failure: None,
            names,
            marks: 0,
            gaps: vec![0; n],
        }
    }

    /// Processes every block the feed has ready and publishes the snapshot; returns whether
    /// there was any. Allocates nothing per sample (an event's text, at most a few per second,
    /// is the only allocation).
    pub fn step(&mut self) -> bool {
        let mut worked = false;
        while self.failure.is_none() {
            let Some(block) = self.feed.pop() else { break };
            worked = true;
            self.take(block);
        }
        while let Some(status) = self.feed.poll_status() {
            let s = self.snapshot.input_buffer_mut();
            match status {
                FeedStatus::Stalled => s.stalled = true,
                FeedStatus::Resumed => s.stalled = false,
                FeedStatus::Disconnected(_) => s.disconnected = true,
                FeedStatus::Reconnected => {
                    s.disconnected = false;
                    s.stalled = false;
                }
                // The block that carries it marks the session (see `take`).
                FeedStatus::Discontinuity => {}
                FeedStatus::Device {
                    lead_off,
                    saturation,
                } => {
                    s.lead_off = lead_off;
                    s.saturation = saturation;
                }
            }
            worked = true;
        }
        if worked {
            self.publish();
        }
        worked
    }

    fn take(&mut self, block: SampleBlock) {
        let channels = block.channels().min(self.session.channels().len());
        let device_time_us = block.device_time_us;
        let seq = block.seq;
        if block.discontinuity {
            // Declared where it happened: what follows does not follow on from what came before.
            self.session.mark(tonus_core::DISCONTINUITY);
        }
        for c in 0..channels {
            let gap = block.gap_before[c];
            if gap > 0 {
                self.session.push_gap(c, gap);
                self.gaps[c] += gap;
            }
            let samples = block.samples(c);
            let n = samples.len();
            self.scratch[..n].copy_from_slice(samples);
            self.read_back.apply(c, &mut self.scratch[..n]);
            self.session.push(c, &self.scratch[..n]);
            self.stats.samples += n as u64;
        }
        if let Some(link) = &self.recorder {
            match link.blocks.try_send(block) {
                Ok(()) => {}
                Err(TrySendError::Full(_)) => {
                    self.failure = Some(PipelineError::RecorderBehind {
                        at_s: self.session.frontier(),
                        queued: link.depth,
                    });
                }
                // The recorder thread stopped on an error, which `Pipeline::join` reports.
                Err(TrySendError::Disconnected(_)) => {
                    self.failure = Some(PipelineError::Thread("recorder"));
                }
            }
        }
        self.stats.blocks += 1;
        let s = self.snapshot.input_buffer_mut();
        s.last_seq = seq;
        s.last_device_time_us = device_time_us;
        self.dispatch();
    }

    /// Sends the session's new events to the recorder (as annotations) and every subscriber.
    fn dispatch(&mut self) {
        self.session.take_events(&mut self.events);
        send(
            &mut self.events,
            self.recorder.as_ref().map(|r| &r.notes),
            &self.subscribers,
            &self.names,
            &mut self.stats,
        );
    }

    fn publish(&mut self) {
        let s = self.snapshot.input_buffer_mut();
        s.fill(&self.session);
        s.blocks = self.stats.blocks;
        s.gap_samples = self.gaps.iter().copied().max().unwrap_or(0);
        s.published = Some(std::time::Instant::now());
        self.snapshot.publish();
    }

    /// Makes the feed wake the calling thread when a block arrives (see [`Feed::wake_on_data`]).
    pub fn wake_me_on_data(&mut self) {
        self.feed.wake_on_data(std::thread::current());
    }

    /// Marks the current time (`mark:N`); returns its time.
    pub fn mark(&mut self) -> f64 {
        self.marks += 1;
        let t = self.session.mark(&format!("mark:{}", self.marks));
        self.dispatch();
        t
    }

    /// Whether the feed has ended or the session failed.
    pub fn done(&mut self) -> bool {
        self.failure.is_some() || self.feed.ended()
    }

    /// Stops the feed, processes what is still in the ring, and ends the session: the report,
    /// the counters, and the failure that stopped it early, if any.
    pub fn finish(mut self) -> (Report, PipelineStats, Option<PipelineError>) {
        self.feed.stop();
        self.stats.link = self.feed.link_stats();
        if self.failure.is_none() {
            // Everything already received is analysed and recorded.
            while self.failure.is_none() {
                let Some(block) = self.feed.pop() else { break };
                self.take(block);
            }
        }
        if self.failure.is_none() {
            self.failure = self.feed.failure().map(PipelineError::Source);
        }
        self.publish();
        let report = self.session.finish(&mut self.events);
        send(
            &mut self.events,
            self.recorder.as_ref().map(|r| &r.notes),
            &self.subscribers,
            &self.names,
            &mut self.stats,
        );
        (report, self.stats, self.failure)
    }
}

/// Sends events to the recorder (as annotations) and to every subscriber (a full queue drops the
/// event for that subscriber, counted).
fn send(
    events: &mut Vec<Event>,
    recorder: Option<&Sender<(f64, String)>>,
    subscribers: &[Sender<Event>],
    names: &[String],
    stats: &mut PipelineStats,
) {
    for e in events.drain(..) {
        stats.events += 1;
        if let Some(tx) = recorder {
            let note = match &e.kind {
                EventKind::Marker { label } if label.starts_with("mark:") => {
                    Some((e.time_s, label.clone()))
                }
                EventKind::Contraction {
                    channel, onset_s, ..
                } => Some((
                    *onset_s,
                    format!("contraction:{}", names.get(*channel).map_or("?", |n| n)),
                )),
                EventKind::Flag { code, start_s, .. } => Some((*start_s, format!("flag:{code}"))),
                _ => None,
            };
            if let Some((t, label)) = note {
                // A full queue is caught with the next block.
                let _ = tx.try_send((t, label));
            }
        }
        for s in subscribers {
            if s.try_send(e.clone()).is_err() {
                stats.events_dropped += 1;
            }
        }
    }
}
