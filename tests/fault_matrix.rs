//! The fault matrix (issue 21): `tonus sim --faults F` on a pseudo-terminal and `tonus record` as
//! processes, for CSV and BDF, checked sample by sample against what the device sent: every sample
//! in the file is the sent sample of that time or lies in a declared gap; where the device's
//! index cannot be trusted the file declares a discontinuity, and the samples after it are the
//! sent ones shifted by the declared-unknown amount; present + declared = sent.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tonus_core::{Recording, Unit};
use tonus_sim::sensor::to_count;
use tonus_sim::{generate, Profile, ScenarioConfig};

const SECONDS: f64 = 10.0;
const SPEED: &str = "4";
const SEED: u64 = 5;
/// Samples of one frame (8 ms at 2 kHz): a lost last frame cannot be declared by anyone.
const FRAME: usize = 16;

fn tonus() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tonus"))
}

/// What the device sent, per channel, as the file must hold it (its counts back in units).
fn sent() -> Vec<Vec<f64>> {
    let config = ScenarioConfig {
        protocol: "glazer-mini".into(),
        seed: SEED,
        seconds: Some(SECONDS),
        profile: Profile::Normal,
        ..Default::default()
    };
    let rec = generate(&config).expect("session").recording;
    rec.channels
        .iter()
        .zip(&rec.samples)
        .map(|(ch, s)| {
            let (scale, offset) = if ch.unit == Unit::MmHg {
                (0.01f32, -5.0f32)
            } else {
                (0.023_437_5f32, 0.0f32)
            };
            s.iter()
                .map(|v| f64::from(offset) + f64::from(scale) * f64::from(to_count(*v, ch.unit)))
                .collect()
        })
        .collect()
}

/// Runs the sensor with `faults` and records it into `out`; returns `record`'s stderr.
fn record(faults: &str, out: &Path) -> String {
    let dir = out.parent().expect("dir");
    let link = dir.join("sensor");
    let mut sensor = tonus()
        .args([
            "sim",
            "--protocol",
            "glazer-mini",
            "--speed",
            SPEED,
            "--faults",
            faults,
        ])
        .args([
            "--seed",
            &SEED.to_string(),
            "--seconds",
            &SECONDS.to_string(),
            "--link",
        ])
        .arg(&link)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sim");
    let t0 = Instant::now();
    while !link.exists() && t0.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = tonus()
        .args(["record", "--seconds", "5.5", "--port"])
        .arg(&link)
        .arg("-o")
        .arg(out)
        .output()
        .expect("record");
    let _ = sensor.kill();
    let _ = sensor.wait();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{faults}: {err}");
    err
}

/// Counts of one channel's check.
#[derive(Debug, Default, PartialEq)]
struct Tally {
    present: usize,
    declared: usize,
    unknown: usize,
    /// Declared discontinuities.
    breaks: usize,
}

