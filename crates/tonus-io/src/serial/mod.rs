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
//! block, exact to the sample. After a disconnect the device restarts its count at the new Start,
//! so the host asks where the stream stands on the device's sample clock (Locate → Position,
//! PROTOCOL.md) at the first Start and after each reconnection: the same clock gives the samples
//! missed exactly; a device that cannot say (or a clock that restarted) gives a declared
//! discontinuity ([`tonus_core::SampleBlock::discontinuity`]), never a guess from the host clock.
//! A jump too large to be a loss ([`tonus_core::limits::MAX_GAP_S`]) is a discontinuity too; a
//! frame overlapping the last is trimmed, one with the wrong channel count refused; a full ring is
//! a gap counted in [`AcqStats::ring_overruns`]. [`AcqStats::summary`] says all of it in one line.

mod acquisition;
mod clock;
mod error;
mod link;
mod ports;
mod sink;
pub mod units;

pub use acquisition::{AcqEvent, AcqStats, Acquisition, AcquisitionConfig};
pub use error::AcqError;
pub use link::{DeviceChannel, DeviceIdentity};
pub use ports::{list_ports, PortInfo};
