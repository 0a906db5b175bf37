//! Decoder throughput: a stream of typical Samples frames (two 24-bit EMG channels with 16 samples
//! each and one 16-bit pressure sample, i.e. 8 ms at 2 kHz), decoded and parsed, in bytes per second.
//! Frames per second = bytes per second / frame size (printed once at start).
//!
//! Run: `cargo bench --bench protocol_decoder`. Figures are recorded in BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use tonus_protocol::{
    encode_frame, Decoder, Message, SampleBlock, SampleData, Samples, MAX_WIRE_FRAME,
};

fn stream(frames: usize) -> (Vec<u8>, usize) {
    let emg: Vec<i32> = (0..16)
        .map(|i| (i * 40_503 % 1_000_000) - 500_000)
        .collect();
    let pressure = [6500i32];
    let mut out = Vec::new();
    let mut buf = [0u8; MAX_WIRE_FRAME];
    let mut size = 0;
    for seq in 0..frames {
        let mut channels = heapless::Vec::new();
        let first = (seq * 16) as u32;
        let _ = channels.push(SampleBlock {
            first_index: first,
            width: 3,
            data: SampleData::Counts(&emg),
        });
        let _ = channels.push(SampleBlock {
            first_index: first,
            width: 3,
            data: SampleData::Counts(&emg),
        });
        let _ = channels.push(SampleBlock {
            first_index: seq as u32 / 20,
            width: 2,
            data: SampleData::Counts(&pressure),
        });
        let msg = Message::Samples(Samples {
            device_time_us: seq as u64 * 8000,
            channels,
        });
        let n = encode_frame(seq as u32, &msg, &mut buf).expect("encodes");
        size = n;
        out.extend_from_slice(&buf[..n]);
    }
    (out, size)
}

fn bench(c: &mut Criterion) {
    let (bytes, frame_size) = stream(10_000);
    eprintln!("protocol_decoder: {} frames of {frame_size} bytes", 10_000);
    let mut group = c.benchmark_group("protocol_decoder");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    for chunk in [64usize, 4096] {
        group.bench_function(format!("samples_frames/chunk{chunk}"), |b| {
            b.iter(|| {
                let mut d = Decoder::new();
                let mut total = 0i64;
                for part in bytes.chunks(chunk) {
                    d.feed(black_box(part), |f| {
                        if let Ok(Message::Samples(s)) = f.message() {
                            for ch in &s.channels {
                                total += ch.iter().map(i64::from).sum::<i64>();
                            }
                        }
                    });
                }
                black_box(total)
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
