//! Latency from a sensor writing a Samples frame to the block being available at the ring's consumer,
//! through a real pseudo-terminal, the reader thread and the SPSC ring: p50, p99 and max over 10 000
//! frames at 2 kHz (one frame per millisecond, two samples per channel, three channels).
//!
//! The device here is a minimal in-process one that stamps each frame with the shared monotonic clock
//! just before writing it. Run: `cargo bench --bench acquisition_latency [-- FRAMES]`.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use serialport::{SerialPort, TTYPort};
use tonus_io::serial::{Acquisition, AcquisitionConfig};
use tonus_protocol::{
    encode_frame, Ack, ChannelDescriptor, ChannelKind, Decoder, DeviceInfo, Message, SampleBlock,
    SampleData, Samples, Unit, MAX_WIRE_FRAME,
};

fn device(mut port: TTYPort, epoch: Instant, frames: u64) {
    let _ = port.set_timeout(Duration::from_millis(5));
    let mut decoder = Decoder::new();
    let mut out = [0u8; MAX_WIRE_FRAME];
    let mut seq = 0u32;
    let mut started = None;
    let mut buf = [0u8; 256];
    let mut send = |port: &mut TTYPort, msg: &Message<'_>, seq: &mut u32| {
        if let Ok(n) = encode_frame(*seq, msg, &mut out) {
            *seq += 1;
            let _ = port.write_all(&out[..n]);
        }
    };
    while started.is_none() {
        let n = port.read(&mut buf).unwrap_or(0);
        let mut cmds = Vec::new();
        decoder.feed(&buf[..n], |f| cmds.push((f.msg_type, f.seq)));
        for (t, s) in cmds {
            if t == 0x81 {
                let ch = |name| ChannelDescriptor {
                    name,
                    kind: ChannelKind::Emg,
                    unit: Unit::Microvolt,
                    width: 3,
                    scale: 0.023_437_5,
                    offset: 0.0,
                    rate_mhz: 2_000_000,
                };
                let mut channels = heapless::Vec::new();
                for name in ["a", "b", "c"] {
                    let _ = channels.push(ch(name));
                }
                let info = DeviceInfo {
                    model: "latency probe",
                    firmware: [0, 0, 1],
                    serial: "L1",
                    channels,
                };
                send(&mut port, &Message::DeviceInfo(info), &mut seq);
            } else if t == 0x82 {
                send(
                    &mut port,
                    &Message::Ack(Ack {
                        acked_type: t,
                        acked_seq: s,
                    }),
                    &mut seq,
                );
                started = Some(Instant::now());
            }
        }
    }
    let t0 = started.unwrap_or_else(Instant::now);
    let counts = [1i32, -1];
    for k in 0..frames {
        let due = t0 + Duration::from_micros(1000 * k);
        while Instant::now() < due {
            std::hint::spin_loop();
        }
        let mut channels = heapless::Vec::new();
        for _ in 0..3 {
            let _ = channels.push(SampleBlock {
                first_index: (2 * k) as u32,
                width: 3,
                data: SampleData::Counts(&counts),
            });
        }
        let stamp = epoch.elapsed().as_micros() as u64;
        send(
            &mut port,
            &Message::Samples(Samples {
                device_time_us: stamp,
                channels,
            }),
            &mut seq,
        );
    }
    std::thread::sleep(Duration::from_millis(300));
}

fn main() {
    let frames: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let epoch = Instant::now();
    let (master, slave) = TTYPort::pair().expect("pty");
    let path = slave.name().expect("pty name");
    let dev = std::thread::spawn(move || device(master, epoch, frames));
    let mut acq = Acquisition::start(AcquisitionConfig::new(&path)).expect("acquisition");
    let mut lat = Vec::with_capacity(frames as usize);
    let deadline = Instant::now() + Duration::from_secs(frames / 1000 + 10);
    while (lat.len() as u64) < frames && Instant::now() < deadline {
        match acq.pop() {
            Some(block) => {
                let now = epoch.elapsed().as_micros() as u64;
                lat.push(now.saturating_sub(block.device_time_us));
            }
            None => std::thread::yield_now(),
        }
    }
    let stats = acq.stop();
    let _ = dev.join();
    drop(slave);
    lat.sort_unstable();
    let q = |p: f64| lat[((lat.len() as f64 - 1.0) * p) as usize] as f64 / 1000.0;
    println!(
        "{{\"frames\": {}, \"p50_ms\": {:.3}, \"p99_ms\": {:.3}, \"max_ms\": {:.3}, \"crc_errors\": {}, \"gaps\": {}}}",
        lat.len(),
        q(0.5),
        q(0.99),
        lat.last().copied().unwrap_or(0) as f64 / 1000.0,
        stats.decoder.crc_errors,
        stats.gap_samples[0]
    );
}
