//! The streaming decoder: bytes in any chunks, frames out, every dropped frame counted.

use crate::frame::{Frame, RawError};
use crate::{MAX_WIRE_FRAME, VERSION};

/// Counters of everything the decoder saw go wrong (and right).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecoderStats {
    /// Frames delivered (good length and CRC).
    pub frames: u64,
    /// Frames dropped for a CRC mismatch.
    pub crc_errors: u64,
    /// Frames dropped because their COBS stuffing was invalid.
    pub cobs_errors: u64,
    /// Frames dropped for being longer than the maximum (bytes discarded up to the next 0x00).
    pub oversize: u64,
    /// Frames dropped for being shorter than a header and CRC.
    pub too_short: u64,
    /// Frames delivered whose header names another protocol version.
    pub version_mismatches: u64,
    /// Frames missing according to sequence-number jumps.
    pub lost_frames: u64,
    /// Times the sequence number went backwards (the sender restarted).
    pub sequence_resets: u64,
}

impl DecoderStats {
    /// Frames dropped by the decoder itself (CRC, COBS, size).
    pub fn dropped(&self) -> u64 {
        self.crc_errors + self.cobs_errors + self.oversize + self.too_short
    }
}

/// Turns a byte stream into frames.
///
/// Feed it bytes as they arrive, one at a time or in chunks of any size; it never allocates and never
/// panics. A corrupted frame is dropped and counted; the next 0x00 delimiter resynchronises, so garbage
/// costs at most the frame it lands in.
#[derive(Debug, Clone)]
pub struct Decoder {
    buf: [u8; MAX_WIRE_FRAME],
    len: usize,
    overflow: bool,
    last_seq: Option<u32>,
    stats: DecoderStats,
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder {
    /// An empty decoder.
    pub const fn new() -> Self {
        Self {
            buf: [0; MAX_WIRE_FRAME],
            len: 0,
            overflow: false,
            last_seq: None,
            stats: DecoderStats {
                frames: 0,
                crc_errors: 0,
                cobs_errors: 0,
                oversize: 0,
                too_short: 0,
                version_mismatches: 0,
                lost_frames: 0,
                sequence_resets: 0,
            },
        }
    }

    /// The counters so far.
    pub fn stats(&self) -> &DecoderStats {
        &self.stats
    }

    /// Bytes of an incomplete frame waiting for its delimiter (at a disconnect, these are lost).
    pub fn pending_bytes(&self) -> usize {
        self.len
    }

    /// Forgets the sequence history (e.g. after reconnecting to a device that restarted).
    pub fn reset_sequence(&mut self) {
        self.last_seq = None;
    }

    /// Takes one byte; returns a frame when this byte completes one.
    pub fn push(&mut self, byte: u8) -> Option<Frame<'_>> {
        if byte != 0 {
            self.extend(&[byte]);
            return None;
        }
        self.complete()
    }

    /// Appends bytes of the current frame (no delimiter among them).
    fn extend(&mut self, bytes: &[u8]) {
        // Keep one byte of room: a full buffer without a delimiter is an oversize frame.
        let room = (MAX_WIRE_FRAME - 1).saturating_sub(self.len);
        let n = bytes.len().min(room);
        self.buf[self.len..self.len + n].copy_from_slice(&bytes[..n]);
        self.len += n;
        if n < bytes.len() {
            self.overflow = true;
        }
    }

    /// Ends the current frame at a delimiter: decode, check, count, deliver.
    fn complete(&mut self) -> Option<Frame<'_>> {
        let (len, overflow) = (self.len, self.overflow);
        self.len = 0;
        self.overflow = false;
        if overflow {
            self.stats.oversize += 1;
            return None;
        }
        if len == 0 {
            return None; // idle delimiter
        }
        let decoded = match cobs::decode_in_place(&mut self.buf[..len]) {
            Ok(n) => n,
            Err(_) => {
                self.stats.cobs_errors += 1;
                return None;
            }
        };
        match Frame::from_raw(&self.buf[..decoded]) {
            Err(RawError::Oversize) => {
                self.stats.oversize += 1;
                None
            }
            Err(RawError::TooShort) => {
                self.stats.too_short += 1;
                None
            }
            Err(RawError::Crc) => {
                self.stats.crc_errors += 1;
                None
            }
            Ok(frame) => {
                self.stats.frames += 1;
                if frame.version != VERSION {
                    self.stats.version_mismatches += 1;
                } else {
                    if let Some(last) = self.last_seq {
                        let jump = frame.seq.wrapping_sub(last);
                        if jump == 0 || jump > u32::MAX / 2 {
                            self.stats.sequence_resets += 1;
                        } else {
                            self.stats.lost_frames += u64::from(jump - 1);
                        }
                    }
                    self.last_seq = Some(frame.seq);
                }
                Some(frame)
            }
        }
    }

    /// Feeds a chunk of bytes, calling `on_frame` for every frame completed in it.
    pub fn feed(&mut self, mut bytes: &[u8], mut on_frame: impl FnMut(Frame<'_>)) {
        while let Some(end) = bytes.iter().position(|&b| b == 0) {
            self.extend(&bytes[..end]);
            if let Some(frame) = self.complete() {
                on_frame(frame);
            }
            bytes = &bytes[end + 1..];
        }
        self.extend(bytes);
    }
}
