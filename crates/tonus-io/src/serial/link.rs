//! One open port to a device: framing, host sequence numbers, and the handshake.

use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serialport::SerialPort;
use tonus_core::ChannelInfo;
use tonus_protocol::{encode_frame, Decoder, Message, MAX_WIRE_FRAME, VERSION};

use super::error::AcqError;

/// One channel as the device declared it, with the count-to-unit conversion.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceChannel {
    /// Name, unit and rate.
    pub info: ChannelInfo,
    /// Units per count.
    pub scale: f64,
    /// Units at count 0.
    pub offset: f64,
    /// Bytes per sample on the wire (2, 3 or 4): the counts span ±2^(8·width−1).
    pub width: u8,
}

impl DeviceChannel {
    /// The physical values of the smallest and largest count the device can send.
    pub fn physical_range(&self) -> (f64, f64) {
        let half = 2f64.powi(8 * i32::from(self.width.clamp(1, 4)) - 1);
        let (a, b) = (
            self.offset - self.scale * half,
            self.offset + self.scale * (half - 1.0),
        );
        (a.min(b), a.max(b))
    }
}

/// What the device said about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceIdentity {
    /// Model name.
    pub model: String,
    /// Firmware version.
    pub firmware: [u8; 3],
    /// Serial number.
    pub serial: String,
    /// Channels in frame order.
    pub channels: Vec<DeviceChannel>,
}

/// An open port speaking the protocol.
pub(crate) struct Link {
    pub(crate) path: PathBuf,
    pub(crate) port: Box<dyn SerialPort>,
    pub(crate) decoder: Decoder,
    /// Bytes read after the frame a handshake step waited for (the first samples): the reader
    /// processes them before reading the port, so nothing that arrived is lost.
    pub(crate) leftover: Vec<u8>,
    seq: u32,
}

impl Link {
    /// Opens `path`, raises DTR (many USB-CDC devices only send once it is up).
    pub(crate) fn open(path: &Path, baud: u32) -> Result<Self, AcqError> {
        let mut port = serialport::new(path.to_string_lossy(), baud)
            .timeout(Duration::from_millis(20))
            .open()
            .map_err(|source| AcqError::Open {
                path: path.to_path_buf(),
                source,
            })?;
        // Pseudo-terminals have no modem lines; a real USB-CDC port does. Either way, carry on.
        let _ = port.write_data_terminal_ready(true);
        Ok(Self {
            path: path.to_path_buf(),
            port,
            decoder: Decoder::new(),
            leftover: Vec::new(),
            seq: 0,
        })
    }

