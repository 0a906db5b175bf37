//! Property tests of tonus-dsp: physical behaviour (DC settling and rejection, sine RMS) and
//! block-size invariance of every streaming processor.

#[path = "common/signal.rs"]
mod signal;

use proptest::prelude::*;
use tonus_dsp::{
    butterworth, mains_notches, Band, BlockRms, BlockSos, ChainConfig, ChannelChain,
    LinearEnvelope, Mains, MovingRms, Preset, Sos,
};

/// Any valid band for `fs`, with edges from `a`, `b` in (0, 1) mapped into (0.5 Hz, 0.45 fs).
fn band_from(kind: u8, a: f64, b: f64, fs: f64) -> Band {
    let lo_f = 0.5;
    let hi_f = 0.45 * fs;
    let f = |u: f64| lo_f * (hi_f / lo_f).powf(u); // log-uniform
    let (x, y) = (f(a.min(b)), f(a.max(b)));
    let (x, y) = if y / x < 1.05 {
        (x, (x * 1.05).min(hi_f))
    } else {
        (x, y)
    };
    let x = if y <= x { y / 1.05 } else { x };
    match kind % 4 {
        0 => Band::LowPass { cutoff_hz: x },
        1 => Band::HighPass { cutoff_hz: x },
        2 => Band::BandPass {
            low_hz: x,
            high_hz: y,
        },
        _ => Band::BandStop {
            low_hz: x,
            high_hz: y,
        },
    }
}

/// Cuts `n` samples into blocks whose lengths cycle through `sizes` (each at least 1).
fn blocks(n: usize, sizes: &[usize]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while start < n {
        let len = sizes[i % sizes.len()].max(1);
        out.push((start, (start + len).min(n)));
        start += len;
        i += 1;
    }
    out
}

