//! Resting tone (Frawley 2021: normal / increased / decreased), on evidence a low MVC cannot create
//! (CLINICAL.md §2b):
//!
//! - instability of rest (`unstable_rest`): the coefficient of variation of the 0.5 s means of the
//!   pre-baseline, pooled with the post-baseline's, above 0.12 (Glazer 1995: instability falls with
//!   down-training), judged on at least 5 s of rest;
//! - rest rising across the session (`rising_baseline`): the minima between the repetitions of a
//!   set rise by more than 20 % of rest (the last third against the first third), or the post-baseline rest is more than 25 % above the
//!   pre-baseline's;
//! - relaxation that stops short of rest (partial or absent), or a paradoxical push;
//! - absolute rest, only against a reference range a device profile gives for its own electrodes
//!   ([`AnalysisConfig::rest_reference_uv`](crate::AnalysisConfig::rest_reference_uv));
//! - rest above 30 % of the session MVC (`elevated_rest`) supports raised tone only beside delayed
//!   relaxation: a weak contraction raises that ratio by itself.

use crate::assess::{pct, Finding, Inputs, GUARD};
use crate::domain::{Domain, Measure, Rating};
use crate::report::Flag;
use tonus_core::FlagCode;

/// 0.5 s means of rest needed to judge its stability (5 s) \[design\].
pub(crate) const MIN_REST_BLOCKS: usize = 10;

/// How far the minima between a set's repetitions rose, as a fraction of `rest`: the mean of the
/// last third of them against the mean of the first third (one noisy gap does not make a trend);
/// `None` for fewer than two.
pub(crate) fn set_rise(minima: &[f64], rest: f64) -> Option<f64> {
    if minima.len() < 2 || rest <= 0.0 {
        return None;
    }
    let k = minima.len().div_ceil(3);
    let avg = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    Some((avg(&minima[minima.len() - k..]) - avg(&minima[..k])) / rest)
}

