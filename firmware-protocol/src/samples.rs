//! The Samples message: per-channel blocks of signed counts, 2, 3 or 4 bytes each.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::cursor::{Reader, Writer};
use crate::error::{EncodeError, ParseError};
use crate::MAX_CHANNELS;

/// One channel's counts: given as values (to encode) or as received bytes (decoded).
#[derive(Debug, Clone, Copy)]
pub enum SampleData<'a> {
    /// Counts as integers.
    Counts(&'a [i32]),
    /// Counts as their little-endian bytes, `width` bytes each.
    Bytes(&'a [u8]),
}

/// One channel's samples in one frame.
#[derive(Debug, Clone, Copy)]
pub struct SampleBlock<'a> {
    /// Index of the first sample among the channel's samples since Start (mod 2³²).
    pub first_index: u32,
    /// Bytes per sample: 2, 3 or 4.
    pub width: u8,
    /// The counts.
    pub data: SampleData<'a>,
}

/// Sign-extends one little-endian count of 2, 3 or 4 bytes.
fn count_from(bytes: &[u8]) -> i32 {
    match *bytes {
        [a, b] => i32::from(i16::from_le_bytes([a, b])),
        [a, b, c] => i32::from_le_bytes([0, a, b, c]) >> 8,
        [a, b, c, d] => i32::from_le_bytes([a, b, c, d]),
        _ => 0,
    }
}

impl<'a> SampleBlock<'a> {
    /// Number of samples.
    pub fn len(&self) -> usize {
        match self.data {
            SampleData::Counts(c) => c.len(),
            SampleData::Bytes(b) => b.len() / usize::from(self.width.max(1)),
        }
    }

    /// True if the block holds no sample.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sample `i` as a count.
    pub fn get(&self, i: usize) -> Option<i32> {
        match self.data {
            SampleData::Counts(c) => c.get(i).copied(),
            SampleData::Bytes(b) => {
                let w = usize::from(self.width);
                b.get(i * w..i * w + w).map(count_from)
            }
        }
    }

    /// The counts in order.
    pub fn iter(&self) -> impl Iterator<Item = i32> + '_ {
        (0..self.len()).filter_map(move |i| self.get(i))
    }

    fn encode(&self, channel: usize, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let bad = EncodeError::BadSample { channel };
        let count =
            u8::try_from(self.len()).map_err(|_| EncodeError::TooMany { field: "samples" })?;
        let (lo, hi) = match self.width {
            2 => (i32::from(i16::MIN), i32::from(i16::MAX)),
            3 => (-(1 << 23), (1 << 23) - 1),
            4 => (i32::MIN, i32::MAX),
            _ => return Err(bad),
        };
        w.u32(self.first_index)?;
        w.u8(count)?;
        w.u8(self.width)?;
        match self.data {
            SampleData::Bytes(b) if b.len() % usize::from(self.width) == 0 => w.bytes(b),
            SampleData::Bytes(_) => Err(bad),
            SampleData::Counts(c) => {
                for &v in c {
                    if v < lo || v > hi {
                        return Err(bad);
                    }
                    w.bytes(&v.to_le_bytes()[..usize::from(self.width)])?;
                }
                Ok(())
            }
        }
    }

    fn parse(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        let first_index = r.u32("first_index")?;
        let count = usize::from(r.u8("count")?);
        let width = r.u8("width")?;
        if !(2..=4).contains(&width) {
            return Err(ParseError::BadValue {
                field: "width",
                value: u32::from(width),
            });
        }
        let bytes = r.take(count * usize::from(width), "samples")?;
        Ok(Self {
            first_index,
            width,
            data: SampleData::Bytes(bytes),
        })
    }
}

impl PartialEq for SampleBlock<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.first_index == other.first_index
            && self.width == other.width
            && self.len() == other.len()
            && self.iter().eq(other.iter())
    }
}

struct Counts<'b, 'a>(&'b SampleBlock<'a>);

impl Serialize for Counts<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

impl Serialize for SampleBlock<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("SampleBlock", 3)?;
        st.serialize_field("first_index", &self.first_index)?;
        st.serialize_field("width", &self.width)?;
        st.serialize_field("samples", &Counts(self))?;
        st.end()
    }
}

/// Samples of every channel, in DeviceInfo channel order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Samples<'a> {
    /// Device clock (µs since Start) when the frame was assembled.
    pub device_time_us: u64,
    /// One block per channel.
    pub channels: heapless::Vec<SampleBlock<'a>, MAX_CHANNELS>,
}

impl<'a> Samples<'a> {
    pub(crate) fn encode(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.u64(self.device_time_us)?;
        let n = u8::try_from(self.channels.len())
            .map_err(|_| EncodeError::TooMany { field: "channels" })?;
        w.u8(n)?;
        for (c, block) in self.channels.iter().enumerate() {
            block.encode(c, w)?;
        }
        Ok(())
    }

    pub(crate) fn parse(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        let device_time_us = r.u64("device_time_us")?;
        let n = r.u8("channel_count")?;
        let mut channels = heapless::Vec::new();
        for _ in 0..n {
            channels
                .push(SampleBlock::parse(r)?)
                .map_err(|_| ParseError::BadValue {
                    field: "channel_count",
                    value: u32::from(n),
                })?;
        }
        Ok(Self {
            device_time_us,
            channels,
        })
    }
}
