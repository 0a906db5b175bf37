//! Every message of protocol version 1, its type code, body layout, encoder and parser.

use serde::Serialize;

use crate::cursor::{Reader, Writer};
use crate::error::{EncodeError, ParseError};
use crate::samples::Samples;
use crate::MAX_CHANNELS;

/// What a channel measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// Electromyography.
    Emg,
    /// Pressure (manometry).
    Pressure,
    /// Anything else.
    Other,
}

/// Physical unit of a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Unit {
    /// Microvolt.
    #[serde(rename = "uV")]
    Microvolt,
    /// Millivolt.
    #[serde(rename = "mV")]
    Millivolt,
    /// Millimetre of mercury.
    #[serde(rename = "mmHg")]
    MmHg,
    /// Centimetre of water.
    #[serde(rename = "cmH2O")]
    CmH2O,
    /// Kilopascal.
    #[serde(rename = "kPa")]
    KPa,
    /// Another unit.
    #[serde(rename = "other")]
    Other,
}

impl ChannelKind {
    fn code(self) -> u8 {
        match self {
            Self::Emg => 0,
            Self::Pressure => 1,
            Self::Other => 2,
        }
    }
    fn from_code(v: u8) -> Result<Self, ParseError> {
        Ok(match v {
            0 => Self::Emg,
            1 => Self::Pressure,
            2 => Self::Other,
            _ => {
                return Err(ParseError::BadValue {
                    field: "kind",
                    value: u32::from(v),
                })
            }
        })
    }
}

impl Unit {
    fn code(self) -> u8 {
        match self {
            Self::Microvolt => 0,
            Self::Millivolt => 1,
            Self::MmHg => 2,
            Self::CmH2O => 3,
            Self::KPa => 4,
            Self::Other => 255,
        }
    }
    fn from_code(v: u8) -> Result<Self, ParseError> {
        Ok(match v {
            0 => Self::Microvolt,
            1 => Self::Millivolt,
            2 => Self::MmHg,
            3 => Self::CmH2O,
            4 => Self::KPa,
            255 => Self::Other,
            _ => {
                return Err(ParseError::BadValue {
                    field: "unit",
                    value: u32::from(v),
                })
            }
        })
    }
}

/// One channel as the device describes it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChannelDescriptor<'a> {
    /// Name, at most 16 bytes.
    pub name: &'a str,
    /// What it measures.
    pub kind: ChannelKind,
    /// Unit of `offset + scale × count`.
    pub unit: Unit,
    /// Bytes per sample: 2, 3 or 4.
    pub width: u8,
    /// Physical units per count.
    pub scale: f32,
    /// Physical value at count 0.
    pub offset: f32,
    /// Sample rate in millihertz.
    pub rate_mhz: u32,
}

impl ChannelDescriptor<'_> {
    /// The physical value of a count: `offset + scale × count`, computed in `f64`.
    pub fn to_physical(&self, count: i32) -> f64 {
        f64::from(self.offset) + f64::from(self.scale) * f64::from(count)
    }

    /// Sample rate in Hz.
    pub fn rate_hz(&self) -> f64 {
        f64::from(self.rate_mhz) / 1000.0
    }
}

/// The device's identity and channels (answer to Hello and Configure).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceInfo<'a> {
    /// Model name, at most 32 bytes.
    pub model: &'a str,
    /// Firmware version: major, minor, patch.
    pub firmware: [u8; 3],
    /// Serial number, at most 32 bytes.
    pub serial: &'a str,
    /// Channel descriptors, 1 to 8.
    pub channels: heapless::Vec<ChannelDescriptor<'a>, MAX_CHANNELS>,
}

/// Device condition report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Status {
    /// Bit 0 buffer overflow, bit 1 battery low, bit 2 clock resynchronised.
    pub flags: u8,
    /// Bit c: channel c's electrode is off.
    pub lead_off: u8,
    /// Bit c: channel c is at an ADC rail.
    pub saturation: u8,
    /// Battery percentage, 255 if unknown.
    pub battery_pct: u8,
    /// Samples the device discarded since Start.
    pub dropped_samples: u32,
}

/// Where the device's stream stands on its own sample clock (answer to Locate).
///
/// A device counts every sample each channel produces on a clock that keeps running across
/// Start, Stop and a lost USB link. `origins[c]` is the count, on that clock, of the sample that
/// `first_index` 0 of the latest Start stands for on channel `c`; after a reconnection the host
/// compares two Positions with the same `clock_id` to know exactly how many samples it missed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Position {
    /// Names the sample clock; a new value whenever it restarts from zero (power-up, reset).
    /// 0: the device cannot tell, so positions from different Starts are not comparable.
    pub clock_id: u32,
    /// Per channel, in DeviceInfo order: the clock's sample count at `first_index` 0.
    pub origins: heapless::Vec<u64, MAX_CHANNELS>,
}

/// Positive answer to a host command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Ack {
    /// Type of the acknowledged message.
    pub acked_type: u8,
    /// Its sequence number.
    pub acked_seq: u32,
}

