//! Starting, steering and joining a session's threads.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Receiver, Sender};
use tonus_analysis::{Report, Session};
use tonus_core::Event;

use crate::engine_loop::{EngineLoop, PipelineStats, RecorderLink};
use crate::error::PipelineError;
use crate::feed::Feed;
use crate::recorder::{ReadBack, Recorder};
use crate::snapshot::Snapshot;
use tonus_core::SampleBlock;

/// Blocks the recorder may have queued before the session is stopped (about 16 s of a sensor
/// sending a frame every 8 ms).
pub const RECORDER_QUEUE: usize = 2048;

/// How long the engine thread parks at most when the ring is empty (the feed wakes it as soon as a
/// block arrives; the timeout only bounds how soon it sees a stop or a mark).
pub const IDLE: Duration = Duration::from_millis(20);

/// What a finished session gives back.
#[derive(Debug)]
pub struct Outcome {
    /// The session's report.
    pub report: Report,
    /// Its counters.
    pub stats: PipelineStats,
    /// Samples the recorder wrote on the first channel, if there was one.
    pub recorded: Option<u64>,
}

/// Everything a pipeline is made of, before it starts.
pub struct Builder {
    feed: Box<dyn Feed>,
    session: Session,
    recorder: Option<(Box<dyn Recorder>, ReadBack)>,
    recorder_queue: usize,
    subscribers: Vec<Sender<Event>>,
}

impl Builder {
    /// Records every block (and marks, contractions and flags as annotations); the live analysis
    /// then sees each value as `read_back` says the file will return it.
    pub fn record(mut self, recorder: Box<dyn Recorder>, read_back: ReadBack) -> Self {
        self.recorder = Some((recorder, read_back));
        self
    }

    /// The recorder's queue depth in blocks (default [`RECORDER_QUEUE`]).
    pub fn recorder_queue(mut self, blocks: usize) -> Self {
        self.recorder_queue = blocks.max(1);
        self
    }

    /// A new event consumer with a queue of `capacity` events; when it is full, events for it are
    /// dropped and counted.
    pub fn subscribe(&mut self, capacity: usize) -> Receiver<Event> {
        let (tx, rx) = bounded(capacity.max(1));
        self.subscribers.push(tx);
        rx
    }

    /// The engine loop without threads and without the recorder, to drive step by step (tests,
    /// benches), and the display end of its snapshots.
    pub fn into_loop(self) -> (EngineLoop, triple_buffer::Output<Snapshot>) {
        let (input, output) = triple_buffer::triple_buffer(&Snapshot::default());
        let engine = EngineLoop::new(
            self.feed,
            self.session,
            ReadBack::default(),
            None,
            self.subscribers,
            input,
        );
        (engine, output)
    }

    /// Starts the recorder and engine threads.
    pub fn start(self) -> Result<Pipeline, PipelineError> {
        let (mut input, output) = triple_buffer::triple_buffer(&Snapshot::default());
        input.input_buffer_mut().channels = self.session.channels().len();
        let (recorder, read_back, rec_thread) = match self.recorder {
            Some((rec, read_back)) => {
                let (blocks, block_rx) = bounded::<SampleBlock>(self.recorder_queue);
                let (notes, note_rx) = bounded::<(f64, String)>(1024);
                let thread = std::thread::Builder::new()
                    .name("tonus-recorder".into())
                    .spawn(move || record(rec, &block_rx, &note_rx))
                    .map_err(|_| PipelineError::Thread("recorder"))?;
                let link = RecorderLink {
                    blocks,
                    notes,
                    depth: self.recorder_queue,
                };
                (Some(link), read_back, Some(thread))
            }
            None => (None, ReadBack::default(), None),
        };
        let mut engine = EngineLoop::new(
            self.feed,
            self.session,
            read_back,
            recorder,
            self.subscribers,
            input,
        );
        let (control, commands) = bounded::<Control>(64);
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let engine_thread = std::thread::Builder::new()
            .name("tonus-engine".into())
            .spawn(move || {
                let started = Instant::now();
                let cpu0 = thread_cpu_s();
                engine.wake_me_on_data();
                loop {
                    for command in commands.try_iter() {
                        match command {
                            Control::Mark(reply) => {
                                let _ = reply.try_send(engine.mark());
                            }
                        }
                    }
                    if flag.load(Ordering::Relaxed) || engine.done() {
                        break;
                    }
                    if !engine.step() {
                        std::thread::park_timeout(IDLE);
                    }
                }
                let (report, mut stats, failure) = engine.finish();
                stats.wall_s = started.elapsed().as_secs_f64();
                stats.engine_cpu_s = thread_cpu_s().zip(cpu0).map(|(b, a)| b - a);
                (report, stats, failure)
            })
            .map_err(|_| PipelineError::Thread("engine"))?;
        Ok(Pipeline {
            display: Some(output),
            control,
            stop,
            engine: Some(engine_thread),
            recorder: rec_thread,
        })
    }
}

