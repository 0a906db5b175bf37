//! End-to-end tests of `tonus filter` on the committed demo fixture and on malformed files.
//!
//! The fixture's ground truth comes from `scripts/make_demo_fixture.py`: rest 2 µV RMS EMG with a
//! 15 µV electrode offset and 50 Hz hum (3 µV peak); contractions at 3.5–5.0 s and 5.5–7.0 s (30 µV)
//! and 7.5–10.0 s (25 µV); pressure 60 mmHg at rest, +40 mmHg per contraction.

use std::path::{Path, PathBuf};
use std::process::Command;

use tonus_dsp::{welch, ChainConfig, ChannelChain, Preset};
use tonus_io::csv::read_recording;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo_session.csv")
}

fn tonus(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tonus"))
        .args(args)
        .output()
        .expect("run tonus")
}

/// Runs `tonus filter FIXTURE -o OUT extra...`; returns the output columns.
fn filter(dir: &tempfile::TempDir, name: &str, extra: &[&str]) -> (tonus_core::Recording, String) {
    filter_file(dir, &fixture(), name, extra)
}

/// Runs `tonus filter INPUT -o OUT extra...`; returns the output columns and text.
fn filter_file(
    dir: &tempfile::TempDir,
    input: &Path,
    name: &str,
    extra: &[&str],
) -> (tonus_core::Recording, String) {
    let out = dir.path().join(name);
    let mut args = vec![
        "filter",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = tonus(&args);
    assert!(
        o.status.success(),
        "tonus filter failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    (read_recording(&out, None).unwrap(), text)
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

fn span(x: &[f64], fs: f64, a: f64, b: f64) -> &[f64] {
    &x[(a * fs) as usize..(b * fs) as usize]
}

#[test]
fn keeps_layout_time_and_markers_and_removes_emg_offset() {
    let dir = tempfile::tempdir().unwrap();
    let input = read_recording(&fixture(), None).unwrap();
    let (out, text) = filter(&dir, "causal.csv", &[]);
    let src = std::fs::read_to_string(fixture()).unwrap();
    assert_eq!(text.lines().next(), src.lines().next(), "header");
    assert_eq!(text.lines().count(), src.lines().count(), "rows");
    for (a, b) in text.lines().zip(src.lines()).skip(1).step_by(997) {
        let (ta, tb) = (a.split(',').next(), b.split(',').next());
        assert_eq!(ta, tb, "t column copied verbatim");
        assert_eq!(
            a.rsplit(',').next(),
            b.rsplit(',').next(),
            "marker copied verbatim"
        );
    }
    assert_eq!(out.markers, input.markers);
    // The 15 µV electrode offset is gone from the band-passed EMG (rest 1–3 s, after settling).
    let fs = 1000.0;
    assert!(mean(span(&input.samples[0], fs, 1.0, 3.0)) > 10.0);
    assert!(mean(span(&out.samples[0], fs, 1.0, 3.0)).abs() < 0.3);
    // The pressure low-pass keeps the resting level and the squeeze.
    let rest = mean(span(&out.samples[2], fs, 1.0, 3.0));
    let hold = mean(span(&out.samples[2], fs, 8.5, 9.5));
    assert!((rest - 60.0).abs() < 2.0, "rest {rest}");
    assert!(
        (hold - rest - 40.0).abs() < 3.0,
        "squeeze increment {}",
        hold - rest
    );
}

#[test]
fn output_equals_the_library_chain_sample_for_sample() {
    let dir = tempfile::tempdir().unwrap();
    let input = read_recording(&fixture(), None).unwrap();
    let (out, _) = filter(&dir, "chain.csv", &["--preset", "emg-ecg-safe"]);
    for (c, (x, y)) in input.samples.iter().zip(&out.samples).enumerate() {
        let preset = if c < 2 {
            Preset::EmgEcgSafe
        } else {
            Preset::Pressure
        };
        let mut chain = ChannelChain::new(&preset.config(), 1000.0).unwrap();
        let mut want = x.clone();
        chain.filter(&mut want);
        assert_eq!(&want, y, "channel {c}");
    }
}

#[test]
fn notch_removes_mains_hum() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, _) = filter(&dir, "plain.csv", &[]);
    let (notched, _) = filter(&dir, "notched.csv", &["--notch", "50"]);
    let rest = |r: &tonus_core::Recording| span(&r.samples[0], 1000.0, 0.5, 3.0).to_vec();
    let power_at = |x: &[f64], f: f64| {
        let p = welch(x, 1000.0).unwrap();
        let k = p.freqs.iter().position(|&q| (q - f).abs() < 2.0).unwrap();
        p.density[k]
    };
    let ratio_db =
        10.0 * (power_at(&rest(&plain), 50.78) / power_at(&rest(&notched), 50.78)).log10();
    assert!(ratio_db > 15.0, "50 Hz reduced by only {ratio_db:.1} dB");
}

#[test]
fn rms_envelope_tracks_contraction_levels() {
    let dir = tempfile::tempdir().unwrap();
    let (env, _) = filter(&dir, "env.csv", &["--envelope", "rms", "--notch", "50"]);
    let fs = 1000.0;
    let rest = mean(span(&env.samples[0], fs, 1.0, 3.0));
    let hold = mean(span(&env.samples[0], fs, 8.0, 9.5));
    // Same noise spectrum at rest and in the hold, so the band-pass keeps the same fraction of both and
    // the ratio is the generator's 25 µV / 2 µV, once the hum (2.1 µV RMS, as large as the rest) is
    // notched out.
    let ratio = hold / rest;
    assert!(
        (ratio / 12.5 - 1.0).abs() < 0.2,
        "hold/rest {ratio:.2}, generator 12.5"
    );
    // Pressure channels are not turned into envelopes.
    assert!(mean(span(&env.samples[2], fs, 1.0, 3.0)) > 50.0);
}

#[test]
fn zero_phase_envelope_has_no_lag() {
    let dir = tempfile::tempdir().unwrap();
    let (causal, _) = filter(&dir, "c.csv", &["--envelope", "rms"]);
    let (zero, _) = filter(&dir, "z.csv", &["--envelope", "rms", "--zero-phase"]);
    // First time after 3 s the envelope passes half-way between rest and the flick level; the
    // generator's ramp reaches half height at 3.5 + 0.075 s.
    let crossing = |x: &[f64]| {
        let rest = mean(span(x, 1000.0, 1.0, 3.0));
        let top = mean(span(x, 1000.0, 4.0, 4.8));
        let half = (rest + top) / 2.0;
        (3000..x.len()).find(|&i| x[i] > half).unwrap() as f64 / 1000.0
    };
    let (tc, tz) = (crossing(&causal.samples[0]), crossing(&zero.samples[0]));
    assert!((tz - 3.575).abs() < 0.03, "zero-phase crossing {tz}");
    assert!(tc - tz > 0.03, "causal {tc} should lag zero-phase {tz}");
}

fn expect_error(dir: &tempfile::TempDir, text: &str, extra: &[&str], needles: &[&str]) {
    let p = dir.path().join("bad.csv");
    std::fs::write(&p, text).unwrap();
    let out = dir.path().join("out.csv");
    let mut args = vec!["filter", p.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = tonus(&args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "should fail: {text}");
    assert_eq!(err.lines().count(), 1, "one clear line: {err}");
    for n in needles {
        assert!(err.contains(n), "'{n}' missing from: {err}");
    }
}

#[test]
fn malformed_input_gives_one_located_error() {
    let dir = tempfile::tempdir().unwrap();
    expect_error(
        &dir,
        "t,pelvic[uV]\n0,1\n0.001,x\n",
        &[],
        &["bad.csv:3", "column 2", "'x'"],
    );
    expect_error(
        &dir,
        "t,pelvic[uV],anal[mmHg]\n0,1,2\n0.001,1\n",
        &[],
        &["bad.csv:3", "ragged"],
    );
    expect_error(
        &dir,
        "t,pelvic[uV],anal[psi]\n0,1,2\n",
        &[],
        &["bad.csv:1", "column 3", "unknown unit 'psi'"],
    );
    expect_error(&dir, "pelvic[uV]\n1\n2\n", &[], &["bad.csv", "--rate"]);
    expect_error(
        &dir,
        "t,pelvic[uV]\n0,1\n0.001,1\n0.0005,1\n",
        &[],
        &["bad.csv:4", "does not increase"],
    );
    // A rate too low for the EMG band names the channel and the parameter.
    let rows: String = (0..200)
        .map(|i| format!("{},1\n", i as f64 / 40.0))
        .collect();
    expect_error(
        &dir,
        &format!("t,pelvic[uV]\n{rows}"),
        &[],
        &["pelvic[uV]", "40 Hz", "low_hz"],
    );
}

#[test]
fn a_file_without_time_filters_at_the_given_rate() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("no_t.csv");
    let text: String = (0..2000)
        .map(|i| format!("{}\n", (i as f64 * 0.3).sin()))
        .collect();
    std::fs::write(&p, format!("pelvic[uV]\n{text}")).unwrap();
    let out = dir.path().join("o.csv");
    let o = tonus(&[
        "filter",
        p.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--rate",
        "1000",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got = read_recording(&out, Some(1000.0)).unwrap();
    let mut want: Vec<f64> = (0..2000).map(|i| (i as f64 * 0.3).sin()).collect();
    ChannelChain::new(
        &ChainConfig {
            ..Preset::Emg.config()
        },
        1000.0,
    )
    .unwrap()
    .filter(&mut want);
    assert_eq!(got.samples[0], want);
}

#[test]
fn a_gap_is_filtered_as_held_samples_at_their_true_time() {
    // Two files: one with 50 samples lost (`gap:50`), one with the last value before the gap held
    // over those samples. Every row the first has must come out identical in the second, in the
    // causal and the zero-phase mode.
    let dir = tempfile::tempdir().unwrap();
    let (mut gapped, mut held) = (
        String::from("t,pelvic[uV],marker\n"),
        String::from("t,pelvic[uV],marker\n"),
    );
    let value = |i: usize| 30.0 * ((i as f64) * 0.37).sin() + (i % 7) as f64;
    let (lost_from, lost) = (1234, 50);
    for i in 0..3000 {
        let t = format!("{}", i as f64 / 1000.0);
        if (lost_from..lost_from + lost).contains(&i) {
            held.push_str(&format!("{t},{},\n", value(lost_from - 1)));
            continue;
        }
        let marker = if i == lost_from + lost {
            format!("gap:{lost}")
        } else {
            String::new()
        };
        gapped.push_str(&format!("{t},{},{marker}\n", value(i)));
        held.push_str(&format!("{t},{},\n", value(i)));
    }
    let (g, h) = (dir.path().join("g.csv"), dir.path().join("h.csv"));
    std::fs::write(&g, gapped).unwrap();
    std::fs::write(&h, held).unwrap();
    for extra in [&[][..], &["--zero-phase"][..]] {
        let (fg, fh) = (
            filter_file(&dir, &g, "fg.csv", extra).1,
            filter_file(&dir, &h, "fh.csv", extra).1,
        );
        let rows_h: std::collections::HashMap<&str, &str> = fh
            .lines()
            .skip(1)
            .map(|l| {
                let mut p = l.splitn(3, ',');
                (p.next().unwrap(), p.next().unwrap())
            })
            .collect();
        let mut n = 0;
        for l in fg.lines().skip(1) {
            let mut p = l.splitn(3, ',');
            let (t, v) = (p.next().unwrap(), p.next().unwrap());
            assert_eq!(rows_h[t], v, "{extra:?} t={t}");
            n += 1;
        }
        assert_eq!(n, 3000 - lost, "{extra:?}");
    }
}