/// Resting tone (see the module docs), given the relaxation and coordination ratings.
pub(crate) fn assess(i: &Inputs, relaxation: Rating, coordination: Rating) -> Finding {
    let cfg = i.config;
    let r = i.rest;
    if r.mean <= 0.0 {
        return Finding::not_assessed(
            Domain::RestingTone,
            "No rest was measured (no pre-baseline and no quiet stretch).",
        );
    }
    let mut flags = Vec::new();
    let mut reasons: Vec<String> = Vec::new();
    // Instability: the CV of the 0.5 s means of the pre-baseline, pooled with the
    // post-baseline's (Glazer measures both); it needs enough rest to be judged (fewer means,
    // e.g. a short pre-baseline cut by artifacts, scatter too much to tell).
    let (cv, blocks) = r.pooled_cv(i.post_rest.as_ref());
    let mut evidence = vec![
        Measure::new("rest_uv", "pre-baseline rest", r.mean, "µV"),
        Measure::new(
            "rest_cv",
            "rest variability (CV of 0.5 s means, pre- and post-baseline)",
            pct(cv),
            "%",
        )
        .against(format!("≤ {:.0} %", pct(cfg.unstable_rest_cv))),
    ];
    let judged = blocks >= MIN_REST_BLOCKS;
    if !judged {
        evidence.push(
            Measure::new(
                "rest_s",
                "rest too short to judge its stability",
                blocks as f64 * 0.5,
                "s",
            )
            .against(format!("≥ {:.0} s", MIN_REST_BLOCKS as f64 * 0.5)),
        );
    }
    let unstable = judged && cv > cfg.unstable_rest_cv;
    if unstable {
        reasons.push(format!("rest varies by {:.0} %", pct(cv)));
        flags.push(Flag::raise(
            FlagCode::UnstableRest,
            r.span,
            cv,
            cfg.unstable_rest_cv,
            cv / cfg.unstable_rest_cv,
            &[("rest_uv", r.mean), ("pre_baseline_cv", r.cv), ("rest_s", blocks as f64 * 0.5)],
            format!("Resting activity varies by {:.0} % (coefficient of variation), which suggests unstable resting tone.", pct(cv)),
        ));
    }
    let mut rising = false;
    for set in &i.sets {
        let Some(rise) = set_rise(&set.minima, r.mean) else {
            continue;
        };
        if rise > cfg.rising_baseline_fraction {
            rising = true;
            reasons.push(format!(
                "rest rose by {:.0} % between {} repetitions",
                pct(rise),
                set.set
            ));
            let (first, last) = (set.minima[0], set.minima[set.minima.len() - 1]);
            flags.push(Flag::raise(
                FlagCode::RisingBaseline,
                set.span,
                rise,
                cfg.rising_baseline_fraction,
                rise / cfg.rising_baseline_fraction,
                &[("first_minimum_uv", first), ("last_minimum_uv", last), ("repetitions", set.minima.len() as f64 + 1.0)],
                format!("Between {} repetitions the resting level rose by {:.0} % of rest, which suggests tension building up.", set.set, pct(rise)),
            ));
        }
    }
    if let Some(post) = i.post_rest {
        let (span, post) = (post.span, post.mean);
        let rise = post / r.mean - 1.0;
        evidence.push(
            Measure::new(
                "post_rest_change",
                "post-baseline rest against pre-baseline",
                pct(rise),
                "%",
            )
            .against(format!("≤ +{:.0} %", pct(cfg.post_rest_rise))),
        );
        if rise > cfg.post_rest_rise {
            rising = true;
            reasons.push(format!(
                "rest after the exercises is {:.0} % higher",
                pct(rise)
            ));
            flags.push(Flag::raise(
                FlagCode::RisingBaseline,
                span,
                rise,
                cfg.post_rest_rise,
                rise / cfg.post_rest_rise,
                &[("pre_baseline_uv", r.mean), ("post_baseline_uv", post)],
                format!("Rest after the exercises was {:.0} % above rest before them, which suggests tension building up.", pct(rise)),
            ));
        }
    }
    let mut device = None;
    if let Some((low, high)) = cfg.rest_reference_uv {
        evidence.push(
            Measure::new(
                "rest_uv_device",
                "rest against the device's reference",
                r.mean,
                "µV",
            )
            .against(format!("{low:.1}–{high:.1} µV")),
        );
        device = Some((r.mean > high, r.mean < low));
    }
    let released_short = matches!(relaxation, Rating::Partial | Rating::Absent);
    if released_short {
        reasons.push(format!("relaxation after holds is {}", relaxation.words()));
    }
    if coordination == Rating::Dyssynergic {
        reasons.push("the pelvic floor contracted while bearing down".into());
    }
    let pct_mvc = if i.mvc > 0.0 {
        100.0 * r.mean / i.mvc
    } else {
        0.0
    };
    if i.mvc > 0.0 {
        evidence.push(
            Measure::new(
                "rest_pct_mvc",
                "rest as % of the session's maximum (supports only)",
                pct_mvc,
                "%",
            )
            .against(format!(
                "≤ {:.0} %; healthy ≈ 20 %",
                cfg.elevated_rest_pct_mvc
            )),
        );
    }
    let high_ratio = pct_mvc > cfg.elevated_rest_pct_mvc;
    let supported = high_ratio && relaxation == Rating::Delayed;
    if supported {
        reasons.push("rest is high against the maximum and release is slow".into());
    }
    let above_device = device.is_some_and(|d| d.0);
    let increased = unstable
        || rising
        || released_short
        || coordination == Rating::Dyssynergic
        || above_device
        || supported;
    if increased && (high_ratio || above_device) {
        let value = if high_ratio { pct_mvc } else { r.mean };
        let threshold = if high_ratio {
            cfg.elevated_rest_pct_mvc
        } else {
            cfg.rest_reference_uv.map_or(0.0, |d| d.1)
        };
        flags.push(Flag::raise(
            FlagCode::ElevatedRest,
            r.span,
            value,
            threshold,
            value / threshold.max(1e-12),
            &[("rest_uv", r.mean), ("mvc_uv", i.mvc)],
            format!("Resting activity is {pct_mvc:.0} % of this session's maximal contraction (healthy rest is about 20 %); with the signs above it suggests raised resting tone."),
        ));
    }
    let borderline = (!increased).then(|| borderline(i, cv, judged)).flatten();
    let (rating, message) = if increased {
        (
            Rating::Increased,
            format!(
                "The evidence suggests increased resting tone: {}.",
                reasons.join("; ")
            ),
        )
    } else if device.is_some_and(|d| d.1) {
        (
            Rating::Decreased,
            "Rest lies below the device's reference range, which suggests decreased resting tone."
                .to_string(),
        )
    } else if high_ratio {
        (Rating::Normal, format!(
            "Rest is quiet and stable, and the muscle returns to it, which suggests normal resting tone; rest is {pct_mvc:.0} % of the maximum because the contraction is small, not because rest is raised."
        ))
    } else {
        (
            Rating::Normal,
            "Rest is quiet and stable, and the muscle returns to it, which suggests normal resting tone."
                .to_string(),
        )
    };
    let mut finding = Finding::new(Domain::RestingTone, rating, evidence, flags, message);
    finding.borderline = borderline;
    finding
}

/// Signs of raised tone within [`GUARD`] of their thresholds, in words (`None` when tone is
/// clearly normal): rest variability, the level after the holds, the post-baseline's rise.
fn borderline(i: &Inputs, cv: f64, judged: bool) -> Option<String> {
    let cfg = i.config;
    let r = i.rest;
    let mut near = Vec::new();
    if judged && cv > GUARD * cfg.unstable_rest_cv {
        near.push(format!(
            "rest varies by {:.0} % (limit {:.0} %)",
            pct(cv),
            pct(cfg.unstable_rest_cv)
        ));
    }
    let after: Vec<f64> = i
        .contractions
        .iter()
        .filter(|c| c.is_hold())
        .map(|c| c.k.pelvic_after)
        .collect();
    if !after.is_empty() {
        let m = after.iter().sum::<f64>() / after.len() as f64;
        if m > r.mean * (1.0 + GUARD * cfg.incomplete_relaxation_min_rise) {
            near.push(format!(
                "activity after the holds stays {:.0} % above rest",
                100.0 * (m / r.mean - 1.0)
            ));
        }
    }
    if let Some(post) = i
        .post_rest
        .filter(|p| p.mean > r.mean * (1.0 + GUARD * cfg.post_rest_rise))
    {
        near.push(format!(
            "rest after the exercises is {:.0} % higher",
            100.0 * (post.mean / r.mean - 1.0)
        ));
    }
    (!near.is_empty()).then(|| near.join("; "))
}
