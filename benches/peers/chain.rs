//! The Tonus side of `benches/peers/chain_vs_scipy.py`: times the `emg` chain (band-pass 20–500 Hz
//! order 4 + 100 ms moving RMS at 2 kHz) on a float64 little-endian file and prints one JSON line.
//!
//! `cargo bench --bench peers_chain -- FILE.f64 [REPS] [ENVELOPE_OUT.f64]`; without FILE it runs on
//! 7.2 M generated samples (so `cargo bench` still exercises it).

use std::hint::black_box;
use std::time::Instant;

use tonus_dsp::{ChannelChain, Preset};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let (x, source) = match args.first() {
        Some(path) => {
            let raw = std::fs::read(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
            let x: Vec<f64> = raw
                .chunks_exact(8)
                .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
                .collect();
            (x, path.clone())
        }
        None => {
            let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
            let x = (0..7_200_000)
                .map(|_| {
                    s ^= s << 13;
                    s ^= s >> 7;
                    s ^= s << 17;
                    (s >> 11) as f64 / (1u64 << 53) as f64 * 100.0 - 50.0
                })
                .collect();
            (x, "generated".to_string())
        }
    };
    let reps: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(7);
    let n = x.len();
    let mut work = x.clone();
    let mut env = vec![0.0; n];
    let mut run = || {
        let mut chain = ChannelChain::new(&Preset::Emg.config(), 2000.0).expect("emg preset");
        work.copy_from_slice(&x);
        let t0 = Instant::now();
        chain.process(black_box(&mut work[..]), &mut env[..]);
        t0.elapsed().as_secs_f64()
    };
    run(); // warm-up
    let mut times: Vec<f64> = (0..reps).map(|_| run()).collect();
    let listed = times.clone();
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    if let Some(out) = args.get(2) {
        let bytes: Vec<u8> = env.iter().flat_map(|v| v.to_le_bytes()).collect();
        std::fs::write(out, bytes).unwrap_or_else(|e| panic!("write {out}: {e}"));
    }
    println!(
        "{{\"peer\": \"tonus\", \"fixture\": \"{source}\", \"n_samples\": {n}, \"times_s\": {listed:?}, \
         \"median_s\": {median:.6}, \"samples_per_s\": {:.4e}}}",
        n as f64 / median
    );
}
