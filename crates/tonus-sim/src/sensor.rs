//! A virtual sensor speaking the wire protocol on a pseudo-terminal, at real-time pace.
//!
//! It behaves as a device: answers Hello with DeviceInfo, Start/Stop with Ack, Ping with Pong; while
//! streaming it sends a Samples frame every [`SensorConfig::frame_ms`] and a Status once a second, from
//! a generated session (or any recording). Faults are injected on request. With a link path the pty is
//! reachable under a stable name, and after a simulated disconnect a new pty appears under that name.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serialport::{SerialPort, TTYPort};
use tonus_core::{ChannelKind, Recording, Unit};
use tonus_protocol::{
    encode_frame, Ack, ChannelDescriptor, Decoder, DeviceInfo, Message, Nack, NackReason, Position,
    SampleBlock, SampleData, Samples, Status, MAX_WIRE_FRAME,
};

use crate::faults::{ClockBehaviour, Faults};
use crate::noise::Noise;

/// How the virtual sensor behaves.
#[derive(Debug, Clone, PartialEq)]
pub struct SensorConfig {
    /// Milliseconds of signal per Samples frame.
    pub frame_ms: u64,
    /// Speed factor (1 = real time).
    pub speed: f64,
    /// Faults to inject.
    pub faults: Faults,
    /// Seed of the fault injection.
    pub seed: u64,
}

impl Default for SensorConfig {
    fn default() -> Self {
        Self {
            frame_ms: 8,
            speed: 1.0,
            faults: Faults::default(),
            seed: 1,
        }
    }
}

/// What the sensor did, returned when it stops.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SensorReport {
    /// Samples frames written.
    pub frames_sent: u64,
    /// Samples frames dropped on purpose.
    pub frames_dropped: u64,
    /// Bytes corrupted on purpose.
    pub bytes_corrupted: u64,
    /// Samples per channel discarded by a stall.
    pub stalled_samples: u64,
    /// Samples frames sent without their last channel.
    pub short_frames: u64,
    /// Samples per channel sent twice (frames starting early).
    pub overlapping_samples: u64,
    /// Samples per channel replaced by random bytes.
    pub noise_samples: u64,
    /// Disconnections performed.
    pub disconnects: u64,
    /// Samples (of channel 0) streamed in total, from the session start.
    pub samples_streamed: u64,
}

/// A running virtual sensor; stops when dropped or on [`RunningSensor::stop`].
pub struct RunningSensor {
    path: PathBuf,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<SensorReport>>,
}

