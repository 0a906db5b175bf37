//! A device that sends CRC-valid frames a real one must not (issue 21): a frame with fewer channels
//! than it described, a frame overlapping the one before, a sample index leaping by 2³¹, then 20 s
//! worth of random bytes. Nothing is shifted in time, no cell is left empty, the leap is declared a
//! discontinuity (not a gap of 2³¹ samples), and the link's errors are counted and reported.

use std::io::{Read, Write};

use serialport::SerialPort;
use std::time::{Duration, Instant};

use tonus_core::SampleBlock;
use tonus_io::serial::{AcqEvent, Acquisition, AcquisitionConfig};
use tonus_protocol::{
    encode_frame, Ack, ChannelDescriptor, ChannelKind, DeviceInfo, Message, SampleData, Samples,
    Unit, MAX_WIRE_FRAME,
};

/// The first indices of the scripted frames (each 10 samples per channel, both channels), and
/// how many channels each carries.
const SCRIPT: [(u32, usize); 7] = [
    (0, 2),
    (10, 2),
    (20, 1), // fewer channels than described: refused
    (15, 2), // overlaps the last five samples of the frame at 10
    (25, 2),
    (25 + (1 << 31), 2), // a leap of 2³¹: a discontinuity, not a gap
    (35 + (1 << 31), 2),
];

fn frame(seq: u32, msg: &Message<'_>) -> Vec<u8> {
    let mut out = [0u8; MAX_WIRE_FRAME];
    let n = encode_frame(seq, msg, &mut out).expect("encodes");
    out[..n].to_vec()
}

/// Answers Hello, Start and Locate (Nack: no sample clock), then sends the script and the random bytes.
fn fake_device(mut port: serialport::TTYPort) {
    let _ = port.set_timeout(Duration::from_millis(20));
    let mut seq = 0;
    let mut buf = [0u8; 256];
    let mut decoder = tonus_protocol::Decoder::new();
    let mut started = false;
    let until = Instant::now() + Duration::from_secs(5);
    while !started && Instant::now() < until {
        let n = port.read(&mut buf).unwrap_or(0);
        let mut answers: Vec<Vec<u8>> = Vec::new();
        decoder.feed(&buf[..n], |f| match f.message() {
            Ok(Message::Hello) => {
                let mut channels = heapless::Vec::new();
                for name in ["pelvic", "abdominal"] {
                    let _ = channels.push(ChannelDescriptor {
                        name,
                        kind: ChannelKind::Emg,
                        unit: Unit::Microvolt,
                        width: 2,
                        scale: 0.5,
                        offset: 0.0,
                        rate_mhz: 1_000_000,
                    });
                }
                let info = DeviceInfo {
                    model: "scripted",
                    firmware: [0, 0, 1],
                    serial: "X",
                    channels,
                };
                answers.push(frame(seq, &Message::DeviceInfo(info)));
            }
            Ok(Message::Start) => {
                answers.push(frame(
                    seq,
                    &Message::Ack(Ack {
                        acked_type: f.msg_type,
                        acked_seq: f.seq,
                    }),
                ));
            }
            // A device without a sample clock (spec: Nack(1) to a type it does not know).
            Ok(Message::Locate) => {
                answers.push(frame(
                    seq,
                    &Message::Nack(tonus_protocol::Nack {
                        acked_type: f.msg_type,
                        acked_seq: f.seq,
                        reason: 1,
                    }),
                ));
                started = true;
            }
            _ => {}
        });
        for a in answers {
            let _ = port.write_all(&a);
            seq += 1;
        }
    }
    let counts: Vec<i32> = (0..10).collect();
    for (first, channels) in SCRIPT {
        let mut blocks = heapless::Vec::new();
        for _ in 0..channels {
            let _ = blocks.push(tonus_protocol::SampleBlock {
                first_index: first,
                width: 2,
                data: SampleData::Counts(&counts),
            });
        }
        let msg = Message::Samples(Samples {
            device_time_us: 0,
            channels: blocks,
        });
        let _ = port.write_all(&frame(seq, &msg));
        seq += 1;
        std::thread::sleep(Duration::from_millis(20));
    }
    // Random bytes (a fixed xorshift stream), as a device gone wrong would send.
    let mut x = 0x9E37_79B9_u32;
    let noise: Vec<u8> = (0..20_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    let _ = port.write_all(&noise);
    std::thread::sleep(Duration::from_millis(600));
}

#[test]
fn malformed_frames_are_refused_overlaps_trimmed_leaps_declared_and_noise_counted() {
    let (master, slave) = serialport::TTYPort::pair().expect("pty");
    let path = slave.name().expect("name");
    let device = std::thread::spawn(move || fake_device(master));
    let mut acq = Acquisition::start(AcquisitionConfig::new(&path)).expect("handshake");
    let mut blocks: Vec<SampleBlock> = Vec::new();
    let until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < until {
        while let Some(b) = acq.pop() {
            blocks.push(b);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let events: Vec<AcqEvent> = acq.events().try_iter().collect();
    let stats = acq.stop();
    while let Some(b) = acq.pop() {
        blocks.push(b);
    }
    let _ = device.join();
    drop(slave);
    // Per channel: the samples kept, in order, each at its index: no overlap, no empty cell.
    for c in 0..2 {
        let mut next = 0u64;
        let mut values = Vec::new();
        for b in &blocks {
            assert!(
                b.first_sample[c] >= next,
                "channel {c}: time goes backwards at block {}",
                b.seq
            );
            assert_eq!(
                b.gap_before[c],
                b.first_sample[c] - next,
                "channel {c}: undeclared jump"
            );
            next = b.first_sample[c] + b.samples(c).len() as u64;
            values.extend_from_slice(b.samples(c));
        }
        assert!(
            values.iter().all(|v| v.is_finite()),
            "channel {c}: an empty cell"
        );
        // Frames at 0, 10, then 15 trimmed to 20..25, 25, then two after the leap: 10 + 10 + 5 + 10 + 20.
        assert_eq!(values.len(), 55, "channel {c}");
        assert_eq!(next, 55, "channel {c}: the leap added no gap");
    }
    assert!(
        blocks.iter().any(|b| b.discontinuity),
        "the leap is declared on its block"
    );
    assert_eq!(stats.malformed_frames, 1);
    assert_eq!(stats.overlap_samples, 2 * 5);
    assert_eq!(stats.discontinuities, 2, "one per channel");
    assert!(events
        .iter()
        .any(|e| matches!(e, AcqEvent::Discontinuity { .. })));
    assert!(
        stats.broken_frames() > 0,
        "the random bytes: {:?}",
        stats.decoder
    );
    assert!(stats.link_suspect(), "{}", stats.summary(2));
    let line = stats.summary(2);
    for part in [
        "CRC errors",
        "framing errors",
        "length errors",
        "refused frames 1",
        "discontinuities 2",
    ] {
        assert!(line.contains(part), "{part} in {line}");
    }
}
