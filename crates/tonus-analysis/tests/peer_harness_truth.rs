//! Onsets against a ground truth written by someone else: the peers' harness generator
//! (`../shared/peer-bench/make_fixture.py`, run here with python3 and numpy; skipped with a message
//! when `../shared` is absent, as in a user's clone, or numpy is — CI has both). Its 6-minute pelvic-floor fixture
//! holds 11 contractions (quick flicks, holds, an endurance hold; raised-cosine rises of 80–300 ms):
//! every one must be found, nothing else, and the median onset error must stay within 10 ms
//! (zero-phase SciPy, the most accurate peer, is +4.5 ms there; the back-traced onset alone was
//! −20 ms).

use std::path::PathBuf;
use std::process::Command;

use tonus_analysis::{analyze, AnalysisConfig};
use tonus_core::{ChannelInfo, Recording};

/// The fixture's channels 0 (EMG, µV) and 1 (pressure, mmHg) and its true onsets (s), generated
/// into a temporary folder; `None` when the generator is absent.
fn harness_fixture() -> Option<(Recording, Vec<f64>)> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/peer-bench/make_fixture.py");
    if !script.is_file() {
        eprintln!(
            "skipping: {} is absent (it is present in CI)",
            script.display()
        );
        return None;
    }
    let numpy = Command::new("python3")
        .args(["-c", "import numpy"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !numpy {
        eprintln!("skipping: python3 with numpy is not installed (.ci/run installs it)");
        return None;
    }
    let tmp = tempfile::tempdir().expect("temporary folder");
    let dir = tmp.path();
    let status = Command::new("python3")
        .arg(&script)
        .args(["--mult", "1", "--no-csv", "--name", "pf", "--out-dir"])
        .arg(dir)
        .status()
        .expect("python3 runs");
    assert!(status.success(), "make_fixture.py failed (needs numpy)");
    let raw = std::fs::read(dir.join("pf.bin")).expect("pf.bin");
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("pf.truth.json")).expect("truth"))
            .expect("truth JSON");
    let mut samples = vec![Vec::new(), Vec::new()];
    for frame in raw.chunks_exact(8) {
        for (c, v) in frame.chunks_exact(4).enumerate() {
            samples[c].push(f64::from(f32::from_le_bytes([v[0], v[1], v[2], v[3]])));
        }
    }
    let onsets = truth["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["onset_s"].as_f64())
        .collect();
    let channels = vec![
        ChannelInfo::from_header("pelvic[uV]", 2000.0).expect("header"),
        ChannelInfo::from_header("pressure[mmHg]", 2000.0).expect("header"),
    ];
    let recording = Recording {
        channels,
        samples,
        markers: vec![],
    };
    Some((recording, onsets))
}

#[test]
fn onsets_on_the_peer_harness_fixture_match_its_truth() {
    let Some((recording, truth)) = harness_fixture() else {
        return;
    };
    let report = analyze(&recording, AnalysisConfig::default()).expect("analysis");
    let detected: Vec<f64> = report
        .contractions_on("pelvic")
        .map(|c| c.onset_s)
        .collect();
    assert_eq!(truth.len(), 11, "the generator's protocol changed");
    assert_eq!(detected.len(), truth.len(), "detected {detected:.3?}");
    let mut errors: Vec<f64> = truth
        .iter()
        .zip(&detected)
        .map(|(t, d)| (d - t) * 1000.0)
        .collect();
    errors.sort_by(f64::total_cmp);
    let median = errors[errors.len() / 2];
    eprintln!("onset errors (ms): {errors:.1?}");
    assert!(errors.iter().all(|e| e.abs() < 100.0), "{errors:.1?}");
    assert!(median.abs() <= 10.0, "median onset error {median:.1} ms");
}
