//! The session pipeline: a reader thread fills a lock-free ring, the engine thread analyses and
//! fans events out to bounded queues, a recorder thread writes the file, a display reads snapshots.
//!
//! ```no_run
//! use tonus_analysis::{Session, SessionConfig};
//! use tonus_pipeline::{Pipeline, ReplayFeed, Speed};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let source = tonus_io::edf::EdfSource::open("session.bdf".as_ref())?;
//! let markers = tonus_core::Replay::markers(&source).to_vec();
//! let session = Session::new(tonus_core::Replay::channels(&source), &markers, None, SessionConfig::default())?;
//! let mut builder = Pipeline::builder(Box::new(ReplayFeed::start(source, Speed::Max)), session);
//! let events = builder.subscribe(4096);
//! let outcome = builder.start()?.join()?;
//! println!("{} events, pattern {}", events.try_iter().count(), outcome.report.pattern.label);
//! # Ok(()) }
//! ```
//!
//! ```text
//!  sensor ─ reader thread ─▶ SPSC ring ─▶ engine thread ─┬─▶ recorder queue (deep) ─▶ recorder thread ─▶ file
//!  (or a replay thread)      (ringbuf)   (Session)       ├─▶ event queues (bounded) ─▶ event stream, report
//!                                                        └─▶ triple buffer (latest wins) ─▶ display
//! ```
//!
//! # Real-time contract
//!
//! - The reader thread and the engine thread neither lock nor log per sample, and allocate
//!   nothing per sample once running: blocks are fixed-size values moved through a ring allocated
//!   at start; the engine's history is a bounded ring reserved at start (15 to 30 minutes at
//!   10 Hz: a session of any length never grows it); the display snapshot is a fixed-size value in
//!   a triple buffer; the recorder and event queues are bounded arrays. The only allocations on
//!   the engine thread are an event's text (a phase name, a flag's sentence: a few per minute) and
//!   the flag evaluation at each phase end; dropping history every 15 minutes allocates nothing
//!   (`tonus-analysis`'s `tests/no_alloc.rs`).
//!   `tests/realtime.rs` proves the per-sample part with a counting allocator.
//! - A slow consumer never stalls acquisition: the display only ever reads the latest snapshot;
//!   an event subscriber whose queue is full loses that event (counted in
//!   [`PipelineStats::events_dropped`]); the recorder has a deep queue of its own, and if it ever
//!   fills, the session stops loudly ([`PipelineError::RecorderBehind`]) with the file closed and
//!   intact up to that point, rather than go on without recording.
//! - Nothing is lost, duplicated or shifted between the feed and the analysis or the recording:
//!   every block is analysed and recorded once, in order; lost samples are held at the last value
//!   and reported as gaps, so every later sample keeps its true time.
//! - Live equals replay: the [`Session`](tonus_analysis::Session) orders its work by sample time,
//!   and the live analysis sees each value as the recording will return it ([`ReadBack`]), so
//!   replaying the recording gives the same events and report.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod engine_loop;
mod error;
mod event_file;
mod feed;
mod file;
mod filter_file;
mod pipeline;
mod record;
mod recorder;
mod snapshot;

pub use engine_loop::{EngineLoop, PipelineStats};
pub use error::PipelineError;
pub use event_file::{EventFile, EventFileError};
pub use feed::{Feed, FeedStatus, ReplayFeed, SerialFeed, Speed};
pub use file::{
    analyze_file, analyze_opened, input_markers, named_protocol, protocol_for, FileAnalysis,
    FileError,
};
pub use filter_file::{filter_csv, EnvelopeKind, FilterError, FilterOptions, Filtered};
pub use pipeline::{Builder, Outcome, Pipeline, IDLE, RECORDER_QUEUE};
pub use record::{describe_device, record, Recorded};
pub use recorder::{FileRecorder, ReadBack, Recorder};
pub use snapshot::{ChannelTrace, Label, Snapshot, TRACE_POINTS};