    pub(crate) fn send(&mut self, msg: &Message<'_>) -> Result<(), AcqError> {
        let mut out = [0u8; MAX_WIRE_FRAME];
        let n = encode_frame(self.seq, msg, &mut out).map_err(|e| AcqError::Io {
            path: self.path.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        self.seq = self.seq.wrapping_add(1);
        self.port
            .write_all(&out[..n])
            .map_err(|source| AcqError::Io {
                path: self.path.clone(),
                source,
            })
    }

    /// Reads until `want` returns `Some` for a frame, or the deadline passes.
    fn wait_for<T>(
        &mut self,
        timeout: Duration,
        mut want: impl FnMut(u8, &Message<'_>) -> Option<Result<T, AcqError>>,
    ) -> Result<Option<T>, AcqError> {
        let deadline = Instant::now() + timeout;
        let mut buf = [0u8; 1024];
        let mut result = None;
        while result.is_none() && Instant::now() < deadline {
            let n = match self.port.read(&mut buf) {
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::TimedOut || e.kind() == ErrorKind::WouldBlock => 0,
                Err(source) => {
                    return Err(AcqError::Io {
                        path: self.path.clone(),
                        source,
                    })
                }
            };
            for (i, &b) in buf[..n].iter().enumerate() {
                let Some(frame) = self.decoder.push(b) else {
                    continue;
                };
                if frame.version != VERSION {
                    result = Some(Err(AcqError::ProtocolVersion {
                        path: self.path.clone(),
                        device: frame.version,
                        host: VERSION,
                    }));
                } else if let Ok(msg) = frame.message() {
                    result = want(frame.msg_type, &msg);
                }
                if result.is_some() {
                    self.leftover.extend_from_slice(&buf[i + 1..n]);
                    break;
                }
            }
        }
        result.transpose()
    }

    /// Hello → DeviceInfo.
    pub(crate) fn identify(&mut self, timeout: Duration) -> Result<DeviceIdentity, AcqError> {
        self.send(&Message::Hello)?;
        let path = self.path.clone();
        let identity = self.wait_for(timeout, |_, msg| match msg {
            Message::DeviceInfo(d) => Some(identity(&path, d)),
            _ => None,
        })?;
        identity.ok_or(AcqError::NoAnswer {
            path,
            waited_ms: timeout.as_millis() as u64,
        })
    }

    /// Start → Ack.
    pub(crate) fn start(&mut self, timeout: Duration) -> Result<(), AcqError> {
        self.command(&Message::Start, "Start", timeout)
    }

    /// Locate → Position: where the stream just started stands on the device's sample clock
    /// (`None` when the device refuses Locate, as one without a sample clock does, or does not
    /// answer in time). Every byte read meanwhile (the first samples) is kept for the reader.
    pub(crate) fn locate(
        &mut self,
        timeout: Duration,
    ) -> Result<Option<tonus_protocol::Position>, AcqError> {
        self.send(&Message::Locate)?;
        let code = Message::Locate.type_code();
        // Scan with a copy of the decoder: the reader's own decoder sees these bytes later, in
        // order, with the samples among them.
        let mut scan = self.decoder.clone();
        let mut seen = std::mem::take(&mut self.leftover);
        let mut scanned = 0;
        let deadline = Instant::now() + timeout;
        let mut buf = [0u8; 1024];
        loop {
            let mut answer = None;
            scan.feed(&seen[scanned..], |frame| {
                if answer.is_some() || frame.version != VERSION {
                    return;
                }
                match frame.message() {
                    Ok(Message::Position(p)) => answer = Some(Some(p)),
                    Ok(Message::Nack(n)) if n.acked_type == code => answer = Some(None),
                    _ => {}
                }
            });
            scanned = seen.len();
            if answer.is_some() || Instant::now() >= deadline {
                self.leftover = seen;
                return Ok(answer.flatten());
            }
            match self.port.read(&mut buf) {
                Ok(n) => seen.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::TimedOut || e.kind() == ErrorKind::WouldBlock => {}
                Err(source) => {
                    return Err(AcqError::Io {
                        path: self.path.clone(),
                        source,
                    })
                }
            }
        }
    }

    /// Stop → Ack (best effort).
    pub(crate) fn stop(&mut self, timeout: Duration) -> Result<(), AcqError> {
        self.command(&Message::Stop, "Stop", timeout)
    }

    fn command(
        &mut self,
        msg: &Message<'_>,
        name: &str,
        timeout: Duration,
    ) -> Result<(), AcqError> {
        let code = msg.type_code();
        self.send(msg)?;
        let path = self.path.clone();
        let answer = self.wait_for(timeout, |_, m| match m {
            Message::Ack(a) if a.acked_type == code => Some(Ok(())),
            Message::Nack(n) if n.acked_type == code => Some(Err(AcqError::Refused {
                path: path.clone(),
                what: format!("{name} (reason {})", n.reason),
            })),
            _ => None,
        })?;
        answer.ok_or(AcqError::Refused {
            path,
            what: format!("{name}: no acknowledgement"),
        })
    }
}

fn identity(path: &Path, d: &tonus_protocol::DeviceInfo<'_>) -> Result<DeviceIdentity, AcqError> {
    let bad = |what: String| AcqError::BadDevice {
        path: path.to_path_buf(),
        what,
    };
    if d.channels.is_empty() || d.channels.len() > tonus_core::MAX_CHANNELS {
        return Err(bad(format!("{} channels", d.channels.len())));
    }
    let channels = d
        .channels
        .iter()
        .map(|c| {
            let unit = super::units::from_wire(c.unit)
                .ok_or_else(|| bad(format!("channel '{}' has a unit Tonus cannot use", c.name)))?;
            if !tonus_core::limits::rate_ok(c.rate_hz()) {
                return Err(bad(format!(
                    "channel '{}' has rate {} Hz, outside {}–{} Hz",
                    c.name,
                    c.rate_hz(),
                    tonus_core::limits::MIN_RATE_HZ,
                    tonus_core::limits::MAX_RATE_HZ
                )));
            }
            if !(c.scale.is_finite() && c.offset.is_finite() && c.scale != 0.0) {
                return Err(bad(format!(
                    "channel '{}' has scale {} and offset {}",
                    c.name, c.scale, c.offset
                )));
            }
            Ok(DeviceChannel {
                info: ChannelInfo {
                    name: c.name.to_string(),
                    unit,
                    rate_hz: c.rate_hz(),
                },
                scale: f64::from(c.scale),
                offset: f64::from(c.offset),
                width: c.width,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DeviceIdentity {
        model: d.model.into(),
        firmware: d.firmware,
        serial: d.serial.into(),
        channels,
    })
}
