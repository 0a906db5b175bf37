//! Protocols as data: the built-ins parse, the Glazer script matches the simulator's timeline, bad
//! scripts get a clear error, and a recording without markers takes its phases from the script.

use tonus_analysis::{
    analyze, analyze_with, AnalysisConfig, PhaseKind, Protocol, ProtocolError, BUILTINS,
};
use tonus_sim::{generate, Profile, ScenarioConfig};

#[test]
fn every_builtin_parses_with_positive_durations() {
    let names: Vec<&str> = BUILTINS.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "glazer",
            "glazer-mini",
            "strength-10x10",
            "quick-flicks",
            "down-training",
            "push",
            "free"
        ]
    );
    for name in names {
        let p = Protocol::load(name).expect("built-in parses");
        assert_eq!(p.name, name);
        assert!(p.phases.iter().all(|ph| Protocol::phase_seconds(ph) > 0.0));
    }
    let dt = Protocol::load("down-training").expect("parses");
    let pacer = dt
        .phases
        .iter()
        .find(|p| p.kind == PhaseKind::Breathing)
        .expect("breathing phase");
    assert_eq!(pacer.breaths_per_min, Some(6.0), "CLINICAL.md §8 default");
    let strength = Protocol::load("strength-10x10").expect("parses");
    assert_eq!(
        strength.phases[1].level_pct_mvc,
        Some(40.0),
        "goal line at 40 % MVC"
    );
    assert!(Protocol::load("free").expect("parses").phases.is_empty());
}

#[test]
fn the_glazer_protocols_match_the_simulators_timelines() {
    for name in ["glazer", "glazer-mini"] {
        let glazer = Protocol::load(name).expect("parses");
        let session = generate(&ScenarioConfig {
            protocol: name.into(),
            rate_hz: 500.0,
            ..Default::default()
        })
        .expect("session");
        let from_protocol: Vec<(String, f64)> = glazer
            .markers()
            .into_iter()
            .map(|m| (m.label, m.time_s))
            .collect();
        let from_sim: Vec<(String, f64)> = session
            .truth
            .phases
            .iter()
            .map(|p| (p.name.clone(), p.start_s))
            .collect();
        assert_eq!(from_protocol, from_sim, "{name}");
        let starts: Vec<Option<f64>> = from_protocol.iter().map(|(_, t)| Some(*t)).collect();
        let cues = glazer.cues(&starts);
        let onsets: Vec<f64> = session
            .truth
            .contractions
            .iter()
            .filter(|c| c.phase != "push")
            .map(|c| c.onset_s)
            .collect();
        assert_eq!(cues, onsets, "{name}: a cue at every cued repetition");
    }
}

#[test]
fn bad_scripts_are_refused_with_source_and_phase() {
    let e = Protocol::from_toml("name = \"x\"\ndescription = \"y\"\n[[phases]]\nname = \"hold\"\nkind = \"contractions\"\nreps = 3\n", "my.toml")
        .expect_err("on_s missing");
    assert!(matches!(e, ProtocolError::Invalid { .. }));
    assert!(
        e.to_string().contains("my.toml")
            && e.to_string().contains("'hold'")
            && e.to_string().contains("on_s"),
        "{e}"
    );
    let e = Protocol::from_toml(
        "name = \"x\"\ndescription = \"y\"\nphases = []\nspeed = 3\n",
        "s.toml",
    )
    .expect_err("unknown field");
    assert!(
        e.to_string().contains("s.toml") && e.to_string().contains("speed"),
        "{e}"
    );
    let e = Protocol::from_toml("name = \"x\"\ndescription = \"y\"\n[[phases]]\nname = \"r\"\nkind = \"rest\"\nseconds = -5\n", "n.toml")
        .expect_err("negative");
    assert!(e.to_string().contains("above 0"), "{e}");
    assert!(matches!(
        Protocol::load("glazzer"),
        Err(ProtocolError::Unknown(_))
    ));
    assert!(Protocol::load("glazzer")
        .expect_err("unknown")
        .to_string()
        .contains("strength-10x10"));
}

#[test]
fn without_markers_the_phases_come_from_the_script() {
    let config = ScenarioConfig {
        profile: Profile::Overactive,
        protocol: "glazer".into(),
        seed: 11,
        rate_hz: 1000.0,
        ..Default::default()
    };
    let session = generate(&config).expect("session");
    let with_markers = analyze(&session.recording, AnalysisConfig::default()).expect("analysis");
    let mut bare = session.recording.clone();
    bare.markers.clear();
    let glazer = Protocol::load("glazer").expect("parses");
    let scripted = analyze_with(&bare, AnalysisConfig::default(), Some(&glazer)).expect("analysis");
    let names = |r: &tonus_analysis::Report| {
        r.phases
            .iter()
            .map(|p| (p.name.clone(), p.start_s))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&scripted), names(&with_markers));
    assert_eq!(scripted.pattern.label, "overactive");
}

/// A phase counts the pelvic contractions that name it as their phase (both by a contraction's
/// midpoint: an onset found just before a phase's cue belongs to the phase the cue opens).
#[test]
fn phase_counts_agree_with_each_contractions_phase() {
    for seed in 1..=5 {
        let config = ScenarioConfig {
            profile: Profile::Overactive,
            protocol: "glazer-mini".into(),
            seed,
            rate_hz: 1000.0,
            ..ScenarioConfig::default()
        };
        let session = generate(&config).expect("session");
        let report = analyze(&session.recording, AnalysisConfig::default()).expect("analysis");
        for phase in report.phases.iter().filter(|p| p.name != "push") {
            let counted = phase.metrics.get("contractions").copied().unwrap_or(0.0);
            let named = report
                .contractions_on("pelvic")
                .filter(|c| c.phase.as_deref() == Some(phase.name.as_str()))
                .count();
            assert_eq!(counted, named as f64, "seed {seed}, phase {}", phase.name);
        }
    }
}
