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

/// Gaps as a recorder writes them: the missing samples held at the last value, `gap:N` at the
/// gap's end. Two gaps 0.3 s apart are one episode whose missing samples add up (none hidden),
/// and the flat line a hold makes is not taken for a lifted electrode.
#[test]
fn held_gaps_add_up_and_are_not_a_lifted_electrode() {
    for (seed, rate) in [(11, 1000.0), (22, 2000.0)] {
        let config = ScenarioConfig {
            profile: Profile::Normal,
            protocol: "glazer".into(),
            seed,
            rate_hz: rate,
            ..Default::default()
        };
        let mut rec = generate(&config).expect("session").recording;
        let hold = |rec: &mut tonus_core::Recording, from_s: f64, n: usize| {
            let from = (from_s * rate) as usize;
            for s in &mut rec.samples {
                let v = s[from - 1];
                s[from..from + n].fill(v);
            }
            rec.markers
                .push(tonus_core::Marker::gap((from + n) as f64 / rate, n as u64));
        };
        let (a, b) = ((2.5 * rate) as usize, (1.2 * rate) as usize);
        hold(&mut rec, 30.0, a);
        hold(&mut rec, 30.0 + 2.5 + 0.3, b);
        rec.markers.sort_by(|x, y| x.time_s.total_cmp(&y.time_s));
        let report = analyze(&rec, AnalysisConfig::default()).expect("analysis");
        let gaps: Vec<_> = report
            .flags
            .iter()
            .filter(|f| f.code == "signal_gap")
            .collect();
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        assert_eq!(gaps[0].evidence["missing_samples"], (a + b) as f64);
        assert_eq!(gaps[0].evidence["gaps"], 2.0);
        assert!((gaps[0].start_s - 30.0).abs() < 1e-9);
        assert!(
            report.flags.iter().all(|f| f.code != "electrode_off"),
            "{:?}",
            report.flags
        );
    }
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

/// Uniform noise in (−1, 1), deterministic (xorshift64*), scaled to unit RMS.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let u = (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64;
        (2.0 * u - 1.0) * 3f64.sqrt()
    }
}

/// 0 → 1 over `rise` s from `on`, 1 → 0 over `rise` s from `off` (raised cosine).
fn shape(t: f64, on: f64, off: f64, rise: f64) -> f64 {
    let edge = |u: f64| 0.5 - 0.5 * (std::f64::consts::PI * u.clamp(0.0, 1.0)).cos();
    edge((t - on) / rise) * (1.0 - edge((t - off) / rise))
}

#[test]
fn quick_contractions_with_the_abdomen_joining_in_are_not_coughs_and_a_cough_still_is() {
    // Three 1-s flicks and a 10-s hold with the abdomen co-contracting (5x its rest) and the
    // pressure rising 100 and 110 mmHg; then a 0.4-s cough: every channel bursts, the abdomen
    // hardest, and the pressure spikes 150 mmHg, above every squeeze (CLINICAL.md §7).
    let fs = 1000.0;
    let n = (120.0 * fs) as usize;
    let (flicks, hold, cough) = ([35.0, 45.0, 55.0], (75.0, 85.0), 100.0);
    let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
    let mut channels: Vec<Vec<f64>> = (0..3).map(|_| Vec::with_capacity(n)).collect();
    for k in 0..n {
        let t = k as f64 / fs;
        let flick: f64 = flicks.iter().map(|&on| shape(t, on, on + 1.0, 0.08)).sum();
        let held = shape(t, hold.0, hold.1, 0.2);
        let coughing = shape(t, cough, cough + 0.4, 0.05);
        let pelvic = 2.0 + 38.0 * (flick + held + coughing).min(1.0);
        let abdominal = 3.0 + 12.0 * (flick + held).min(1.0) + 57.0 * coughing;
        let squeeze: f64 = flicks
            .iter()
            .map(|&on| 100.0 * shape(t, on + 0.05, on + 1.05, 0.2))
            .sum::<f64>()
            + 110.0 * shape(t, hold.0 + 0.05, hold.1 + 0.05, 0.5)
            + 150.0 * shape(t, cough, cough + 0.4, 0.1);
        channels[0].push(pelvic * noise.next());
        channels[1].push(abdominal * noise.next());
        channels[2].push(60.0 + squeeze + 0.5 * noise.next());
    }
    let recording = tonus_core::Recording {
        channels: ["pelvic[uV]", "abdominal[uV]", "anal[mmHg]"]
            .iter()
            .map(|h| tonus_core::ChannelInfo::from_header(h, fs).expect("header"))
            .collect(),
        samples: channels,
        markers: [
            (0.0, "pre_baseline"),
            (30.0, "phasic"),
            (70.0, "tonic"),
            (95.0, "post_baseline"),
        ]
        .iter()
        .map(|&(time_s, label)| tonus_core::Marker {
            time_s,
            label: label.into(),
        })
        .collect(),
    };
    let report = analyze(&recording, AnalysisConfig::default()).expect("analysis");
    let coughs: Vec<(f64, f64)> = report
        .flags
        .iter()
        .filter(|f| f.code == "cough_artifact")
        .map(|f| (f.start_s, f.end_s))
        .collect();
    assert_eq!(coughs.len(), 1, "{coughs:?}");
    assert!(
        coughs[0].0 < cough + 0.5 && coughs[0].1 > cough,
        "{coughs:?}"
    );
    let found: Vec<f64> = report
        .contractions_on("pelvic")
        .filter(|c| c.phase.as_deref() == Some("phasic"))
        .map(|c| c.onset_s)
        .collect();
    assert_eq!(found.len(), 3, "{found:?}");
    for (f, on) in found.iter().zip(flicks) {
        assert!((f - on).abs() < 0.2, "{found:?}");
    }
}
