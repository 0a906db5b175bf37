//! A recording without a rest phase calibrates on its first 10 minutes and then detects as the
//! samples arrive: two Glazer sessions back to back (13 min) with every marker removed must have
//! each true contraction found in both halves, before and after the switch at 10 minutes.

use tonus_analysis::{analyze, AnalysisConfig};
use tonus_core::Recording;
use tonus_sim::{generate, Profile, ScenarioConfig};

#[test]
fn contractions_are_found_before_and_after_the_calibration_window() {
    let session = generate(&ScenarioConfig {
        profile: Profile::Normal,
        protocol: "glazer".into(),
        seed: 7,
        rate_hz: 1000.0,
        ..ScenarioConfig::default()
    })
    .expect("session");
    let one = &session.recording;
    let duration = one.duration_s();
    let recording = Recording {
        channels: one.channels.clone(),
        samples: one
            .samples
            .iter()
            .map(|s| s.iter().chain(s.iter()).copied().collect())
            .collect(),
        markers: Vec::new(),
    };
    assert!(recording.duration_s() > 600.0, "{}", recording.duration_s());
    let report = analyze(&recording, AnalysisConfig::default()).expect("analysis");
    let detected: Vec<f64> = report
        .contractions_on("pelvic")
        .map(|c| c.onset_s)
        .collect();
    let truth: Vec<f64> = session
        .truth
        .contractions
        .iter()
        .flat_map(|c| [c.onset_s, c.onset_s + duration])
        .collect();
    let missed: Vec<f64> = truth
        .iter()
        .copied()
        .filter(|t| !detected.iter().any(|d| (d - t).abs() <= 0.5))
        .collect();
    let extra: Vec<f64> = detected
        .iter()
        .copied()
        .filter(|d| !truth.iter().any(|t| (d - t).abs() <= 0.5))
        .collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "missed {missed:.1?}, extra {extra:.1?} (switch at 600 s)"
    );
}
