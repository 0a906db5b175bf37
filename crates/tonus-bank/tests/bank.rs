//! The scenario bank against its targets (issue 20): pattern agreement ≥ 95 %; an overactive floor
//! (weak or not) never called weak or within reference; a weak floor called overactive in at most
//! 2 %; and scaling every EMG value by 0.3 or 3 changes no pattern and no domain rating.

use std::collections::BTreeMap;

use tonus_analysis::{analyze, AnalysisConfig, Report};
use tonus_bank::{cases, generate, run_all, Case, Outcome, Profile, Severity};

#[test]
fn the_bank_meets_the_agreement_targets() {
    let all = cases();
    assert!(all.len() >= 200, "{} sessions", all.len());
    let outcomes = run_all(&all, 2);
    let mut matrix: BTreeMap<(&str, String), usize> = BTreeMap::new();
    for o in &outcomes {
        *matrix
            .entry((
                o.case.profile.expected_pattern(),
                o.report.pattern.label.to_string(),
            ))
            .or_default() += 1;
    }
    eprintln!("truth -> suggested: count");
    for ((truth, got), n) in &matrix {
        eprintln!("  {truth} -> {got}: {n}");
    }
    let agree = outcomes.iter().filter(|o| o.agrees()).count();
    let share = agree as f64 / outcomes.len() as f64;
    let wrong: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.agrees())
        .map(|o| format!("{} -> {}", o.case.label(), o.report.pattern.label))
        .collect();
    assert!(
        share >= 0.95,
        "agreement {agree}/{}: {wrong:#?}",
        outcomes.len()
    );
    for o in &outcomes {
        let label = o.report.pattern.label.as_str();
        if matches!(
            o.case.profile,
            Profile::Overactive | Profile::OveractiveWeak
        ) {
            assert!(
                !matches!(label, "weak" | "within_reference"),
                "{} called {label}",
                o.case.label()
            );
        }
    }
    let weak: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.case.profile == Profile::Weak)
        .collect();
    let weak_as_over = weak
        .iter()
        .filter(|o| o.report.pattern.label.is_overactive())
        .count();
    assert!(
        weak_as_over as f64 <= 0.02 * weak.len() as f64,
        "{weak_as_over} of {} weak floors called overactive",
        weak.len()
    );
}

/// `rec` with every EMG sample multiplied by `k`.
fn scaled(case: &Case, k: f64) -> Report {
    let mut rec = generate(case).recording;
    for (ch, samples) in rec.channels.iter().zip(rec.samples.iter_mut()) {
        if ch.kind() == tonus_core::ChannelKind::Emg {
            samples.iter_mut().for_each(|x| *x *= k);
        }
    }
    analyze(&rec, AnalysisConfig::default()).expect("analysis")
}

#[test]
fn scaling_the_emg_by_a_third_or_three_changes_no_pattern() {
    let mut checked = 0;
    for (i, profile) in Profile::ALL.into_iter().enumerate() {
        for severity in Severity::ALL {
            let case = Case {
                profile,
                severity,
                seed: 700 + i as u64 * 3 + severity.index() as u64,
                gain: 1.0,
                rate_hz: 1000.0,
                protocol: "glazer-mini",
                artifacts: if profile == Profile::Artifacts {
                    vec![
                        tonus_bank::Artifact::Cough,
                        tonus_bank::Artifact::Saturation,
                    ]
                } else {
                    Vec::new()
                },
            };
            let base = scaled(&case, 1.0);
            let ratings = |r: &Report| -> Vec<String> {
                r.domains
                    .iter()
                    .map(|d| format!("{}:{}", d.domain.as_str(), d.rating.as_str()))
                    .collect()
            };
            for k in [0.3, 3.0] {
                let r = scaled(&case, k);
                assert_eq!(
                    r.pattern.label,
                    base.pattern.label,
                    "{} at x{k}",
                    case.label()
                );
                assert_eq!(ratings(&r), ratings(&base), "{} at x{k}", case.label());
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 36);
}
