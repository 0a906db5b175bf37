//! Shared types of the Tonus engine: channels and their units, sample blocks, markers, events, and
//! the `Replay` trait every finished recording implements.
//!
//! ```
//! use tonus_core::{ChannelInfo, ChannelKind, Unit};
//!
//! // A CSV column header `anal[mmHg]` names a pressure channel.
//! let ch = ChannelInfo::from_header("anal[mmHg]", 100.0).unwrap();
//! assert_eq!(ch.name, "anal");
//! assert_eq!(ch.unit, Unit::MmHg);
//! assert_eq!(ch.kind(), ChannelKind::Pressure);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod block;
mod channel;
mod event;
pub mod limits;
mod recording;
mod source;
mod unit;
mod vocabulary;
mod waker;

pub use block::{SampleBlock, BLOCK_CAPACITY, MAX_CHANNELS};
pub use channel::{ChannelInfo, HeaderError};
pub use event::{DomainRating, Event, EventKind};
pub use recording::{gap_label, gap_samples, Marker, Recording, DISCONTINUITY};
pub use source::Replay;
pub use unit::{ChannelKind, Unit, UnknownUnit};
pub use vocabulary::{FlagCode, PatternLabel, Severity, UnknownWord};
pub use waker::Waker;
