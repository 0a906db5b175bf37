//! Throughput of the `emg` chain (4th-order Butterworth band-pass 20–500 Hz at 2 kHz + 100 ms moving
//! RMS) on 1 and 4 channels, fed in blocks of 1, 32 and 1024 samples. Reported in samples per second
//! (all channels counted).
//!
//! Run: `cargo bench --bench emg_chain`. Figures are recorded in BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use tonus_dsp::{ChannelChain, Preset};

const FS: f64 = 2000.0;
const N: usize = 1 << 16;

/// Deterministic EMG-like test data: xorshift noise plus a slow sine, per channel.
fn data(channels: usize) -> Vec<Vec<f64>> {
    (0..channels)
        .map(|c| {
            let mut s: u64 = 0x9E37_79B9_7F4A_7C15 ^ (c as u64 + 1);
            (0..N)
                .map(|i| {
                    s ^= s << 13;
                    s ^= s >> 7;
                    s ^= s << 17;
                    let u = (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
                    40.0 * u + 10.0 * (i as f64 * 0.01).sin()
                })
                .collect()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("emg_chain");
    for channels in [1usize, 4] {
        let input = data(channels);
        for block in [1usize, 32, 1024] {
            group.throughput(Throughput::Elements((N * channels) as u64));
            group.bench_with_input(
                BenchmarkId::new(format!("{channels}ch"), format!("block{block}")),
                &block,
                |b, &block| {
                    let mut chains: Vec<ChannelChain> = (0..channels)
                        .map(|_| ChannelChain::new(&Preset::Emg.config(), FS).expect("emg preset"))
                        .collect();
                    let mut work = input.clone();
                    let mut env = vec![vec![0.0; N]; channels];
                    b.iter(|| {
                        for (w, x) in work.iter_mut().zip(&input) {
                            w.copy_from_slice(x);
                        }
                        for start in (0..N).step_by(block) {
                            let end = (start + block).min(N);
                            for ((chain, w), e) in chains.iter_mut().zip(&mut work).zip(&mut env) {
                                chain.process(&mut w[start..end], &mut e[start..end]);
                            }
                        }
                        black_box(&env);
                    });
                },
            );
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
