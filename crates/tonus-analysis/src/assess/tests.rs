//! Each domain alone, on measurements written by hand: the rules of the module docs, one case at a
//! time (the bank in `crates/tonus-bank` tests them together on generated sessions).

use crate::assess::{self, Held, Inputs, PushInputs, RestStats, SetMinima};
use crate::capture::{Capture, Release};
use crate::config::AnalysisConfig;
use crate::domain::Rating;
use crate::report::Contraction;
use tonus_core::FlagCode;

/// A contraction of `phase` from `on` to `off` s whose plateau sits at `level` µV and started from
/// `before`, releasing in `release_s`, with `after` µV 1.5–3.5 s after its plateau.
fn contraction(
    phase: &str,
    on: f64,
    off: f64,
    level: f64,
    before: f64,
    release_s: f64,
    after: f64,
) -> (Contraction, Capture) {
    let c = Contraction {
        channel: "pelvic".into(),
        phase: Some(phase.into()),
        onset_s: on,
        peak_s: on + 0.5,
        offset_s: off,
        peak: level * 1.1,
        mean: level,
        pct_mvc: 100.0,
        time_to_peak_s: 0.5,
        release_s,
        hold_cv: 0.05,
        return_to_baseline_s: None,
    };
    let k = Capture {
        smooth_peak: level,
        pct_peak: level,
        release: Release {
            level,
            plateau_end_s: off - 0.2,
            release_s,
            hold_cv: 0.05,
            plateau_mean: level,
        },
        return_s: None,
        pelvic_after: after,
        pelvic_first: level,
        pelvic_last: level * 0.9,
        pelvic_inner: level,
        pressure_inner: 0.0,
        abdominal_inner: 2.0,
        before,
        squeeze: None,
        mf_slope: None,
        gap: None,
    };
    (c, k)
}

fn rest(mean: f64, cv: f64) -> RestStats {
    RestStats {
        span: (1.0, 60.0),
        mean,
        sd: mean * cv,
        cv,
        blocks: 118,
    }
}

/// Two flicks and two holds at `level` over rest `r`, releasing in `release_s` to `after`.
fn session(level: f64, r: f64, release_s: f64, after: f64) -> Vec<(Contraction, Capture)> {
    vec![
        contraction("phasic", 10.0, 12.0, level, r, release_s, after),
        contraction("phasic", 22.0, 24.0, level, r, release_s, after),
        contraction("tonic", 30.0, 40.0, level, r, release_s, after),
        contraction("tonic", 50.0, 60.0, level, r, release_s, after),
    ]
}

fn assess_with(
    rows: &[(Contraction, Capture)],
    rest: RestStats,
    configure: impl Fn(&mut Inputs),
) -> assess::Assessment {
    let config = AnalysisConfig::default();
    let held: Vec<Held> = rows.iter().map(|(c, k)| Held { c, k }).collect();
    let mvc = rows.iter().map(|r| r.1.smooth_peak).fold(0.0, f64::max);
    let mut inputs = Inputs {
        config: &config,
        rest,
        post_rest: None,
        mvc,
        increment: rows
            .iter()
            .map(|r| r.1.release.plateau_mean - r.1.before)
            .fold(0.0, f64::max),
        contractions: &held,
        asked_contractions: true,
        sets: Vec::new(),
        push: None,
        accessory: None,
        duration_s: 80.0,
    };
    configure(&mut inputs);
    assess::assess(&inputs)
}

fn rating(a: &assess::Assessment, domain: &str) -> Rating {
    a.domains
        .iter()
        .find(|d| d.domain.as_str() == domain)
        .expect("domain")
        .rating
}

#[test]
fn a_weak_contraction_over_a_quiet_rest_is_weak_not_raised_tone() {
    // Rest 2 µV (36 % of a 5.5 µV maximum), stable, quick and complete release.
    let a = assess_with(&session(5.5, 2.0, 0.3, 2.1), rest(2.0, 0.05), |_| {});
    assert_eq!(rating(&a, "resting_tone"), Rating::Normal);
    assert_eq!(rating(&a, "contraction"), Rating::Weak);
    assert_eq!(rating(&a, "relaxation"), Rating::Complete);
    assert_eq!(a.pattern.label, "weak");
    assert!(!a.flags.iter().any(|f| f.code == FlagCode::ElevatedRest));
}