impl RunningSensor {
    /// The path a host should open (the link if one was asked for, else the pty itself).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stops the sensor and returns what it did.
    pub fn stop(mut self) -> SensorReport {
        self.stop.store(true, Ordering::SeqCst);
        self.thread
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for RunningSensor {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Fixed device description and the count scaling per channel.
fn scaling(unit: Unit) -> (u8, f32, f32, ChannelKind) {
    match unit.kind() {
        // 24-bit EMG front end: 0.0234375 µV per count (±196 mV range).
        ChannelKind::Emg => (3, 0.023_437_5, 0.0, ChannelKind::Emg),
        // 16-bit pressure: 0.01 unit per count, offset −5 (−5 … 322 mmHg).
        ChannelKind::Pressure => (2, 0.01, -5.0, ChannelKind::Pressure),
    }
}

/// The count the device sends for a physical value (what the host's conversion will invert).
pub fn to_count(value: f64, unit: Unit) -> i32 {
    let (width, scale, offset, _) = scaling(unit);
    let max = if width == 3 {
        (1 << 23) - 1
    } else {
        i32::from(i16::MAX)
    };
    let c = libm::round((value - f64::from(offset)) / f64::from(scale));
    c.clamp(-(f64::from(max)) - 1.0, f64::from(max)) as i32
}

/// Opens a new pty pair; points `link` at it if given.
fn open_pty(link: Option<&Path>) -> std::io::Result<(TTYPort, TTYPort, PathBuf)> {
    let (master, slave) = TTYPort::pair().map_err(std::io::Error::other)?;
    let name = PathBuf::from(slave.name().unwrap_or_default());
    let path = match link {
        Some(l) => {
            let tmp = l.with_extension("tmp-link");
            let _ = std::fs::remove_file(&tmp);
            std::os::unix::fs::symlink(&name, &tmp)?;
            std::fs::rename(&tmp, l)?;
            l.to_path_buf()
        }
        None => name,
    };
    Ok((master, slave, path))
}

/// Starts a virtual sensor streaming `recording` (all channels at one rate, at most 8 channels).
pub fn start(
    recording: Recording,
    config: SensorConfig,
    link: Option<PathBuf>,
) -> std::io::Result<RunningSensor> {
    let (master, slave, path) = open_pty(link.as_deref())?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let thread = std::thread::Builder::new()
        .name("tonus-virtual-sensor".into())
        .spawn(move || Device::new(recording, config, link).run(master, slave, &flag))?;
    Ok(RunningSensor {
        path,
        stop,
        thread: Some(thread),
    })
}

struct Device {
    recording: Recording,
    config: SensorConfig,
    link: Option<PathBuf>,
    seq: u32,
    streaming: bool,
    /// Session time origin of the current Start (host-visible first_index restarts at 0).
    start_cursor: u64,
    /// Next sample of the recording to send.
    cursor: u64,
    /// Wall clock of the first Start and the sample it corresponds to.
    clock: Option<(Instant, u64)>,
    /// The sample clock's name in Position (changes when it restarts), and the session sample
    /// at which it started counting.
    clock_id: u32,
    clock_zero: u64,
    dropped_by_device: u64,
    report: SensorReport,
    rng: Noise,
    /// Counts of the frame being built, per channel (reused: no allocation per frame).
    counts: Vec<Vec<i32>>,
}

impl Device {
    fn new(recording: Recording, config: SensorConfig, link: Option<PathBuf>) -> Self {
        let rng = Noise::new(config.seed, 99);
        let clock_id = 0xC0FF_0000 | (config.seed as u32 & 0xFFFF);
        Self {
            recording,
            config,
            link,
            seq: 0,
            streaming: false,
            start_cursor: 0,
            cursor: 0,
            clock: None,
            clock_id,
            clock_zero: 0,
            dropped_by_device: 0,
            report: SensorReport::default(),
            rng,
            counts: Vec::new(),
        }
    }

    fn rate(&self) -> f64 {
        self.recording
            .channels
            .first()
            .map_or(1000.0, |c| c.rate_hz)
    }

    fn len(&self) -> u64 {
        self.recording.samples.first().map_or(0, Vec::len) as u64
    }

    /// Streaming time (s) at wall-clock `now`, if streaming has ever started.
    fn session_time(&self, now: Instant) -> Option<f64> {
        self.clock.map(|(t0, c0)| {
            c0 as f64 / self.rate() + now.duration_since(t0).as_secs_f64() * self.config.speed
        })
    }

    fn run(mut self, mut master: TTYPort, mut slave: TTYPort, stop: &AtomicBool) -> SensorReport {
        let _ = master.set_timeout(Duration::from_millis(2));
        let mut decoder = Decoder::new();
        let mut buf = [0u8; 512];
        let mut last_status = Instant::now();
        let mut disconnected_once = false;
        while !stop.load(Ordering::SeqCst) {
            // Host commands.
            let mut commands: Vec<(u8, u32, Option<Message<'static>>)> = Vec::new();
            // Read only when bytes are waiting: a timed-out read builds a boxed io::Error, and the
            // device loop must not allocate per iteration.
            let waiting = master.bytes_to_read().unwrap_or(0) > 0;
            if let Some(Ok(n)) = waiting.then(|| master.read(&mut buf)) {
                decoder.feed(&buf[..n], |f| {
                    let owned = match f.message() {
                        Ok(Message::Hello) => Some(Message::Hello),
                        Ok(Message::Start) => Some(Message::Start),
                        Ok(Message::Stop) => Some(Message::Stop),
                        Ok(Message::Ping { token }) => Some(Message::Ping { token }),
                        Ok(Message::Locate) => Some(Message::Locate),
                        Ok(Message::ZeroPressure { channel }) => {
                            Some(Message::ZeroPressure { channel })
                        }
                        _ => None,
                    };
                    commands.push((f.msg_type, f.seq, owned));
                });
            }
            for (msg_type, seq, msg) in commands {
                self.answer(&mut master, msg_type, seq, msg);
            }
            let now = Instant::now();
            // Disconnect fault: the port vanishes, then reappears (a re-plugged device: idle, seq 0).
            if let (Some((at, dur)), Some(t), false) = (
                self.config.faults.disconnect,
                self.session_time(now),
                disconnected_once,
            ) {
                if t >= at {
                    disconnected_once = true;
                    self.report.disconnects += 1;
                    drop(master);
                    drop(slave);
                    std::thread::sleep(Duration::from_secs_f64(dur / self.config.speed));
                    match open_pty(self.link.as_deref()) {
                        Ok((m, s, _)) => {
                            master = m;
                            slave = s;
                            let _ = master.set_timeout(Duration::from_millis(2));
                        }
                        Err(_) => return self.report,
                    }
                    decoder = Decoder::new();
                    self.seq = 0;
                    self.streaming = false;
                    if self.config.faults.clock == ClockBehaviour::Restarts {
                        // Powered from USB: its sample count starts again from zero.
                        self.clock_id = self.clock_id.wrapping_add(1).max(1);
                        self.clock_zero = self
                            .session_time(Instant::now())
                            .map_or(0, |t| (t * self.rate()) as u64);
                    }
                    continue;
                }
            }
            if self.streaming {
                self.stream(&mut master, now);
                if now.duration_since(last_status) >= Duration::from_secs(1) {
                    last_status = now;
                    let status = Status {
                        flags: u8::from(self.dropped_by_device > 0),
                        lead_off: 0,
                        saturation: 0,
                        battery_pct: 255,
                        dropped_samples: self.dropped_by_device as u32,
                    };
                    self.send(&mut master, &Message::Status(status), false);
                }
            }
            if self.cursor >= self.len() && self.streaming {
                // End of the recording: stay connected, send nothing more.
                self.streaming = false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        drop(slave);
        self.report
    }

    fn answer(
        &mut self,
        port: &mut TTYPort,
        msg_type: u8,
        seq: u32,
        msg: Option<Message<'static>>,
    ) {
        let ack = Message::Ack(Ack {
            acked_type: msg_type,
            acked_seq: seq,
        });
        match msg {
            Some(Message::Hello) => self.send_device_info(port),
            Some(Message::Start) => {
                self.send(port, &ack, false);
                let now = Instant::now();
                match self.clock {
                    // A later Start (e.g. after reconnecting) continues the session in real time.
                    Some(_) => {
                        self.cursor = self
                            .session_time(now)
                            .map_or(0, |t| (t * self.rate()) as u64)
                    }
                    None => self.clock = Some((now, 0)),
                }
                self.clock = Some((now, self.cursor));
                self.start_cursor = self.cursor;
                self.streaming = true;
            }
            Some(Message::Stop) => {
                self.streaming = false;
                self.send(port, &ack, false);
            }
            Some(Message::Ping { token }) => self.send(port, &Message::Pong { token }, false),
            Some(Message::Locate) if self.config.faults.clock != ClockBehaviour::Unknown => {
                let origin = self.start_cursor.saturating_sub(self.clock_zero);
                let position = Position {
                    clock_id: self.clock_id,
                    origins: self.recording.channels.iter().map(|_| origin).collect(),
                };
                self.send(port, &Message::Position(position), false);
            }
            Some(Message::ZeroPressure { .. }) => self.send(port, &ack, false),
            _ => {
                let known = (0x81..=0x86).contains(&msg_type);
                let reason = if known {
                    NackReason::BadParameter
                } else {
                    NackReason::UnknownType
                };
                let nack = Message::Nack(Nack {
                    acked_type: msg_type,
                    acked_seq: seq,
                    reason: reason.code(),
                });
                self.send(port, &nack, false);
            }
        }
    }

    fn send_device_info(&mut self, port: &mut TTYPort) {
        let mut channels = heapless::Vec::new();
        for c in self
            .recording
            .channels
            .iter()
            .take(tonus_protocol::MAX_CHANNELS)
        {
            let (width, scale, offset, kind) = scaling(c.unit);
            let kind = match kind {
                ChannelKind::Emg => tonus_protocol::ChannelKind::Emg,
                ChannelKind::Pressure => tonus_protocol::ChannelKind::Pressure,
            };
            let d = ChannelDescriptor {
                name: &c.name,
                kind,
                unit: tonus_io::serial::units::to_wire(c.unit),
                width,
                scale,
                offset,
                rate_mhz: libm::round(c.rate_hz * 1000.0) as u32,
            };
            let _ = channels.push(d);
        }
        let info = DeviceInfo {
            model: "Tonus virtual sensor",
            firmware: [0, 1, 0],
            serial: "SIM-0001",
            channels,
        };
        let mut out = [0u8; MAX_WIRE_FRAME];
        if let Ok(n) = encode_frame(self.seq, &Message::DeviceInfo(info), &mut out) {
            self.seq = self.seq.wrapping_add(1);
            let _ = port.write_all(&out[..n]);
        }
    }

    /// Sends every frame whose samples are due by `now`.
    fn stream(&mut self, port: &mut TTYPort, now: Instant) {
        let rate = self.rate();
        let per_frame = ((self.config.frame_ms as f64 / 1000.0) * rate)
            .round()
            .max(1.0) as u64;
        let due = self
            .session_time(now)
            .map_or(0, |t| (t * rate) as u64)
            .min(self.len());
        while self.cursor + per_frame <= due || (due == self.len() && self.cursor < due) {
            let end = (self.cursor + per_frame).min(self.len());
            let t = self.cursor as f64 / rate;
            if let Some((at, dur)) = self.config.faults.stall {
                if t >= at && t < at + dur {
                    // The device's buffer overflows: these samples are discarded.
                    self.report.stalled_samples += end - self.cursor;
                    self.dropped_by_device +=
                        (end - self.cursor) * self.recording.channels.len() as u64;
                    self.cursor = end;
                    continue;
                }
            }
            if let Some((at, dur)) = self.config.faults.noise {
                if t >= at && t < at + dur {
                    // A garbled line: random bytes where the frame should be.
                    self.report.noise_samples += end - self.cursor;
                    self.send_noise(port, (end - self.cursor) as usize * 3 + 20);
                    self.report.samples_streamed = end;
                    self.cursor = end;
                    continue;
                }
            }
            let faults = self.config.faults;
            let begin = if faults.overlap_rate > 0.0
                && self.cursor >= self.start_cursor + 4
                && self.rng.uniform() < faults.overlap_rate
            {
                self.report.overlapping_samples += 4;
                self.cursor - 4
            } else {
                self.cursor
            };
            let all = self.recording.channels.len();
            let sent =
                if faults.short_rate > 0.0 && all > 1 && self.rng.uniform() < faults.short_rate {
                    self.report.short_frames += 1;
                    all - 1
                } else {
                    all
                };
            let mut counts = std::mem::take(&mut self.counts);
            counts.resize_with(all, Vec::new);
            for ((out, c), s) in counts
                .iter_mut()
                .zip(&self.recording.channels)
                .zip(&self.recording.samples)
            {
                out.clear();
                out.extend(
                    s[begin as usize..end as usize]
                        .iter()
                        .map(|v| to_count(*v, c.unit)),
                );
            }
            let leap = match faults.leap {
                Some((at, n)) if t >= at => n,
                _ => 0,
            };
            let first = ((begin - self.start_cursor) as u32).wrapping_add(leap);
            let mut blocks = heapless::Vec::new();
            for (c, ch) in self.recording.channels.iter().zip(&counts).take(sent) {
                let (width, ..) = scaling(c.unit);
                let _ = blocks.push(SampleBlock {
                    first_index: first,
                    width,
                    data: SampleData::Counts(ch),
                });
            }
            let device_time_us = ((end - self.start_cursor) as f64 / rate * 1e6) as u64;
            let msg = Message::Samples(Samples {
                device_time_us,
                channels: blocks,
            });
            let lose = self.rng.uniform() < self.config.faults.drop_rate;
            self.send(port, &msg, lose);
            drop(msg); // ends the borrow of `counts`, which is kept for the next frame
            self.counts = counts;
            self.report.samples_streamed = end;
            self.cursor = end;
        }
    }

    /// Writes `n` random bytes (zeros among them, so the host's decoder sees many broken frames).
    fn send_noise(&mut self, port: &mut TTYPort, mut n: usize) {
        let mut buf = [0u8; 256];
        while n > 0 {
            let k = n.min(buf.len());
            for b in &mut buf[..k] {
                *b = (self.rng.uniform() * 256.0) as u8;
            }
            let _ = port.write_all(&buf[..k]);
            n -= k;
        }
    }

    /// Encodes and writes a frame (or skips it if `lose`), corrupting bytes at the configured rate.
    fn send(&mut self, port: &mut TTYPort, msg: &Message<'_>, lose: bool) {
        let mut out = [0u8; MAX_WIRE_FRAME];
        let Ok(n) = encode_frame(self.seq, msg, &mut out) else {
            return;
        };
        self.seq = self.seq.wrapping_add(1);
        if lose {
            self.report.frames_dropped += 1;
            return;
        }
        let p = self.config.faults.corrupt_rate;
        if p > 0.0 {
            for b in &mut out[..n] {
                if self.rng.uniform() < p {
                    *b ^= 1 << (self.rng.uniform() * 8.0) as u32;
                    self.report.bytes_corrupted += 1;
                }
            }
        }
        if matches!(msg, Message::Samples(_)) {
            self.report.frames_sent += 1;
        }
        let _ = port.write_all(&out[..n]);
    }
}
