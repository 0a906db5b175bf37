//! Real surface EMG recorded with force (`../shared/fixtures/real/emg_force_biceps_grip_2khz/`, read
//! in place; skipped with a message when that folder is absent, as in a user's clone — CI has it):
//! the EMG onsets the engine detects must lie within 250 ms of onsets derived independently from the
//! force channel, with no extra contraction; the near-silent BioSPPy recording must give none.

use std::path::PathBuf;

use tonus_analysis::{analyze, AnalysisConfig};
use tonus_core::{ChannelInfo, Recording, Unit};

fn real(dir: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/real")
        .join(dir);
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: {} is absent (it is present in CI)", p.display());
        None
    }
}

/// `time force emg_mV` columns.
fn load(path: &PathBuf) -> (Vec<f64>, Vec<f64>) {
    let text = std::fs::read_to_string(path).expect("read");
    let mut force = Vec::new();
    let mut emg = Vec::new();
    for line in text.lines() {
        let c: Vec<f64> = line
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if c.len() == 3 {
            force.push(c[1]);
            emg.push(c[2]);
        }
    }
    (force, emg)
}

/// Force onsets: force (50 ms mean) crosses baseline + 10 % of its range; the onset is traced back
/// to where it last was within 5 SD of the baseline noise (first 0.5 s).
fn force_onsets(f: &[f64], fs: f64) -> Vec<f64> {
    let w = (0.05 * fs) as usize;
    let mut acc = 0.0;
    let sm: Vec<f64> = (0..f.len())
        .map(|i| {
            acc += f[i];
            if i >= w {
                acc -= f[i - w];
            }
            acc / (i.min(w - 1) + 1) as f64
        })
        .collect();
    let base = &sm[w..(0.5 * fs) as usize];
    let b = base.iter().sum::<f64>() / base.len() as f64;
    let noise = (base.iter().map(|v| (v - b) * (v - b)).sum::<f64>() / base.len() as f64).sqrt();
    let top = sm.iter().copied().fold(f64::MIN, f64::max);
    let (on, off, near) = (
        b + 0.1 * (top - b),
        b + 0.05 * (top - b),
        b + 5.0 * noise.max(1e-3),
    );
    let mut out = Vec::new();
    let mut active = false;
    for i in 0..sm.len() {
        if !active && sm[i] > on {
            active = true;
            let mut k = i;
            while k > 0 && sm[k] > near {
                k -= 1;
            }
            out.push(k as f64 / fs);
        } else if active && sm[i] < off {
            active = false;
        }
    }
    out
}

/// Each force onset matched by an EMG onset within `tol_s`, and EMG onsets with no force onset.
fn compare(force: &[f64], emg: &[f64], tol_s: f64) -> (usize, Vec<f64>) {
    let matched = force
        .iter()
        .filter(|f| emg.iter().any(|e| (*e - **f).abs() <= tol_s))
        .count();
    let extra = emg
        .iter()
        .copied()
        .filter(|e| !force.iter().any(|f| (e - f).abs() <= tol_s))
        .collect();
    (matched, extra)
}

fn detect(emg: Vec<f64>, rate_hz: f64, unit: Unit) -> Vec<f64> {
    let rec = Recording {
        channels: vec![ChannelInfo {
            name: "emg".into(),
            unit,
            rate_hz,
        }],
        samples: vec![emg],
        markers: vec![],
    };
    let report = analyze(&rec, AnalysisConfig::default()).expect("analysis");
    report.contractions.iter().map(|c| c.onset_s).collect()
}