fn signal(seed: u64, n: usize) -> Vec<f64> {
    signal::test_signal(seed, n)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn lowpass_settles_to_the_dc_level(order in 1usize..=8, fs in 250.0f64..4000.0,
                                       frac in 0.02f64..0.4, dc in -1000.0f64..1000.0) {
        let sos = butterworth(order, Band::LowPass { cutoff_hz: frac * fs }, fs).unwrap();
        let mut x = vec![dc; 20_000];
        let mut st = sos.new_state();
        sos.process_in_place(&mut st, &mut x);
        let last = x[x.len() - 1];
        prop_assert!((last - dc).abs() <= 1e-6 * dc.abs().max(1.0), "settled to {last}, DC {dc}");
    }

    #[test]
    fn highpass_and_bandpass_reject_dc(order in 1usize..=8, fs in 250.0f64..4000.0,
                                       frac in 0.01f64..0.2, width in 1.2f64..4.0,
                                       bandpass in any::<bool>(), dc in -1000.0f64..1000.0) {
        let lo = frac * fs;
        let band = if bandpass {
            Band::BandPass { low_hz: lo, high_hz: (lo * width).min(0.45 * fs) }
        } else {
            Band::HighPass { cutoff_hz: lo }
        };
        let sos = butterworth(order, band, fs).unwrap();
        prop_assert!(sos.dc_gain().abs() < 1e-9, "DC gain {}", sos.dc_gain());
        let mut x = vec![dc; 20_000];
        let mut st = sos.new_state();
        sos.process_in_place(&mut st, &mut x);
        let last = x[x.len() - 1];
        prop_assert!(last.abs() <= 1e-6 * dc.abs().max(1.0), "left {last} of DC {dc}");
    }

    #[test]
    fn every_filter_type_is_block_size_invariant(kind in 0u8..4, order in 1usize..=8,
                                                 fs in 250.0f64..4000.0, a in 0.0f64..1.0,
                                                 b in 0.0f64..1.0, seed in any::<u64>(),
                                                 sizes in prop::collection::vec(1usize..300, 1..8)) {
        let sos = butterworth(order, band_from(kind, a, b, fs), fs).unwrap();
        let x = signal(seed, 3_000);
        let mut whole = x.clone();
        sos.process_in_place(&mut sos.new_state(), &mut whole);
        let mut cut = x.clone();
        let mut st = sos.new_state();
        for (s, e) in blocks(x.len(), &sizes) {
            sos.process_in_place(&mut st, &mut cut[s..e]);
        }
        prop_assert!(whole.iter().zip(&cut).all(|(p, q)| p.to_bits() == q.to_bits()));
        // f32 samples and out-of-place processing take the same path.
        let x32: Vec<f32> = x.iter().map(|v| *v as f32).collect();
        let mut whole32 = vec![0.0f32; x.len()];
        sos.process(&mut sos.new_state(), &x32, &mut whole32);
        let mut cut32 = vec![0.0f32; x.len()];
        let mut st = sos.new_state();
        for (s, e) in blocks(x.len(), &sizes) {
            sos.process(&mut st, &x32[s..e], &mut cut32[s..e]);
        }
        prop_assert!(whole32.iter().zip(&cut32).all(|(p, q)| p.to_bits() == q.to_bits()));
    }

    #[test]
    fn notch_rms_envelope_and_chain_are_block_size_invariant(
        seed in any::<u64>(), sizes in prop::collection::vec(1usize..500, 1..8),
        fs in prop::sample::select(vec![500.0, 1000.0, 2000.0, 4000.0]),
        mains in prop::sample::select(vec![Mains::Hz50, Mains::Hz60])) {
        let x = signal(seed, 4_000);
        let run = |cuts: &[(usize, usize)]| {
            let notches = mains_notches(mains, 30.0, fs, true).unwrap();
            let mut nst = notches.new_state();
            let mut rms = MovingRms::with_duration(0.1, fs).unwrap();
            let mut env = LinearEnvelope::new(6.0, 2, fs).unwrap();
            let cfg = ChainConfig { mains: Some(mains), ..Preset::Emg.config() };
            let mut chain = ChannelChain::new(&cfg, fs).unwrap();
            let mut outs = vec![x.clone(), x.clone(), x.clone(), x.clone(), vec![0.0; x.len()]];
            for &(s, e) in cuts {
                notches.process_in_place(&mut nst, &mut outs[0][s..e]);
                rms.process_in_place(&mut outs[1][s..e]);
                env.process_in_place(&mut outs[2][s..e]);
                let (data, rest) = outs.split_at_mut(4);
                chain.process(&mut data[3][s..e], &mut rest[0][s..e]);
            }
            outs
        };
        let whole = run(&[(0, x.len())]);
        let cut = run(&blocks(x.len(), &sizes));
        for (w, c) in whole.iter().zip(&cut) {
            prop_assert!(w.iter().zip(c).all(|(p, q)| p.to_bits() == q.to_bits()));
        }
    }

    #[test]
    fn block_cascade_is_block_size_invariant_and_equals_the_per_sample_cascade(
        kind in 0u8..4, order in 1usize..=8, fs in 250.0f64..4000.0, a in 0.0f64..1.0,
        b in 0.0f64..1.0, seed in any::<u64>(), notches in any::<bool>(),
        sizes in prop::collection::vec(1usize..40, 1..8)) {
        let mut sos = butterworth(order, band_from(kind, a, b, fs), fs).unwrap();
        if notches {
            sos = sos.then(&mains_notches(Mains::Hz50, 30.0, fs, true).unwrap());
        }
        let fast = BlockSos::new(&sos);
        let x = signal(seed, 3_000);
        let mut reference = x.clone();
        sos.process_in_place(&mut sos.new_state(), &mut reference);
        let mut whole = x.clone();
        fast.process_in_place(&mut fast.new_state(), &mut whole);
        let mut cut = x.clone();
        let mut st = fast.new_state();
        for (s, e) in blocks(x.len(), &sizes) {
            fast.process_in_place(&mut st, &mut cut[s..e]);
        }
        prop_assert!(whole.iter().zip(&cut).all(|(p, q)| p.to_bits() == q.to_bits()));
        // Out of place, cut differently: the very same bits.
        let mut out = vec![0.0; x.len()];
        let mut st = fast.new_state();
        let mut at = 0;
        for (k, (s, e)) in blocks(x.len(), &sizes).into_iter().enumerate() {
            // Alternate in-place and out-of-place calls on one state.
            if k % 2 == 0 {
                fast.process(&mut st, &x[s..e], &mut out[s..e]);
            } else {
                out[s..e].copy_from_slice(&x[s..e]);
                fast.process_in_place(&mut st, &mut out[s..e]);
            }
            at = e;
        }
        prop_assert_eq!(at, x.len());
        prop_assert!(whole.iter().zip(&out).all(|(p, q)| p.to_bits() == q.to_bits()));
        let peak = reference.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-300);
        let err = whole.iter().zip(&reference).fold(0.0f64, |m, (p, q)| m.max((p - q).abs())) / peak;
        prop_assert!(err <= 1e-9, "block vs per-sample: {err:.2e} of peak");
        // f32 samples take the conversion path and stay block-size invariant.
        let x32: Vec<f32> = x.iter().map(|v| *v as f32).collect();
        let mut w32 = x32.clone();
        fast.process_in_place(&mut fast.new_state(), &mut w32);
        let mut c32 = x32.clone();
        let mut st = fast.new_state();
        for (s, e) in blocks(x.len(), &sizes) {
            fast.process_in_place(&mut st, &mut c32[s..e]);
        }
        prop_assert!(w32.iter().zip(&c32).all(|(p, q)| p.to_bits() == q.to_bits()));
    }

    #[test]
    fn block_rms_is_block_size_invariant_and_equals_the_per_sample_rms(
        seed in any::<u64>(), window in 1usize..300,
        sizes in prop::collection::vec(1usize..40, 1..8)) {
        let x = signal(seed, 2_000);
        let mut reference = vec![0.0; x.len()];
        MovingRms::new(window).unwrap().process(&x, &mut reference);
        let mut whole = vec![0.0; x.len()];
        BlockRms::new(window).unwrap().process(&x, &mut whole);
        let mut cut = vec![0.0; x.len()];
        let mut r = BlockRms::new(window).unwrap();
        for (s, e) in blocks(x.len(), &sizes) {
            r.process(&x[s..e], &mut cut[s..e]);
        }
        prop_assert!(whole.iter().zip(&cut).all(|(p, q)| p.to_bits() == q.to_bits()));
        // Both are running sums resynchronised once per window: their mean squares carry at most
        // ε × (a few window lengths of operations) × (the largest square) of rounding, which for
        // windows under 300 samples is below 1e-12 of the largest square.
        let peak_sq = x.iter().fold(0.0f64, |m, v| m.max(v * v));
        for (i, (g, w)) in whole.iter().zip(&reference).enumerate() {
            prop_assert!((g * g - w * w).abs() <= 1e-12 * peak_sq, "sample {i}: {g} vs {w}");
        }
    }

    #[test]
    fn rms_of_a_sine_tends_to_amplitude_over_root_two(amp in 0.001f64..1e4, f in 20.0f64..400.0,
                                                      phase in 0.0f64..std::f64::consts::TAU, window_s in 0.05f64..0.5) {
        let fs = 2000.0;
        let mut rms = MovingRms::with_duration(window_s, fs).unwrap();
        let w = rms.window();
        let mut last = 0.0;
        for i in 0..(3 * w) {
            last = rms.push(amp * (2.0 * std::f64::consts::PI * f * i as f64 / fs + phase).sin());
        }
        // Over W samples, |Σ cos(2θn + c)| ≤ 1/|sin θ| (θ = 2πf/fs), so the mean of sin² differs from
        // 1/2 by a relative δ ≤ 1/(W·|sin θ|) and the RMS from A/√2 by at most 1 − √(1 − δ).
        let theta = 2.0 * std::f64::consts::PI * f / fs;
        let delta = 1.0 / (w as f64 * theta.sin().abs());
        let bound = 1.0 - (1.0 - delta).sqrt() + 1e-9;
        let want = amp / 2f64.sqrt();
        prop_assert!((last - want).abs() <= want * bound, "rms {last}, want {want} ± {}", want * bound);
    }
}

