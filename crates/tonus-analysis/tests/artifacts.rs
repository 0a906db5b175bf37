//! Artifacts (CLINICAL.md §7) on the generator's truth: each kind is tagged where the truth puts it,
//! clean sessions raise no quality flag, and artifacts inflate neither the rest level nor the MVC.

use tonus_analysis::{analyze, AnalysisConfig, Report};
use tonus_sim::{generate, ArtifactKind, Profile, ScenarioConfig, Session};

const SEEDS: [u64; 5] = [11, 22, 33, 44, 55];
const QUALITY: [&str; 7] = [
    "mains_interference",
    "ecg_contamination",
    "cough_artifact",
    "motion_artifact",
    "electrode_off",
    "saturation",
    "signal_gap",
];

fn run(seed: u64, artifacts: Vec<ArtifactKind>) -> (Session, Report) {
    let config = ScenarioConfig {
        profile: Profile::Normal,
        protocol: "glazer".into(),
        seed,
        rate_hz: 1000.0,
        artifacts,
        ..Default::default()
    };
    let session = generate(&config).expect("session");
    let report = analyze(&session.recording, AnalysisConfig::default()).expect("analysis");
    (session, report)
}

fn mvc(r: &Report) -> f64 {
    r.contractions_on("pelvic")
        .map(|c| c.peak)
        .fold(0.0, f64::max)
}

#[test]
fn clean_sessions_raise_no_quality_flag() {
    for seed in SEEDS {
        let (_, report) = run(seed, vec![]);
        let q: Vec<&str> = report
            .flags
            .iter()
            .map(|f| f.code.as_str())
            .filter(|c| QUALITY.contains(c))
            .collect();
        assert!(q.is_empty(), "seed {seed}: {q:?}");
    }
}

#[test]
fn every_artifact_is_tagged_where_the_truth_puts_it() {
    for kind in ArtifactKind::ALL {
        for seed in SEEDS {
            let (session, report) = run(seed, vec![kind]);
            for span in &session.truth.artifacts {
                let hit = report.flags.iter().any(|f| {
                    f.code == kind.flag()
                        && f.start_s < span.end_s + 0.3
                        && f.end_s > span.start_s - 0.3
                });
                assert!(
                    hit,
                    "{kind} seed {seed}: no flag over {:.1}–{:.1} s; flags {:?}",
                    span.start_s,
                    span.end_s,
                    report
                        .flags
                        .iter()
                        .map(|f| (f.code.as_str(), f.start_s, f.end_s))
                        .collect::<Vec<_>>()
                );
            }
        }
    }
}

#[test]
fn artifacts_do_not_inflate_rest_or_mvc() {
    for seed in SEEDS {
        let (_, clean) = run(seed, vec![]);
        let (_, dirty) = run(seed, ArtifactKind::ALL.to_vec());
        let rest = |r: &Report| r.quality[0].rest_mean.expect("calibrated");
        // Mains hum and ECG are continuous and raise the envelope itself (they are flagged, and the
        // notch or ECG-safe preset removes them); the short artifacts must not move rest or MVC.
        let (_, short) = run(
            seed,
            vec![
                ArtifactKind::CoughArtifact,
                ArtifactKind::MotionArtifact,
                ArtifactKind::ElectrodeOff,
                ArtifactKind::Saturation,
            ],
        );
        assert!(
            (rest(&short) / rest(&clean) - 1.0).abs() < 0.15,
            "seed {seed}: rest {} vs {}",
            rest(&short),
            rest(&clean)
        );
        assert!(
            (mvc(&short) / mvc(&clean) - 1.0).abs() < 0.10,
            "seed {seed}: MVC {} vs {}",
            mvc(&short),
            mvc(&clean)
        );
        assert!(dirty.flags.iter().any(|f| f.code == "cough_artifact"));
    }
}

#[test]
fn recorded_gaps_are_flagged_and_excluded() {
    let (session, _) = run(11, vec![]);
    let mut rec = session.recording.clone();
    // A recorder wrote `gap:500` on the row after 500 missing samples (0.5 s at 1 kHz) at 30 s.
    rec.markers.push(tonus_core::Marker {
        time_s: 30.0,
        label: "gap:500".into(),
    });
    rec.markers.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    let report = analyze(&rec, AnalysisConfig::default()).expect("analysis");
    let gap = report
        .flags
        .iter()
        .find(|f| f.code == "signal_gap")
        .expect("signal_gap flag");
    assert!((gap.start_s - 29.5).abs() < 1e-9 && (gap.end_s - 30.0).abs() < 1e-9);
    assert_eq!(gap.evidence["missing_samples"], 500.0);
    assert!(
        report.phases.iter().all(|p| !p.name.starts_with("gap:")),
        "a gap marker is not a phase"
    );
}

/// A DC offset and slow electrode drift (below 1 Hz, several times the resting EMG) are what the
/// EMG band-pass removes, not movement: no `motion_artifact`, and the same contractions. (The
/// peers' harness fixture carries exactly such a wander: six sines 0.05–0.7 Hz plus an offset.)
#[test]
fn dc_offset_and_slow_drift_are_not_motion() {
    for seed in SEEDS {
        let config = ScenarioConfig {
            profile: Profile::Normal,
            protocol: "glazer".into(),
            seed,
            rate_hz: 1000.0,
            ..Default::default()
        };
        let clean = generate(&config).expect("session").recording;
        let mut drifting = clean.clone();
        let fs = drifting.channels[0].rate_hz;
        for (i, x) in drifting.samples[0].iter_mut().enumerate() {
            let t = i as f64 / fs;
            *x += 25.0
                + 6.0 * (2.0 * std::f64::consts::PI * 0.07 * t).sin()
                + 4.0 * (2.0 * std::f64::consts::PI * 0.3 * t + 1.0).sin()
                + 3.0 * (2.0 * std::f64::consts::PI * 0.7 * t + 2.0).sin();
        }
        let a = analyze(&clean, AnalysisConfig::default()).expect("analysis");
        let b = analyze(&drifting, AnalysisConfig::default()).expect("analysis");
        assert!(
            b.flags.iter().all(|f| f.code != "motion_artifact"),
            "seed {seed}: {:?}",
            b.flags
                .iter()
                .map(|f| (&f.code, f.start_s))
                .collect::<Vec<_>>()
        );
        assert_eq!(a.contractions.len(), b.contractions.len(), "seed {seed}");
    }
}
