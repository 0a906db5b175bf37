//! Relaxation after contraction (Frawley 2021: complete / partial / delayed / absent): how fast
//! each contraction lets go, and whether the envelope gets back to rest after each hold.
//!
//! - `partial` (`incomplete_relaxation`): 1.5–3.5 s after the plateau of the holds, the envelope
//!   stays on average above pre-baseline mean + 2 SD (of that average: the rest's SD over √holds)
//!   and at least 25 % above it (CLINICAL.md §6.2; Kasper 2025 compares the post-tonic mean with
//!   rest);
//! - `absent`: after at least half of the holds it stays above half of the hold's rise;
//! - `delayed` (`slow_release`): the median release (end of plateau to 80 % released) exceeds 1 s
//!   (Leitner 2019; not specific to an overactive floor);
//! - `complete` otherwise.

use crate::assess::{Finding, Inputs};
use crate::capture::AFTER_S;
use crate::domain::{Domain, Measure, Rating};
use crate::report::Flag;
use tonus_core::FlagCode;

/// Relaxation (see the module docs).
pub(crate) fn assess(i: &Inputs) -> Finding {
    let cfg = i.config;
    if !i.calibrated() || i.contractions.is_empty() {
        return Finding::not_assessed(
            Domain::Relaxation,
            "No contraction to relax from was found.",
        );
    }
    let rest = i.rest.mean;
    let mut flags = Vec::new();
    let mut evidence = Vec::new();
    // After each hold.
    let holds: Vec<_> = i.contractions.iter().filter(|c| c.is_hold()).collect();
    // The mean over n holds is compared, so its spread is the rest's over √n.
    let n = holds.len().max(1) as f64;
    let limit = (rest + cfg.incomplete_relaxation_sd * i.rest.sd / n.sqrt())
        .max(rest * (1.0 + cfg.incomplete_relaxation_min_rise));
    let high: Vec<_> = holds.iter().filter(|c| c.k.pelvic_after > limit).collect();
    let stuck = holds
        .iter()
        .filter(|c| {
            c.k.pelvic_after > rest + cfg.absent_relaxation_fraction * (c.k.release.level - rest)
        })
        .count();
    let after_mean =
        holds.iter().map(|c| c.k.pelvic_after).sum::<f64>() / holds.len().max(1) as f64;
    let partial = !holds.is_empty() && after_mean > limit;
    let absent = !holds.is_empty() && 2 * stuck >= holds.len();
    if !holds.is_empty() {
        evidence.push(
            Measure::new(
                "post_hold_uv",
                "mean level 1.5–3.5 s after the holds",
                after_mean,
                "µV",
            )
            .against(format!(
                "≤ {limit:.1} µV: rest + 2 SD/√holds, at least rest + 25 %"
            )),
        );
        evidence.push(Measure::new(
            "holds_not_relaxed",
            &format!("holds (of {}) not back to rest", holds.len()),
            high.len() as f64,
            "",
        ));
    }
    if partial {
        let span = (
            holds[0].k.release.plateau_end_s,
            holds[holds.len() - 1].k.release.plateau_end_s + AFTER_S.1,
        );
        flags.push(Flag::raise(
            FlagCode::IncompleteRelaxation,
            span,
            after_mean,
            limit,
            after_mean / limit,
            &[("holds", holds.len() as f64), ("holds_not_relaxed", high.len() as f64), ("pre_baseline_uv", rest)],
            format!(
                "After the holds activity stayed at {:.0} % of rest on average ({} of {} holds above the limit) {:.1}–{:.1} s after letting go, which suggests incomplete relaxation.",
                100.0 * after_mean / rest,
                high.len(),
                holds.len(),
                AFTER_S.0,
                AFTER_S.1
            ),
        ));
    }
    // Release time, every contraction.
    let mut releases: Vec<f64> = i
        .contractions
        .iter()
        .map(|c| c.k.release.release_s)
        .collect();
    releases.sort_by(f64::total_cmp);
    let median = releases[releases.len() / 2];
    evidence.push(
        Measure::new(
            "median_release_s",
            "median release time (end of plateau to 80 % released)",
            median,
            "s",
        )
        .against(format!("≤ {:.1} s", cfg.slow_release_s)),
    );
    let delayed = median > cfg.slow_release_s;
    if delayed {
        let span = i.span_of(|_| true).unwrap_or((0.0, i.duration_s));
        flags.push(Flag::raise(
            FlagCode::SlowRelease,
            span,
            median,
            cfg.slow_release_s,
            median / cfg.slow_release_s,
            &[("median_release_s", median), ("contractions", releases.len() as f64)],
            format!("Contractions take {median:.1} s to release (median), which suggests slow relaxation; slow release alone is not specific to an overactive floor."),
        ));
    }
    let (rating, message) = if absent {
        (
            Rating::Absent,
            "After most holds the muscle stayed contracted, which suggests absent relaxation."
                .to_string(),
        )
    } else if partial {
        (Rating::Partial, "After most holds activity stayed above rest, which suggests incomplete (partial) relaxation.".to_string())
    } else if delayed {
        (Rating::Delayed, format!("The muscle returned to rest, but slowly (median {median:.1} s), which suggests delayed relaxation."))
    } else {
        (Rating::Complete, format!("The muscle let go quickly (median {median:.1} s) and returned to rest, which suggests complete relaxation."))
    };
    Finding::new(Domain::Relaxation, rating, evidence, flags, message)
}