#[test]
fn linear_envelope_is_rectification_then_its_lowpass() {
    let x = signal(8, 5000);
    let mut env = LinearEnvelope::new(6.0, 2, 2000.0).unwrap();
    let mut got = x.clone();
    env.process_in_place(&mut got);
    let lp = butterworth(2, Band::LowPass { cutoff_hz: 6.0 }, 2000.0).unwrap();
    let mut want: Vec<f64> = x.iter().map(|v| v.abs()).collect();
    lp.process_in_place(&mut lp.new_state(), &mut want);
    assert_eq!(got, want);
    // The envelope of |noise of amplitude 100 around 30| settles near the mean of |x|.
    let mean_abs = x.iter().map(|v| v.abs()).sum::<f64>() / x.len() as f64;
    assert!(
        (got[4999] - mean_abs).abs() < 0.1 * mean_abs,
        "{} vs {mean_abs}",
        got[4999]
    );
}

#[test]
fn moving_rms_does_not_drift_over_1e8_samples() {
    // Loud bursts (1e6) alternating with quiet stretches (1e-3): a plain running sum loses the quiet
    // signal entirely after the first burst. After 10^8 samples the RMS must still equal the RMS of the
    // last window computed directly.
    let window = 200;
    let mut rms = MovingRms::new(window).unwrap();
    let mut s: u64 = 42;
    let mut ring = vec![0.0f64; window];
    let mut last = 0.0;
    let n: u64 = 100_000_000;
    for i in 0..n {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let u = (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
        let loud = (i / 1_000_003) % 2 == 0 && i < n - 10_000_000;
        let x = if loud { u * 1e6 } else { u * 1e-3 };
        ring[(i % window as u64) as usize] = x;
        last = rms.push(x);
    }
    let exact = (ring.iter().map(|v| v * v).sum::<f64>() / window as f64).sqrt();
    assert!(
        (last - exact).abs() <= 1e-9 * exact,
        "rms {last}, exact {exact}"
    );
}

#[test]
fn presets_run_in_block_form_and_ill_conditioned_designs_fall_back() {
    for fs in [500.0, 1000.0, 2000.0, 4000.0] {
        for preset in [Preset::Emg, Preset::EmgEcgSafe] {
            for mains in [None, Some(Mains::Hz50), Some(Mains::Hz60)] {
                let sos = ChainConfig {
                    mains,
                    ..preset.config()
                }
                .design(fs)
                .unwrap();
                assert!(
                    BlockSos::new(&sos).is_block_form(),
                    "{preset} {mains:?} at {fs} Hz"
                );
            }
        }
    }
    let pressure = Preset::Pressure.config().design(100.0).unwrap();
    assert!(BlockSos::new(&pressure).is_block_form());
    // Order-8 band-stop 0.5–1800 Hz at 4 kHz: the block form is off by 90 % of peak here, so the
    // probe must reject it and the output must equal the per-sample cascade exactly.
    let sos = butterworth(
        8,
        Band::BandStop {
            low_hz: 0.5,
            high_hz: 1800.0,
        },
        4000.0,
    )
    .unwrap();
    let fast = BlockSos::new(&sos);
    assert!(!fast.is_block_form());
    let x = signal(5, 20_000);
    let mut a = x.clone();
    sos.process_in_place(&mut sos.new_state(), &mut a);
    let mut b = x;
    fast.process_in_place(&mut fast.new_state(), &mut b);
    assert_eq!(a, b);
}

#[test]
fn block_paths_are_invariant_on_signed_zeros_and_silence() {
    // Exact zeros (of both signs) are where zero padding could show; outputs must still match.
    let sos = Preset::Emg.config().design(2000.0).unwrap();
    let fast = BlockSos::new(&sos);
    let x: Vec<f64> = (0..200)
        .map(|i| {
            if i % 3 == 0 {
                -0.0
            } else if i < 100 {
                0.0
            } else {
                1.0
            }
        })
        .collect();
    let mut whole = x.clone();
    fast.process_in_place(&mut fast.new_state(), &mut whole);
    let mut one = x.clone();
    let mut st = fast.new_state();
    for v in one.chunks_mut(1) {
        fast.process_in_place(&mut st, v);
    }
    assert!(whole
        .iter()
        .zip(&one)
        .all(|(p, q)| p.to_bits() == q.to_bits()));
    assert!(
        whole[..100].iter().all(|v| v.to_bits() == 0.0f64.to_bits()),
        "silence gives +0"
    );
}

#[test]
fn block_rms_does_not_drift_over_1e8_samples() {
    let window = 200;
    let mut rms = BlockRms::new(window).unwrap();
    let mut s: u64 = 42;
    let n: usize = 100_000_000;
    let chunk = 4096;
    let mut x = vec![0.0; chunk];
    let mut out = vec![0.0; chunk];
    let mut done = 0;
    let mut len = 0;
    while done < n {
        len = chunk.min(n - done);
        for (k, v) in x[..len].iter_mut().enumerate() {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let u = (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            let i = done + k;
            let loud = (i / 1_000_003) % 2 == 0 && i < n - 10_000_000;
            *v = if loud { u * 1e6 } else { u * 1e-3 };
        }
        rms.process(&x[..len], &mut out[..len]);
        done += len;
    }
    assert!(len >= window, "the last chunk holds the whole last window");
    let tail = &x[len - window..len];
    let exact = (tail.iter().map(|v| v * v).sum::<f64>() / window as f64).sqrt();
    let got = out[len - 1];
    assert!(
        (got - exact).abs() <= 1e-9 * exact,
        "rms {got}, exact {exact}"
    );
}

#[test]
fn an_empty_cascade_passes_the_signal_through() {
    let sos = Sos::default();
    let mut x = signal(9, 100);
    let want = x.clone();
    sos.process_in_place(&mut sos.new_state(), &mut x);
    assert_eq!(x, want);
}

#[test]
fn centered_rms_equals_the_direct_windowed_computation() {
    let x = signal(11, 2_001);
    for window in [1usize, 2, 7, 200, 201, 5_000] {
        let got = tonus_dsp::centered_rms(&x, window);
        let (before, after) = ((window - 1) / 2, window / 2);
        for (i, g) in got.iter().enumerate() {
            let lo = i.saturating_sub(before);
            let hi = (i + after + 1).min(x.len());
            let w = &x[lo..hi];
            let want = (w.iter().map(|v| v * v).sum::<f64>() / w.len() as f64).sqrt();
            assert!(
                (g - want).abs() <= 1e-12 * want,
                "window {window} sample {i}: {g} vs {want}"
            );
        }
    }
}