/// Negative answer to a host command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Nack {
    /// Type of the refused message.
    pub acked_type: u8,
    /// Its sequence number.
    pub acked_seq: u32,
    /// Why (see [`NackReason`]).
    pub reason: u8,
}

/// The reasons a device gives in a Nack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NackReason {
    /// 1: unknown message type.
    UnknownType,
    /// 2: a parameter is out of range.
    BadParameter,
    /// 3: not allowed in the current state.
    WrongState,
    /// 4: protocol version not spoken.
    UnsupportedVersion,
    /// 5: body malformed.
    Malformed,
}

impl NackReason {
    /// The wire code.
    pub fn code(self) -> u8 {
        match self {
            Self::UnknownType => 1,
            Self::BadParameter => 2,
            Self::WrongState => 3,
            Self::UnsupportedVersion => 4,
            Self::Malformed => 5,
        }
    }

    /// The reason for a wire code, if known.
    pub fn from_code(v: u8) -> Option<Self> {
        Some(match v {
            1 => Self::UnknownType,
            2 => Self::BadParameter,
            3 => Self::WrongState,
            4 => Self::UnsupportedVersion,
            5 => Self::Malformed,
            _ => return None,
        })
    }
}

/// One channel's setting in a Configure command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ChannelConfig {
    /// Stream this channel.
    pub enabled: bool,
    /// New rate in millihertz; 0 keeps the current rate.
    pub rate_mhz: u32,
}

