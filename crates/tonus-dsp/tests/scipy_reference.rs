//! tonus-dsp against SciPy: every committed vector in `tests/vectors/` (made by
//! `scripts/scipy_reference.py`, whose output CI regenerates and compares).

mod common;

use common::{floats, rms, rows, test_signal, vectors};
use tonus_dsp::{butterworth, notch, welch, Band, Biquad, BlockSos, Sos};

/// Relative agreement of two coefficients. Coefficients that are exactly zero in one design can come
/// out as ±1e-17 in the other; those are compared against the section's largest coefficient instead.
fn close(a: f64, b: f64, scale: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(scale * 1e-6)
}

#[test]
fn butterworth_matches_scipy_butter_on_the_whole_grid() {
    let doc = vectors("butter");
    let cases = doc["cases"].as_array().expect("cases");
    assert_eq!(
        cases.len(),
        800,
        "grid: 5 rates x 8 orders x 4 types x 5 cut-offs"
    );
    let mut worst = 0.0_f64;
    for case in cases {
        let order = case["order"].as_u64().expect("order") as usize;
        let fs = case["fs"].as_f64().expect("fs");
        let wn = floats(&case["wn"]);
        let band = match case["btype"].as_str().expect("btype") {
            "lowpass" => Band::LowPass { cutoff_hz: wn[0] },
            "highpass" => Band::HighPass { cutoff_hz: wn[0] },
            "bandpass" => Band::BandPass {
                low_hz: wn[0],
                high_hz: wn[1],
            },
            "bandstop" => Band::BandStop {
                low_hz: wn[0],
                high_hz: wn[1],
            },
            other => panic!("unknown btype {other}"),
        };
        let expected = rows(&case["sos"]);
        let got = butterworth(order, band, fs).expect("valid design").rows();
        assert_eq!(got.len(), expected.len(), "section count for {case}");
        for (gs, es) in got.iter().zip(&expected) {
            let scale = es.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
            for (g, e) in gs.iter().zip(es) {
                let rel = (g - e).abs() / e.abs().max(scale * 1e-6);
                worst = worst.max(rel);
                assert!(
                    close(*g, *e, scale, 1e-9),
                    "order {order} {band:?} fs {fs}: got {gs:?}, SciPy {es:?}"
                );
            }
        }
    }
    eprintln!("butter grid: worst relative coefficient difference {worst:.3e}");
}

#[test]
fn notch_matches_scipy_iirnotch() {
    let doc = vectors("notch");
    for case in doc["cases"].as_array().expect("cases") {
        let (f0, q, fs) = (
            case["f0"].as_f64().expect("f0"),
            case["q"].as_f64().expect("q"),
            case["fs"].as_f64().expect("fs"),
        );
        let b = floats(&case["b"]);
        let a = floats(&case["a"]);
        let got = notch(f0, q, fs).expect("valid notch").to_row();
        let want = [b[0], b[1], b[2], a[0], a[1], a[2]];
        for (g, w) in got.iter().zip(&want) {
            assert!(
                close(*g, *w, 1.0, 1e-12),
                "notch {f0} Hz Q {q} fs {fs}: {got:?} vs {want:?}"
            );
        }
    }
}

/// Runs `filter` (a streaming filter fed in the uneven `blocks`) on every `sosfilt` vector and checks
/// every stored sample against SciPy's to 1e-9 of max(|y|, RMS(y)).
fn check_against_sosfilt(
    blocks: &[usize],
    mut filter: impl FnMut(&Sos) -> Box<dyn FnMut(&mut [f64])>,
) {
    let doc = vectors("sosfilt");
    for case in doc["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let sos = Sos::from_rows(&rows(&case["sos"]));
        let n = case["n"].as_u64().expect("n") as usize;
        assert_eq!(n, 100_000);
        let stride = case["stride"].as_u64().expect("stride") as usize;
        let mut y = test_signal(case["seed"].as_u64().expect("seed"), n);
        let mut run = filter(&sos);
        let mut start = 0;
        for len in blocks.iter().cycle() {
            if start >= n {
                break;
            }
            let end = (start + len).min(n);
            run(&mut y[start..end]);
            start = end;
        }
        let want = floats(&case["y"]);
        let scale = rms(&want);
        let close = |g: f64, w: f64| (g - w).abs() <= 1e-9 * w.abs().max(scale);
        for (i, w) in want.iter().enumerate() {
            let g = y[i * stride];
            assert!(
                close(g, *w),
                "{name}: sample {} got {g}, SciPy {w}",
                i * stride
            );
        }
        for (g, w) in y[n - 100..].iter().zip(&floats(&case["y_tail"])) {
            assert!(close(*g, *w), "{name}: tail {g} vs {w}");
        }
    }
}

