//! The minimal in-process sensor the latency benches share: it answers Hello and Start, then
//! sends `frames` Samples frames at 1 kHz (two samples per channel, three 24-bit EMG channels at
//! 2 kHz), each stamped with the shared monotonic clock just before it is written.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use serialport::{SerialPort, TTYPort};
use tonus_protocol::{
    encode_frame, Ack, ChannelDescriptor, ChannelKind, Decoder, DeviceInfo, Message, SampleBlock,
    SampleData, Samples, Unit, MAX_WIRE_FRAME,
};

/// Runs the sensor on `port` until it has sent `frames` frames.
pub fn device(mut port: TTYPort, epoch: Instant, frames: u64) {
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
