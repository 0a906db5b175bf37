//! Frames: header, body and CRC, COBS-stuffed and delimited by 0x00.

use crate::crc32c::crc32c;
use crate::cursor::Writer;
use crate::error::{EncodeError, ParseError};
use crate::message::Message;
use crate::{CRC_LEN, HEADER_LEN, MAX_BODY, MAX_RAW_FRAME, VERSION};

/// A received frame whose length and CRC are good; the body is not parsed yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame<'a> {
    /// Protocol major version from the header.
    pub version: u8,
    /// Message type code.
    pub msg_type: u8,
    /// Sender's sequence number.
    pub seq: u32,
    /// The body bytes.
    pub body: &'a [u8],
}

impl<'a> Frame<'a> {
    /// Parses the body (meaningful only when `version` is [`VERSION`]).
    pub fn message(&self) -> Result<Message<'a>, ParseError> {
        Message::parse(self.msg_type, self.body)
    }

    /// Splits a raw (un-stuffed) frame, checking its length and CRC.
    pub(crate) fn from_raw(raw: &'a [u8]) -> Result<Self, RawError> {
        if raw.len() > MAX_RAW_FRAME {
            return Err(RawError::Oversize);
        }
        if raw.len() < HEADER_LEN + CRC_LEN {
            return Err(RawError::TooShort);
        }
        let (content, crc) = raw.split_at(raw.len() - CRC_LEN);
        let crc = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
        if crc32c(content) != crc {
            return Err(RawError::Crc);
        }
        Ok(Frame {
            version: content[0],
            msg_type: content[1],
            seq: u32::from_le_bytes([content[2], content[3], content[4], content[5]]),
            body: &content[HEADER_LEN..],
        })
    }
}

/// Why a raw frame was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawError {
    Oversize,
    TooShort,
    Crc,
}

/// Encodes `msg` with sequence number `seq` into `out` as a complete wire frame (COBS bytes and the
/// 0x00 delimiter); returns its length. `out` of [`crate::MAX_WIRE_FRAME`] bytes always suffices.
pub fn encode_frame(seq: u32, msg: &Message<'_>, out: &mut [u8]) -> Result<usize, EncodeError> {
    encode_frame_with_version(VERSION, seq, msg, out)
}

/// As [`encode_frame`] with another header version (for testing version handling).
pub fn encode_frame_with_version(
    version: u8,
    seq: u32,
    msg: &Message<'_>,
    out: &mut [u8],
) -> Result<usize, EncodeError> {
    let mut raw = [0u8; MAX_RAW_FRAME];
    raw[0] = version;
    raw[1] = msg.type_code();
    raw[2..HEADER_LEN].copy_from_slice(&seq.to_le_bytes());
    let body_len = {
        let mut w = Writer::new(&mut raw[HEADER_LEN..HEADER_LEN + MAX_BODY]);
        msg.encode_body(&mut w)?;
        w.len()
    };
    let content = HEADER_LEN + body_len;
    let crc = crc32c(&raw[..content]);
    raw[content..content + CRC_LEN].copy_from_slice(&crc.to_le_bytes());
    let n = cobs::try_encode(&raw[..content + CRC_LEN], out)
        .map_err(|_| EncodeError::BufferTooSmall)?;
    let delimiter = out.get_mut(n).ok_or(EncodeError::BufferTooSmall)?;
    *delimiter = 0;
    Ok(n + 1)
}
