//! The live session: events depend only on the samples and markers (not on how they arrive), its
//! report equals batch analysis of the same recording, and its events agree with that report.

mod common;

use proptest::prelude::*;
use tonus_analysis::{analyze, AnalysisConfig, Report, Session, SessionConfig};
use tonus_core::{Event, EventKind, Recording};
use tonus_sim::{generate, ArtifactKind, Profile, ScenarioConfig};

fn recording(profile: Profile, seed: u64, artifacts: Vec<ArtifactKind>) -> Recording {
    let config = ScenarioConfig {
        profile,
        protocol: "glazer-mini".into(),
        seed,
        rate_hz: 1000.0,
        artifacts,
        ..Default::default()
    };
    generate(&config).expect("session").recording
}

/// Feeds the recording in rounds: each round gives every channel (in `order`) its next chunk of
/// `chunk(round, channel)` samples.
fn run(
    rec: &Recording,
    order: &[usize],
    chunk: &dyn Fn(usize, usize) -> usize,
) -> (Vec<Event>, Report) {
    let mut session =
        Session::new(&rec.channels, &rec.markers, None, SessionConfig::default()).expect("session");
    let mut pos = vec![0usize; rec.channels.len()];
    let mut events = Vec::new();
    let mut round = 0;
    while pos.iter().zip(&rec.samples).any(|(p, s)| *p < s.len()) {
        for &c in order {
            let s = &rec.samples[c];
            let n = chunk(round, c).max(1).min(s.len() - pos[c]);
            session.push(c, &s[pos[c]..pos[c] + n]);
            pos[c] += n;
        }
        session.take_events(&mut events);
        round += 1;
    }
    let report = session.finish(&mut events);
    (events, report)
}

#[test]
fn session_report_equals_batch_analysis() {
    for profile in [Profile::Normal, Profile::Overactive, Profile::Weak] {
        let rec = recording(profile, 7, vec![]);
        let (_, live) = run(&rec, &[0, 1, 2], &|_, _| 64);
        let batch = analyze(&rec, AnalysisConfig::default()).expect("batch");
        assert_eq!(live, batch, "{profile:?}: session and batch reports differ");
    }
}

#[test]
fn events_agree_with_the_report() {
    let rec = recording(
        Profile::Overactive,
        3,
        vec![ArtifactKind::CoughArtifact, ArtifactKind::MainsInterference],
    );
    let (events, report) = run(&rec, &[0, 1, 2], &|_, _| 40);
    // Time order, and an End with the report's pattern last.
    assert!(events.windows(2).all(|w| w[0].time_s <= w[1].time_s));
    match &events.last().expect("events").kind {
        EventKind::End { pattern, domains } => {
            assert_eq!(pattern, &report.pattern.label);
            assert_eq!(domains.len(), report.domains.len());
        }
        other => panic!("last event {other:?}"),
    }
    // Every contraction of the report, and no other, was announced when it ended.
    let ended: Vec<(usize, f64, f64)> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Contraction {
                channel,
                onset_s,
                offset_s,
                ..
            } => Some((channel, onset_s, offset_s)),
            _ => None,
        })
        .collect();
    // The report leaves out contractions touching artifact spans, widened by 0.5 s before and
    // 1 s after (the envelope and the filters spread an artifact; a cough is not a contraction);
    // live, they were announced as they happened.
    let artifact = |on: f64, off: f64| {
        report.flags.iter().any(|f| {
            matches!(f.code.as_str(), "cough_artifact" | "motion_artifact")
                && on < f.end_s + 1.0
                && off > f.start_s - 0.5
        })
    };
    let extra = ended
        .iter()
        .filter(|e| {
            !report
                .contractions
                .iter()
                .any(|c| (e.1 - c.onset_s).abs() < 1e-9)
        })
        .collect::<Vec<_>>();
    assert!(
        extra.iter().all(|e| artifact(e.1, e.2)),
        "announced contractions missing from the report outside artifacts: {extra:?}"
    );
    assert_eq!(ended.len(), report.contractions.len() + extra.len());
    for c in &report.contractions {
        let ch = rec
            .channels
            .iter()
            .position(|x| x.name == c.channel)
            .expect("channel");
        assert!(
            ended.iter().any(|e| e.0 == ch
                && (e.1 - c.onset_s).abs() < 1e-9
                && (e.2 - c.offset_s).abs() < 1e-9),
            "contraction at {} s not announced",
            c.onset_s
        );
    }
    // Each contraction start is announced before its end, at or after its onset.
    let starts = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::ContractionStart { .. }))
        .count();
    assert_eq!(starts, ended.len());
    // Every phase of the recording starts once, at its marker's time.
    let phases: Vec<(f64, &str)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PhaseStart { name } => Some((e.time_s, name.as_str())),
            _ => None,
        })
        .collect();
    let expected: Vec<(f64, &str)> = rec
        .markers
        .iter()
        .filter(|m| m.is_phase())
        .map(|m| (m.time_s, m.label.as_str()))
        .collect();
    assert_eq!(phases, expected);
    // Every final flag was raised as an event, by the end at the latest (its evidence then was the
    // evidence so far: a %MVC figure, say, against the maximum up to that phase).
    for f in &report.flags {
        assert!(
            events.iter().any(|e| matches!(&e.kind,
                EventKind::Flag { code, start_s, .. }
                    if code == &f.code && (start_s - f.start_s).abs() < 1e-3)),
            "flag {} at {} s was never raised",
            f.code,
            f.start_s
        );
    }
    // Flags about rest are raised as soon as the rest phase ends, not only at the end.
    let first_phase_end = expected.get(1).expect("two phases").0;
    assert!(
        events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Flag { .. }) && e.time_s == first_phase_end),
        "the overactive profile's rest flags are raised when pre_baseline ends"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]
    /// Whatever the chunk sizes and the order channels arrive in, the events are identical.
    #[test]
    fn events_do_not_depend_on_arrival(sizes in proptest::collection::vec(1usize..700, 1..12), rotate in 0usize..3) {
        let rec = recording(Profile::Overactive, 5, vec![]);
        let (reference, report) = run(&rec, &[0, 1, 2], &|_, _| 50);
        let mut order = vec![0, 1, 2];
        order.rotate_left(rotate);
        let (events, other) = run(&rec, &order, &|round, c| sizes[(round + c) % sizes.len()]);
        prop_assert_eq!(events, reference);
        prop_assert_eq!(other, report);
    }
}

#[test]
fn a_session_longer_than_the_history_it_holds_reports_as_batch_analysis_does() {
    // Five Glazer sessions back to back (34 minutes, phases and cues repeated): the engine drops
    // history once, at minute 30, after measuring every contraction in it; the live session, fed
    // in small rounds with flags evaluated at every phase end, ends with the batch report.
    let rec = common::five_sessions_back_to_back();
    assert!(rec.duration_s() > 1800.0);
    let (events, live) = run(&rec, &[0, 1, 2], &|_, _| 500);
    let batch = analyze(&rec, AnalysisConfig::default()).expect("batch");
    assert_eq!(live, batch);
    // Contractions of every part are reported, the first included.
    for k in 0..5 {
        let (a, b) = (k as f64 * 410.0, (k + 1) as f64 * 410.0);
        assert!(
            live.contractions_on("pelvic")
                .any(|c| c.onset_s >= a && c.onset_s < b),
            "no pelvic contraction in part {k}"
        );
    }
    assert!(events
        .iter()
        .any(|e| matches!(e.kind, EventKind::Flag { .. })));
}