/// Checks channel `c` of `file` against `sent`, sample by sample, each to within `tolerance`
/// (half the file's quantisation step; 0 for CSV, which holds the device's values exactly).
fn check(file: &Recording, c: usize, sent: &[f64], tolerance: f64, faults: &str) -> Tally {
    let same = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tolerance);
    let rate = file.channels[c].rate_hz;
    let got = &file.samples[c];
    let index = |t: f64| (t * rate).round() as usize;
    let mut gaps: Vec<(usize, usize)> = file
        .markers
        .iter()
        .filter_map(|m| {
            m.gap_samples()
                .map(|n| (index(m.time_s) - n as usize, n as usize))
        })
        .collect();
    gaps.sort_unstable();
    gaps.dedup();
    let mut breaks: Vec<usize> = file
        .markers
        .iter()
        .filter(|m| m.label == tonus_core::DISCONTINUITY)
        .map(|m| index(m.time_s))
        .collect();
    breaks.sort_unstable();
    let mut tally = Tally {
        breaks: breaks.len(),
        ..Tally::default()
    };
    let mut shift = 0usize; // sent samples skipped at discontinuities so far
    for (i, v) in got.iter().enumerate() {
        if breaks.first() == Some(&i) {
            breaks.remove(0);
            // What follows is the sent signal from somewhere at or after here: find where.
            let probe = &got[i..(i + 64).min(got.len())];
            let skip = (0..sent.len().saturating_sub(i + shift + probe.len() - 1))
                .find(|d| same(&sent[i + shift + d..i + shift + d + probe.len()], probe))
                .unwrap_or_else(|| panic!("{faults}: after the discontinuity at {i} the samples are not the sent ones"));
            shift += skip;
            tally.unknown += skip;
        }
        if gaps.iter().any(|(a, n)| (*a..a + n).contains(&i)) {
            tally.declared += 1;
            continue;
        }
        let want = sent.get(i + shift).copied();
        assert!(
            want.is_some_and(|w| same(&[*v], &[w])),
            "{faults}: channel {c} sample {i} (shift {shift}): {v} vs {want:?}"
        );
        tally.present += 1;
    }
    assert!(breaks.is_empty(), "{faults}: a discontinuity past the end");
    let total = tally.present + tally.declared + tally.unknown;
    assert!(
        total <= sent.len() && total + FRAME >= sent.len(),
        "{faults}: channel {c}: {tally:?} of {} sent",
        sent.len()
    );
    tally
}

fn matrix_case(faults: &str, ext: &str) -> Vec<Tally> {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join(format!("rec.{ext}"));
    let stderr = record(faults, &out);
    let mut opened = tonus_io::open_recording(&out, None)
        .unwrap_or_else(|e| panic!("{faults}: {ext} opens: {e}"));
    let file = Recording::read_whole(&mut opened)
        .unwrap_or_else(|e| panic!("{faults}: {ext} reads back: {e}"));
    let sent = sent();
    let tolerance = |c: usize| match ext {
        "bdf" => {
            let edf = tonus_io::edf::read_edf(&out).expect("BDF header");
            0.5 * edf.channels[c].step(edf.depth) + 1e-9
        }
        _ => 0.0,
    };
    let tallies: Vec<Tally> = (0..sent.len())
        .map(|c| check(&file, c, &sent[c], tolerance(c), faults))
        .collect();
    assert!(
        stderr.contains("link: frames"),
        "{faults}: link statistics: {stderr}"
    );
    tallies
}

macro_rules! matrix {
    ($($name:ident: $faults:expr => $expect:expr;)*) => {$(
        #[test]
        fn $name() {
            for ext in ["csv", "bdf"] {
                let tallies = matrix_case($faults, ext);
                let t = &tallies[0];
                let expect: fn(&Tally) -> bool = $expect;
                assert!(expect(t), "{} ({ext}): {t:?}", $faults);
            }
        }
    )*};
}

matrix! {
    corrupt: "corrupt=0.0005" => |t| t.declared > 0 && t.breaks == 0;
    drop: "drop=0.02" => |t| t.declared > 0 && t.breaks == 0;
    stall: "stall=3:2" => |t| t.declared >= 4000 && t.breaks == 0;
    disconnect: "disconnect=3:2" => |t| t.declared >= 4000 && t.breaks == 0;
    stall_then_disconnect: "stall=3:2,disconnect=5:2" => |t| t.declared >= 8000 && t.breaks == 0;
    // The device's index leaps by 2³¹ but its samples run on: declared, nothing shifted.
    index_leap: "leap=4:2147483648" => |t| t.breaks == 1 && t.unknown == 0 && t.declared == 0;
    overlaps: "overlap=0.05" => |t| t.declared == 0 && t.breaks == 0;
    short_frames: "short=0.02" => |t| t.declared > 0 && t.breaks == 0;
    random_bytes: "noise=4:2" => |t| t.declared >= 4000 && t.breaks == 0;
    clock_restarted: "disconnect=3:2,clock=restarts" => |t| t.breaks == 1 && t.unknown >= 4000 && t.declared == 0;
}
