//! Serial acquisition: open a Tonus sensor, identify it, stream its samples into a lock-free ring.
//!
//! # Real-time contract
//! The reader thread does not allocate, lock or log per frame: bytes go into a fixed buffer, the
//! protocol decoder works in place, samples are converted into fixed-size [`tonus_core::SampleBlock`]s
//! pushed into an SPSC ring (`ringbuf`) allocated once, and events go through a bounded channel with
//! `try_send`. Only rare events (stall, disconnect, reconnect) allocate.
//!
//! # Nothing silently lost
//! Every Samples frame carries each channel's `first_index`; a jump becomes `gap_before` of the next
//! block, exact to the sample. After a disconnect the device restarts its count, so the gap is
//! estimated from the host clock (to within one frame) and reported in [`AcqEvent::Reconnected`].
//! A full ring is counted in [`AcqStats::ring_overruns`].

mod acquisition;
mod error;
mod link;
mod ports;
pub mod units;

pub use acquisition::{AcqEvent, AcqStats, Acquisition, AcquisitionConfig};
pub use error::AcqError;
pub use link::{DeviceChannel, DeviceIdentity};
pub use ports::{list_ports, PortInfo};