/// Each EMG-with-force file: its name, the force-derived onsets and the detected EMG onsets (empty
/// when the fixtures are absent).
fn force_files() -> Vec<(&'static str, Vec<f64>, Vec<f64>)> {
    let Some(dir) = real("emg_force_biceps_grip_2khz") else {
        return Vec::new();
    };
    [
        "EMGforce1.txt",
        "EMGforce2.txt",
        "EM_EMG_SQUEEZE1.txt",
        "EM_EMG_SQUEEZE2.txt",
    ]
    .into_iter()
    .map(|name| {
        let (force, emg) = load(&dir.join(name));
        (
            name,
            force_onsets(&force, 2000.0),
            detect(emg, 2000.0, Unit::Millivolt),
        )
    })
    .collect()
}

/// The criterion. Measured on main (2026-11-21): EMG onsets lead the force-derived onsets
/// by 0.1-0.9 s (EMG activity ramps before force leaves its noise band), one extra burst in
/// EMGforce1 (31.4 s), and the first, weakest squeeze in both SQUEEZE files is missed.
#[test]
#[ignore = "not met yet: EMG leads force onsets by up to 0.9 s, one extra and two missed onsets (see doc)"]
fn emg_onsets_match_the_force_channel_within_250_ms() {
    for (name, reference, detected) in force_files() {
        let (matched, extra) = compare(&reference, &detected, 0.25);
        assert_eq!(
            matched,
            reference.len(),
            "{name}: force {reference:.2?}, emg {detected:.2?}"
        );
        assert!(extra.is_empty(), "{name}: extra EMG onsets {extra:.2?}");
    }
}

/// What holds today, and must keep holding: every force contraction is found in the EMG (within
/// 1 s, the span of the EMG-before-force ramp) except at most the first of a file, and an EMG onset
/// never comes after its force onset by more than 250 ms (EMG must precede force).
#[test]
fn emg_onsets_precede_their_force_onsets() {
    for (name, reference, detected) in force_files() {
        assert!(
            reference.len() >= 5,
            "{name}: reference found {reference:.2?}"
        );
        let (matched, _) = compare(&reference[1..], &detected, 1.0);
        assert_eq!(
            matched,
            reference.len() - 1,
            "{name}: force {reference:.2?}, emg {detected:.2?}"
        );
        for f in &reference {
            if let Some(e) = detected
                .iter()
                .copied()
                .filter(|e| (e - f).abs() <= 1.0)
                .reduce(f64::min)
            {
                assert!(
                    e <= f + 0.25,
                    "{name}: EMG onset {e:.2} after force onset {f:.2}"
                );
            }
        }
    }
}

/// BioSPPy's `emg.txt` is 100 s of baseline (RMS 1-4 ADC counts): no contraction may be reported.
///
/// Not met yet (2026-11-21): one activation is reported at 51.1 s. There the 100 ms RMS steps from
/// about 1.7 to 3-4 counts for 8 s (about 2.5 µV with BITalino's transfer function), and the median
/// frequency drops from 170 Hz (noise) to 112 Hz. It looks like a faint real activation, and
/// it is as large, relative to rest, as weak pelvic-floor flicks (normative medians 2.4 µV rest,
/// 6.8 µV flicks; CLINICAL.md). Rejecting it needs a device-aware floor (increment within a few
/// ADC steps), which is not built yet.
#[test]
#[ignore = "not met yet: one faint activation reported at 51.1 s (see doc)"]
fn near_silent_recording_gives_no_contraction() {
    let Some(dir) = real("biosppy_emg_1khz") else {
        return;
    };
    let path = dir.join("emg.txt");
    let text = std::fs::read_to_string(&path).expect("read");
    let counts: Vec<f64> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.trim().parse().ok())
        .collect();
    assert_eq!(counts.len(), 100_000, "{}", path.display());
    // Unknown transfer function: analyse the centred ADC counts scaled to mV as BITalino would.
    let mv: Vec<f64> = counts
        .iter()
        .map(|a| (a / 4096.0 - 0.5) * 3300.0 / 1009.0)
        .collect();
    let detected = detect(mv, 1000.0, Unit::Millivolt);
    assert!(
        detected.is_empty(),
        "contractions reported in a near-silent recording at {detected:.2?}"
    );
}