/// The recorder thread: blocks and annotations into the file until the engine drops its ends,
/// then everything still queued, then the file is closed.
fn record(
    mut rec: Box<dyn Recorder>,
    blocks: &Receiver<SampleBlock>,
    notes: &Receiver<(f64, String)>,
) -> Result<u64, PipelineError> {
    loop {
        crossbeam_channel::select! {
            recv(blocks) -> b => match b {
                Ok(b) => rec.write_block(&b)?,
                Err(_) => break,
            },
            recv(notes) -> n => match n {
                Ok((t, label)) => rec.annotate(t, &label)?,
                Err(_) => break,
            },
        }
    }
    // Both ends are dropped together: write what is still queued.
    for b in blocks.try_iter() {
        rec.write_block(&b)?;
    }
    for (t, label) in notes.try_iter() {
        rec.annotate(t, &label)?;
    }
    rec.finish()
}

enum Control {
    Mark(Sender<f64>),
}

type EngineResult = (Report, PipelineStats, Option<PipelineError>);

/// A running session: reader thread → ring → engine thread → events, recorder and display.
pub struct Pipeline {
    display: Option<triple_buffer::Output<Snapshot>>,
    control: Sender<Control>,
    stop: Arc<AtomicBool>,
    engine: Option<JoinHandle<EngineResult>>,
    recorder: Option<JoinHandle<Result<u64, PipelineError>>>,
}

impl Pipeline {
    /// A pipeline over `feed` analysed by `session`; add a recorder and subscribers, then
    /// [`Builder::start`].
    pub fn builder(feed: Box<dyn Feed>, session: Session) -> Builder {
        Builder {
            feed,
            session,
            recorder: None,
            recorder_queue: RECORDER_QUEUE,
            subscribers: Vec::new(),
        }
    }

    /// The display's end of the snapshot triple buffer (once).
    pub fn take_display(&mut self) -> Option<triple_buffer::Output<Snapshot>> {
        self.display.take()
    }

    /// Marks the current session time (`mark:N`, recorded as an annotation); returns its time,
    /// or `None` if the engine has stopped.
    pub fn mark(&self) -> Option<f64> {
        let (tx, rx) = bounded(1);
        self.control.send(Control::Mark(tx)).ok()?;
        self.wake();
        rx.recv_timeout(Duration::from_secs(1)).ok()
    }

    /// Whether the session has ended by itself (end of a replay, or a failure).
    pub fn is_finished(&self) -> bool {
        self.engine.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Asks the session to stop; [`Pipeline::join`] then waits for the end.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
        self.wake();
    }

    fn wake(&self) {
        if let Some(t) = &self.engine {
            t.thread().unpark();
        }
    }

    /// Waits for the session to end, closes the recording and returns the outcome. A failure
    /// (the recorder fell behind, the file could not be written, the replayed source broke) is
    /// returned as the error, after the recording was closed intact up to it.
    pub fn join(mut self) -> Result<Outcome, PipelineError> {
        let (report, stats, failure) = self
            .engine
            .take()
            .ok_or(PipelineError::Thread("engine"))?
            .join()
            .map_err(|_| PipelineError::Thread("engine"))?;
        let recorded = match self.recorder.take() {
            // The engine loop dropped its sender: the recorder drains its queue and closes.
            Some(t) => Some(t.join().map_err(|_| PipelineError::Thread("recorder"))?),
            None => None,
        };
        let recorded = match (failure, recorded) {
            // A recorder's own error is the root cause of whatever the engine saw.
            (_, Some(Err(e))) => return Err(e),
            (Some(e), _) => return Err(e),
            (None, r) => r.transpose()?,
        };
        Ok(Outcome {
            report,
            stats,
            recorded,
        })
    }
}

impl Drop for Pipeline {
    fn drop(&mut self) {
        self.stop();
        if let Some(t) = self.engine.take() {
            let _ = t.join();
        }
        if let Some(t) = self.recorder.take() {
            let _ = t.join();
        }
    }
}

/// CPU time of the calling thread, s: the first field of Linux's `/proc/thread-self/schedstat`
/// (nanoseconds on a CPU). `None` where the system does not tell.
fn thread_cpu_s() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(ns * 1e-9)
}