#[test]
fn streaming_cascade_matches_scipy_sosfilt_on_100k_samples() {
    check_against_sosfilt(&[1, 7, 64, 1000, 333, 2], |sos| {
        let sos = sos.clone();
        let mut state = sos.new_state();
        Box::new(move |x| sos.process_in_place(&mut state, x))
    });
}

#[test]
fn block_cascade_matches_scipy_sosfilt_on_100k_samples() {
    check_against_sosfilt(&[3, 8, 1000, 1, 13, 4096], |sos| {
        // Whichever form the probe chose (the 0.5 Hz order-8 high-pass keeps the per-sample form;
        // the presets' block form is asserted in properties.rs), the output must be SciPy's.
        let fast = BlockSos::new(sos);
        let mut state = fast.new_state();
        Box::new(move |x| fast.process_in_place(&mut state, x))
    });
}

#[test]
fn zero_phase_matches_scipy_sosfiltfilt() {
    let doc = vectors("sosfiltfilt");
    for case in doc["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let sos = Sos::from_rows(&rows(&case["sos"]));
        let n = case["n"].as_u64().expect("n") as usize;
        let stride = case["stride"].as_u64().expect("stride") as usize;
        let x = test_signal(case["seed"].as_u64().expect("seed"), n);
        let y = sos.filtfilt(&x).expect("long enough");
        assert_eq!(y.len(), n);
        let want = floats(&case["y"]);
        let scale = rms(&want);
        let check = |g: f64, w: f64, at: usize| {
            assert!(
                (g - w).abs() <= 1e-8 * w.abs().max(scale),
                "{name}: sample {at} got {g}, SciPy {w}"
            );
        };
        for (i, w) in want.iter().enumerate() {
            check(y[i * stride], *w, i * stride);
        }
        for (i, w) in floats(&case["y_head"]).iter().enumerate() {
            check(y[i], *w, i);
        }
        for (i, w) in floats(&case["y_tail"]).iter().enumerate() {
            check(y[n - 200 + i], *w, n - 200 + i);
        }
    }
}

#[test]
fn welch_matches_scipy_welch_and_its_fatigue_frequencies() {
    let doc = vectors("welch");
    for case in doc["cases"].as_array().expect("cases") {
        let n = case["n"].as_u64().expect("n") as usize;
        let fs = case["fs"].as_f64().expect("fs");
        let tone = case["tone_hz"].as_f64().expect("tone");
        let amp = case["tone_amplitude"].as_f64().expect("amp");
        let x: Vec<f64> = test_signal(case["seed"].as_u64().expect("seed"), n)
            .into_iter()
            .enumerate()
            .map(|(i, v)| v + amp * (2.0 * std::f64::consts::PI * tone * i as f64 / fs).sin())
            .collect();
        let psd = welch(&x, fs).expect("valid");
        let want = floats(&case["psd"]);
        let freqs = floats(&case["freqs"]);
        assert_eq!(psd.density.len(), want.len(), "bins for n = {n}");
        let peak = want.iter().fold(0.0_f64, |m, v| m.max(*v));
        for (k, (g, w)) in psd.density.iter().zip(&want).enumerate() {
            assert!(
                (g - w).abs() <= 1e-9 * w.abs().max(peak * 1e-6),
                "n {n} bin {k}: got {g}, SciPy {w}"
            );
            assert!((psd.freqs[k] - freqs[k]).abs() <= 1e-12 * freqs[k].max(1.0));
        }
        let median = psd.median_frequency().expect("power");
        let mean = psd.mean_frequency().expect("power");
        assert_eq!(median, case["median_frequency"].as_f64().expect("median"));
        let want_mean = case["mean_frequency"].as_f64().expect("mean");
        assert!(
            (mean - want_mean).abs() <= 1e-9 * want_mean,
            "{mean} vs {want_mean}"
        );
    }
}

#[test]
fn biquad_rows_round_trip() {
    let row = [0.1, 0.2, 0.1, 1.0, -1.5, 0.6];
    assert_eq!(Biquad::from_row(row).to_row(), row);
}