/// A message of protocol version 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Message<'a> {
    /// 0x01, device → host: identity and channels.
    DeviceInfo(DeviceInfo<'a>),
    /// 0x02, device → host: samples.
    Samples(Samples<'a>),
    /// 0x03, device → host: condition.
    Status(Status),
    /// 0x04, device → host: command accepted.
    Ack(Ack),
    /// 0x05, device → host: command refused.
    Nack(Nack),
    /// 0x06, device → host: answer to Ping.
    Pong {
        /// The Ping's token.
        token: u32,
    },
    /// 0x07, device → host: where the stream stands on the device's sample clock.
    Position(Position),
    /// 0x81, host → device: identify yourself.
    Hello,
    /// 0x82, host → device: start streaming.
    Start,
    /// 0x83, host → device: stop streaming.
    Stop,
    /// 0x84, host → device: channel enables and rates.
    Configure {
        /// One setting per channel.
        channels: heapless::Vec<ChannelConfig, MAX_CHANNELS>,
    },
    /// 0x85, host → device: zero a pressure channel (255: all).
    ZeroPressure {
        /// Channel index, or 255.
        channel: u8,
    },
    /// 0x86, host → device: liveness check.
    Ping {
        /// Echoed in the Pong.
        token: u32,
    },
    /// 0x87, host → device: where does the stream stand? (answered by Position).
    Locate,
}

impl<'a> Message<'a> {
    /// The message type code of the header.
    pub fn type_code(&self) -> u8 {
        match self {
            Self::DeviceInfo(_) => 0x01,
            Self::Samples(_) => 0x02,
            Self::Status(_) => 0x03,
            Self::Ack(_) => 0x04,
            Self::Nack(_) => 0x05,
            Self::Pong { .. } => 0x06,
            Self::Position(_) => 0x07,
            Self::Hello => 0x81,
            Self::Start => 0x82,
            Self::Stop => 0x83,
            Self::Configure { .. } => 0x84,
            Self::ZeroPressure { .. } => 0x85,
            Self::Ping { .. } => 0x86,
            Self::Locate => 0x87,
        }
    }

    pub(crate) fn encode_body(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        match self {
            Self::DeviceInfo(d) => {
                w.str(d.model, "model", 32)?;
                w.bytes(&d.firmware)?;
                w.str(d.serial, "serial", 32)?;
                let n = u8::try_from(d.channels.len())
                    .map_err(|_| EncodeError::TooMany { field: "channels" })?;
                w.u8(n)?;
                for c in &d.channels {
                    w.str(c.name, "name", 16)?;
                    w.u8(c.kind.code())?;
                    w.u8(c.unit.code())?;
                    w.u8(c.width)?;
                    w.f32(c.scale)?;
                    w.f32(c.offset)?;
                    w.u32(c.rate_mhz)?;
                }
                Ok(())
            }
            Self::Samples(s) => s.encode(w),
            Self::Status(s) => {
                w.bytes(&[s.flags, s.lead_off, s.saturation, s.battery_pct])?;
                w.u32(s.dropped_samples)
            }
            Self::Ack(a) => {
                w.u8(a.acked_type)?;
                w.u32(a.acked_seq)
            }
            Self::Nack(n) => {
                w.u8(n.acked_type)?;
                w.u32(n.acked_seq)?;
                w.u8(n.reason)
            }
            Self::Pong { token } | Self::Ping { token } => w.u32(*token),
            Self::Position(p) => {
                w.u32(p.clock_id)?;
                let n = u8::try_from(p.origins.len())
                    .map_err(|_| EncodeError::TooMany { field: "origins" })?;
                w.u8(n)?;
                for o in &p.origins {
                    w.u64(*o)?;
                }
                Ok(())
            }
            Self::Hello | Self::Start | Self::Stop | Self::Locate => Ok(()),
            Self::Configure { channels } => {
                let n = u8::try_from(channels.len())
                    .map_err(|_| EncodeError::TooMany { field: "channels" })?;
                w.u8(n)?;
                for c in channels {
                    w.u8(u8::from(c.enabled))?;
                    w.u32(c.rate_mhz)?;
                }
                Ok(())
            }
            Self::ZeroPressure { channel } => w.u8(*channel),
        }
    }

    /// Parses the body of a message of type `type_code`.
    pub fn parse(type_code: u8, body: &'a [u8]) -> Result<Self, ParseError> {
        let mut r = Reader::new(body);
        let msg = match type_code {
            0x01 => {
                let model = r.str("model", 32)?;
                let fw = r.take(3, "firmware")?;
                let firmware = [fw[0], fw[1], fw[2]];
                let serial = r.str("serial", 32)?;
                let n = r.u8("channel_count")?;
                if n == 0 || usize::from(n) > MAX_CHANNELS {
                    return Err(ParseError::BadValue {
                        field: "channel_count",
                        value: u32::from(n),
                    });
                }
                let mut channels = heapless::Vec::new();
                for _ in 0..n {
                    let name = r.str("name", 16)?;
                    let kind = ChannelKind::from_code(r.u8("kind")?)?;
                    let unit = Unit::from_code(r.u8("unit")?)?;
                    let width = r.u8("width")?;
                    if !(2..=4).contains(&width) {
                        return Err(ParseError::BadValue {
                            field: "width",
                            value: u32::from(width),
                        });
                    }
                    let scale = r.f32("scale")?;
                    let offset = r.f32("offset")?;
                    let rate_mhz = r.u32("rate_mhz")?;
                    let c = ChannelDescriptor {
                        name,
                        kind,
                        unit,
                        width,
                        scale,
                        offset,
                        rate_mhz,
                    };
                    // Capacity is MAX_CHANNELS and n ≤ MAX_CHANNELS was checked above.
                    let _ = channels.push(c);
                }
                Self::DeviceInfo(DeviceInfo {
                    model,
                    firmware,
                    serial,
                    channels,
                })
            }
            0x02 => Self::Samples(Samples::parse(&mut r)?),
            0x03 => {
                let b = r.take(4, "status")?;
                Self::Status(Status {
                    flags: b[0],
                    lead_off: b[1],
                    saturation: b[2],
                    battery_pct: b[3],
                    dropped_samples: r.u32("dropped_samples")?,
                })
            }
            0x04 => Self::Ack(Ack {
                acked_type: r.u8("acked_type")?,
                acked_seq: r.u32("acked_seq")?,
            }),
            0x05 => Self::Nack(Nack {
                acked_type: r.u8("acked_type")?,
                acked_seq: r.u32("acked_seq")?,
                reason: r.u8("reason")?,
            }),
            0x06 => Self::Pong {
                token: r.u32("token")?,
            },
            0x07 => {
                let clock_id = r.u32("clock_id")?;
                let n = r.u8("channel_count")?;
                if n == 0 || usize::from(n) > MAX_CHANNELS {
                    return Err(ParseError::BadValue {
                        field: "channel_count",
                        value: u32::from(n),
                    });
                }
                let mut origins = heapless::Vec::new();
                for _ in 0..n {
                    // Capacity is MAX_CHANNELS and n ≤ MAX_CHANNELS was checked above.
                    let _ = origins.push(r.u64("origin")?);
                }
                Self::Position(Position { clock_id, origins })
            }
            0x81 => Self::Hello,
            0x82 => Self::Start,
            0x83 => Self::Stop,
            0x84 => {
                let n = r.u8("channel_count")?;
                let mut channels = heapless::Vec::new();
                for _ in 0..n {
                    let enabled = match r.u8("enabled")? {
                        0 => false,
                        1 => true,
                        v => {
                            return Err(ParseError::BadValue {
                                field: "enabled",
                                value: u32::from(v),
                            })
                        }
                    };
                    let c = ChannelConfig {
                        enabled,
                        rate_mhz: r.u32("rate_mhz")?,
                    };
                    channels.push(c).map_err(|_| ParseError::BadValue {
                        field: "channel_count",
                        value: u32::from(n),
                    })?;
                }
                Self::Configure { channels }
            }
            0x85 => Self::ZeroPressure {
                channel: r.u8("channel")?,
            },
            0x86 => Self::Ping {
                token: r.u32("token")?,
            },
            0x87 => Self::Locate,
            t => return Err(ParseError::UnknownType(t)),
        };
        r.finish()?;
        Ok(msg)
    }
}
