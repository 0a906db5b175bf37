//! The live display of a Tonus session: the protocol's cue and countdown, each channel's envelope
//! with its rest band, detection threshold and goal line, the latest contraction, flags the moment
//! they are raised, and signal quality; or, without a terminal, one status line.
//!
//! ```
//! use ratatui::{backend::TestBackend, Terminal};
//! use tonus_display::{draw, DisplayState};
//!
//! let channels = [tonus_core::ChannelInfo::from_header("pelvic[uV]", 2000.0).unwrap()];
//! let state = DisplayState::new("simulated sensor", &channels, None);
//! let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
//! terminal.draw(|f| draw(f, &state)).unwrap();
//! assert!(state.status_line().starts_with("t=0.0 s"));
//! ```
//!
//! The state is fed by the pipeline's snapshots (latest wins) and events; drawing allocates
//! freely, on the display's own thread, never on the engine's.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod cue;
mod render;
mod state;
pub mod terminal;

pub use cue::{cue, Cue};
pub use render::draw;
pub use state::{DisplayState, LastContraction, RaisedFlag};

/// Seconds of trace on screen.
pub const TRACE_SECONDS: f64 = tonus_pipeline::TRACE_POINTS as f64 * 0.1;
