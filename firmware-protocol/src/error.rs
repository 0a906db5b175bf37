//! Errors of encoding and parsing messages.

use core::fmt;

/// A message that cannot be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodeError {
    /// The body would exceed [`crate::MAX_BODY`] bytes.
    BodyTooLong,
    /// The output buffer is smaller than the encoded frame.
    BufferTooSmall,
    /// A string is longer than its field allows.
    StringTooLong {
        /// Which field.
        field: &'static str,
    },
    /// More than [`crate::MAX_CHANNELS`] channels, or a sample block with more than 255 samples.
    TooMany {
        /// Which field.
        field: &'static str,
    },
    /// A sample width other than 2, 3 or 4, or a count that does not fit its width.
    BadSample {
        /// Channel index.
        channel: usize,
    },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BodyTooLong => write!(f, "message body longer than {} bytes", crate::MAX_BODY),
            Self::BufferTooSmall => f.write_str("output buffer too small for the encoded frame"),
            Self::StringTooLong { field } => write!(f, "string field '{field}' too long"),
            Self::TooMany { field } => write!(f, "too many entries in '{field}'"),
            Self::BadSample { channel } => {
                write!(
                    f,
                    "channel {channel}: sample width must be 2, 3 or 4 and counts must fit it"
                )
            }
        }
    }
}

impl core::error::Error for EncodeError {}

/// A frame whose body does not match its message type's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    /// The message type is not one this version knows.
    UnknownType(u8),
    /// The body ends before field `field` is complete.
    Truncated {
        /// Which field.
        field: &'static str,
    },
    /// Bytes remain after the last field.
    TrailingBytes {
        /// How many.
        count: usize,
    },
    /// A field holds a value the protocol does not allow.
    BadValue {
        /// Which field.
        field: &'static str,
        /// The value, widened.
        value: u32,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownType(t) => write!(f, "unknown message type 0x{t:02X}"),
            Self::Truncated { field } => write!(f, "body ends inside field '{field}'"),
            Self::TrailingBytes { count } => write!(f, "{count} bytes after the last field"),
            Self::BadValue { field, value } => {
                write!(f, "field '{field}' has invalid value {value}")
            }
        }
    }
}

impl core::error::Error for ParseError {}