#[test]
fn instability_alone_makes_tone_increased() {
    let a = assess_with(&session(40.0, 4.0, 0.3, 4.1), rest(4.0, 0.2), |_| {});
    assert_eq!(rating(&a, "resting_tone"), Rating::Increased);
    assert_eq!(a.pattern.label, "overactive");
}

#[test]
fn too_little_rest_is_not_judged_unstable() {
    let short = RestStats {
        blocks: 6,
        ..rest(4.0, 0.2)
    };
    let a = assess_with(&session(40.0, 4.0, 0.3, 4.1), short, |_| {});
    assert_eq!(rating(&a, "resting_tone"), Rating::Normal);
}

#[test]
fn activity_after_holds_is_partial_relaxation_and_slow_release_delayed() {
    let partial = assess_with(&session(40.0, 4.0, 0.3, 6.0), rest(4.0, 0.05), |_| {});
    assert_eq!(rating(&partial, "relaxation"), Rating::Partial);
    assert!(partial
        .flags
        .iter()
        .any(|f| f.code == FlagCode::IncompleteRelaxation));
    let stuck = assess_with(&session(40.0, 4.0, 0.3, 30.0), rest(4.0, 0.05), |_| {});
    assert_eq!(rating(&stuck, "relaxation"), Rating::Absent);
    let slow = assess_with(&session(40.0, 4.0, 1.6, 4.1), rest(4.0, 0.05), |_| {});
    assert_eq!(rating(&slow, "relaxation"), Rating::Delayed);
    // Delayed relaxation alone is not over-activity.
    assert_eq!(slow.pattern.label, "within_reference");
}

#[test]
fn with_raised_tone_strength_is_judged_against_a_third_of_rest() {
    // Rise 2 × rest: weak against a normal rest (< 5), normal against a raised one (≥ 5 / 3.1).
    let normal_tone = assess_with(&session(12.0, 4.0, 0.3, 4.1), rest(4.0, 0.05), |_| {});
    assert_eq!(rating(&normal_tone, "contraction"), Rating::Weak);
    let raised = assess_with(&session(12.0, 4.0, 0.3, 4.1), rest(4.0, 0.25), |_| {});
    assert_eq!(rating(&raised, "contraction"), Rating::Normal);
    assert_eq!(raised.pattern.label, "overactive");
    let poor = assess_with(&session(7.0, 4.0, 0.3, 4.1), rest(4.0, 0.25), |_| {});
    assert_eq!(poor.pattern.label, "overactive_weak");
    assert!(
        poor.pattern.direction.find("relaxation") < poor.pattern.direction.find("strengthening")
    );
}

#[test]
fn rest_rising_across_a_set_or_after_the_exercises_raises_tone() {
    let sets = |i: &mut Inputs| {
        i.sets = vec![SetMinima {
            set: "tonic".into(),
            span: (30.0, 60.0),
            minima: vec![4.0, 4.5, 5.2],
        }];
    };
    let a = assess_with(&session(40.0, 4.0, 0.3, 4.1), rest(4.0, 0.05), sets);
    assert_eq!(rating(&a, "resting_tone"), Rating::Increased);
    let post = |i: &mut Inputs| {
        i.post_rest = Some(RestStats {
            span: (70.0, 80.0),
            ..rest(5.2, 0.05)
        })
    };
    let b = assess_with(&session(40.0, 4.0, 0.3, 4.1), rest(4.0, 0.05), post);
    assert!(b.flags.iter().any(|f| f.code == FlagCode::RisingBaseline));
}

#[test]
fn a_paradoxical_push_is_dyssynergic_and_evidence_of_raised_tone() {
    let push = |i: &mut Inputs| {
        i.push = Some(PushInputs {
            span: (60.0, 80.0),
            pushes: 2,
            pelvic_during: 8.0,
            anal_relaxation_pct: Some(-10.0),
        });
    };
    let a = assess_with(&session(40.0, 4.0, 0.3, 4.1), rest(4.0, 0.05), push);
    assert_eq!(rating(&a, "coordination"), Rating::Dyssynergic);
    // A paradoxical push counts as evidence of raised tone too.
    assert_eq!(rating(&a, "resting_tone"), Rating::Increased);
}

#[test]
fn a_weak_contraction_with_borderline_tone_is_inconclusive() {
    // CV 11 %: within 80 % of the 12 % threshold.
    let a = assess_with(&session(8.0, 2.0, 0.3, 2.1), rest(2.0, 0.11), |_| {});
    assert_eq!(rating(&a, "contraction"), Rating::Weak);
    assert_eq!(a.pattern.label, "inconclusive");
}
