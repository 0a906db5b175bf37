//! The Tonus sensor wire protocol: COBS-framed, CRC-32C-checked messages between a pelvic-floor sensor
//! and the host, with a streaming decoder that resynchronises after garbage. `no_std`, no allocation.
//!
//! ```
//! use tonus_protocol::{encode_frame, Decoder, Message, MAX_WIRE_FRAME};
//!
//! let mut wire = [0u8; MAX_WIRE_FRAME];
//! let n = encode_frame(7, &Message::Ping { token: 0x0102_0304 }, &mut wire).unwrap();
//! assert_eq!(&wire[..n], &[0x04, 0x01, 0x86, 0x07, 0x01, 0x01, 0x09, 0x04, 0x03, 0x02, 0x01,
//!                          0x1E, 0xD1, 0xC6, 0x03, 0x00]);
//!
//! let mut decoder = Decoder::new();
//! let mut pings = 0;
//! decoder.feed(&wire[..n], |frame| {
//!     assert_eq!(frame.seq, 7);
//!     assert_eq!(frame.message(), Ok(Message::Ping { token: 0x0102_0304 }));
//!     pings += 1;
//! });
//! assert_eq!(pings, 1);
//! ```
//!
//! The byte-level specification is `PROTOCOL.md` beside this crate; `vectors/v1.json` holds golden
//! frames made by an independent implementation, and the tests check every one both ways.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod crc32c;
mod cursor;
mod decoder;
mod error;
mod frame;
#[doc(hidden)]
pub mod fuzzing;
mod message;
mod samples;

pub use decoder::{Decoder, DecoderStats};
pub use error::{EncodeError, ParseError};
pub use frame::{encode_frame, encode_frame_with_version, Frame};
pub use message::{
    Ack, ChannelConfig, ChannelDescriptor, ChannelKind, DeviceInfo, Message, Nack, NackReason,
    Position, Status, Unit,
};
pub use samples::{SampleBlock, SampleData, Samples};

/// Protocol major version spoken by this crate.
pub const VERSION: u8 = 1;
/// Header bytes: version, type, sequence number.
pub const HEADER_LEN: usize = 6;
/// CRC bytes at the end of a raw frame.
pub const CRC_LEN: usize = 4;
/// Largest raw (un-stuffed) frame: header, body and CRC.
pub const MAX_RAW_FRAME: usize = 1024;
/// Largest body.
pub const MAX_BODY: usize = MAX_RAW_FRAME - HEADER_LEN - CRC_LEN;
/// Largest frame on the wire: COBS overhead of one byte per 254, plus the 0x00 delimiter.
pub const MAX_WIRE_FRAME: usize = MAX_RAW_FRAME + MAX_RAW_FRAME.div_ceil(254) + 1;
/// Most channels a device may declare.
pub const MAX_CHANNELS: usize = 8;
