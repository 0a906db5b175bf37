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

/// The criterion, not met (2026-11-22): counts and pairing now agree (test below), but the
/// EMG onsets lead these force-derived onsets by 0.15-1.1 s. The EMG is not early by mistake: in
/// these recordings force lags EMG by about 0.3 s even at sharp onsets (EM_EMG_SQUEEZE1: the 50 ms
/// EMG RMS jumps from 13 to 108 µV at 8.10-8.20 s, the force leaves its baseline at 8.40 s;
/// cross-correlating envelope and force gives 330-460 ms), and more in the slow force ramps of the
/// EMGforce files. Meeting 250 ms would take detecting the EMG late on purpose.
#[test]
#[ignore = "not met: EMG leads the force-derived onsets by 0.15-1.1 s (force lags EMG ≈ 0.3 s in these files; see doc)"]
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

/// Force contractions as the force channel shows them without tracing back: from where the force
/// (50 ms mean) crosses baseline + 10 % of its range to where it falls below 5 %.
fn force_spans(f: &[f64], fs: f64) -> Vec<(f64, f64)> {
    let w = (0.05 * fs) as usize;
    let sm: Vec<f64> = (w..f.len())
        .map(|i| f[i - w..i].iter().sum::<f64>() / w as f64)
        .collect();
    let base = {
        let mut head = sm[..fs as usize].to_vec();
        head.sort_by(f64::total_cmp);
        head[head.len() / 2]
    };
    let top = sm.iter().copied().fold(f64::MIN, f64::max);
    let (on, off) = (base + 0.1 * (top - base), base + 0.05 * (top - base));
    let mut out = Vec::new();
    let mut start = None;
    for (i, &v) in sm.iter().enumerate() {
        let t = (i + w) as f64 / fs;
        match start {
            None if v > on => start = Some(t),
            Some(s) if v < off => {
                out.push((s, t));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// What holds: the EMG finds exactly the force's contractions, one each, and no other (residual
/// activity after a release is not a contraction); each EMG onset comes before the force has risen
/// by 10 % of its range (EMG precedes force) and at most 1.5 s before (it belongs to that
/// contraction, not to the rest before it).
#[test]
fn emg_finds_each_force_contraction_once_and_nothing_else() {
    let Some(dir) = real("emg_force_biceps_grip_2khz") else {
        return;
    };
    for name in [
        "EMGforce1.txt",
        "EMGforce2.txt",
        "EM_EMG_SQUEEZE1.txt",
        "EM_EMG_SQUEEZE2.txt",
    ] {
        let (force, emg) = load(&dir.join(name));
        let spans = force_spans(&force, 2000.0);
        let rec = Recording {
            channels: vec![ChannelInfo {
                name: "emg".into(),
                unit: Unit::Millivolt,
                rate_hz: 2000.0,
            }],
            samples: vec![emg],
            markers: vec![],
        };
        let report = analyze(&rec, AnalysisConfig::default()).expect("analysis");
        let detected: Vec<(f64, f64)> = report
            .contractions
            .iter()
            .map(|c| (c.onset_s, c.offset_s))
            .collect();
        assert!(spans.len() >= 5, "{name}: force spans {spans:.2?}");
        assert_eq!(
            detected.len(),
            spans.len(),
            "{name}: force {spans:.2?}, emg {detected:.2?}"
        );
        for (f, e) in spans.iter().zip(&detected) {
            let lead = f.0 - e.0;
            assert!(
                (0.0..=1.5).contains(&lead) && e.1 > f.0,
                "{name}: force {f:.2?} vs emg {e:.2?} (lead {lead:.2} s)"
            );
        }
    }
}

/// The activations of BioSPPy's `emg_1.txt` (same device and scaling as the near-silent file
/// below): every 250 ms window whose RMS, computed here from the raw counts, exceeds 5 × the file's
/// quietest-decile window, next to another such window, lies inside a detected contraction — so the silent file's result is not
/// a detector that reports nothing.
#[test]
fn clear_activations_of_the_same_device_are_found() {
    let Some(dir) = real("biosppy_emg_1khz") else {
        return;
    };
    let mv = bitalino_mv(&dir.join("emg_1.txt"));
    let mut seconds: Vec<(f64, f64)> = mv
        .chunks(250)
        .enumerate()
        .map(|(k, c)| {
            let m = c.iter().sum::<f64>() / c.len() as f64;
            let rms = (c.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / c.len() as f64).sqrt();
            (k as f64 * 0.25, rms)
        })
        .collect();
    let mut sorted: Vec<f64> = seconds.iter().map(|s| s.1).collect();
    sorted.sort_by(f64::total_cmp);
    let quiet = sorted[sorted.len() / 10];
    let active: Vec<bool> = seconds.iter().map(|s| s.1 > 5.0 * quiet).collect();
    // Only activity lasting two windows (0.5 s, the shortest pelvic flick; the engine's minimum is
    // 0.3 s) must be a contraction: single-window twitches may not be.
    seconds = seconds
        .iter()
        .enumerate()
        .filter(|&(i, _)| {
            active[i] && (active.get(i + 1) == Some(&true) || (i > 0 && active[i - 1]))
        })
        .map(|(_, s)| *s)
        .collect();
    assert!(seconds.len() >= 5, "active windows {seconds:?}");
    let detected = detect_spans(mv, 1000.0);
    for (k, rms) in seconds {
        assert!(
            detected.iter().any(|d| d.0 < k + 0.25 && d.1 > k),
            "window at {k} s (RMS {rms:.4} mV) is not inside a contraction: {detected:.2?}"
        );
    }
}

/// BioSPPy's raw ADC counts as mV, with BITalino's transfer function (PROVENANCE.md: the device
/// is not documented; BITalino is the likelier of the two candidates).
fn bitalino_mv(path: &PathBuf) -> Vec<f64> {
    let text = std::fs::read_to_string(path).expect("read");
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.trim().parse::<f64>().ok())
        .map(|a| (a / 4096.0 - 0.5) * 3300.0 / 1009.0)
        .collect()
}

/// Detected (onset, offset) spans of one mV channel, analysed with `config`.
fn detect_spans_with(mv: Vec<f64>, rate_hz: f64, config: AnalysisConfig) -> Vec<(f64, f64)> {
    let rec = Recording {
        channels: vec![ChannelInfo {
            name: "emg".into(),
            unit: Unit::Millivolt,
            rate_hz,
        }],
        samples: vec![mv],
        markers: vec![],
    };
    let report = analyze(&rec, config).expect("analysis");
    report
        .contractions
        .iter()
        .map(|c| (c.onset_s, c.offset_s))
        .collect()
}

/// [`detect_spans_with`] the default configuration.
fn detect_spans(mv: Vec<f64>, rate_hz: f64) -> Vec<(f64, f64)> {
    detect_spans_with(mv, rate_hz, AnalysisConfig::default())
}

/// BioSPPy's `emg.txt` is 100 s of baseline (RMS 1-4 ADC counts): no contraction may be reported
/// with the BITalino's interference floor. Its faintest activity (51 s: the 100 ms RMS steps from
/// about 1.7 to 3-4 counts, about 1-2 µV with BITalino's transfer function) doubles the envelope,
/// which relative thresholds alone read as a contraction; what rules it out is the device's own
/// floor (radio interference adds ≈ 1 µV; CLINICAL.md §4), which a device profile supplies as
/// `onset_min_rise_uv` (the default has none, so results do not depend on the device's gain).
#[test]
fn near_silent_recording_gives_no_contraction() {
    let Some(dir) = real("biosppy_emg_1khz") else {
        return;
    };
    let mv = bitalino_mv(&dir.join("emg.txt"));
    assert_eq!(mv.len(), 100_000);
    let bitalino = AnalysisConfig {
        onset_min_rise_uv: 2.0,
        ..AnalysisConfig::default()
    };
    let detected = detect_spans_with(mv.clone(), 1000.0, bitalino);
    assert!(
        detected.is_empty(),
        "contractions reported in a near-silent recording at {detected:.2?}"
    );
    // Without the floor the doubling at 51 s is what is found, and nothing else.
    let relative = detect_spans(mv, 1000.0);
    assert!(
        relative.iter().all(|(on, _)| (50.0..52.0).contains(on)),
        "{relative:.2?}"
    );
}
