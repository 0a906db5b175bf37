//! Voluntary contraction (Frawley 2021: absent / weak / normal): the typical rise of a maximal
//! effort (the median over the `phasic` and `tonic` repetitions of the plateau's mean) above the
//! level it started from, as a multiple of pre-baseline rest (`weak_contraction` below 5:
//! Oleksy 2020's healthy MVC rises about 7 times rest above it). Measured from where each
//! contraction started, so lingering activity before it (an overactive floor's residual) neither
//! adds to nor hides the effort.
//!
//! With raised resting tone the rest itself is inflated (Glazer 1995: resting tension falls by
//! 68 % with down-training, so raised rest runs about 3.1 times trained rest), which shrinks the
//! ratio by the same factor; the rise is then judged against rest ÷ 3.1. A floor that does not
//! contract when asked is `absent`.

use crate::assess::{Finding, Inputs};
use crate::domain::{Domain, Measure, Rating};
use crate::report::Flag;
use tonus_core::FlagCode;

/// Voluntary contraction (see the module docs), given the resting-tone rating.
pub(crate) fn assess(i: &Inputs, tone: Rating) -> Finding {
    let cfg = i.config;
    let rest = i.rest.mean;
    if rest <= 0.0 {
        return Finding::not_assessed(
            Domain::Contraction,
            "No rest was measured to judge the contractions against.",
        );
    }
    if i.contractions.is_empty() || i.mvc <= 0.0 {
        if i.asked_contractions {
            return Finding::new(
                Domain::Contraction,
                Rating::Absent,
                Vec::new(),
                Vec::new(),
                "No voluntary contraction was found when one was asked for, which suggests an absent (or undetected) contraction; check the probe.".into(),
            );
        }
        return Finding::not_assessed(Domain::Contraction, "The session asked for no contraction.");
    }
    let rise = i.increment / rest;
    let raised = tone == Rating::Increased;
    let threshold = if raised {
        cfg.weak_mvc_over_rest / cfg.raised_rest_factor
    } else {
        cfg.weak_mvc_over_rest
    };
    let evidence = vec![
        Measure::new(
            "mvc_uv",
            "maximal voluntary contraction (0.5 s)",
            i.mvc,
            "µV",
        ),
        Measure::new(
            "mvc_rise_over_rest",
            "rise of a maximal effort above where it started (median)",
            rise,
            "x rest",
        )
        .against(if raised {
            format!(
                "≥ {threshold:.1} x rest (raised rest: {:.0} ÷ {:.1})",
                cfg.weak_mvc_over_rest, cfg.raised_rest_factor
            )
        } else {
            format!("≥ {threshold:.0} x rest")
        }),
    ];
    if rise >= threshold {
        return Finding::new(
            Domain::Contraction,
            Rating::Normal,
            evidence,
            Vec::new(),
            format!("Maximal efforts rose {rise:.1} times rest above where they started, which suggests a normal voluntary contraction."),
        );
    }
    let flag = Flag::raise(
        FlagCode::WeakContraction,
        (0.0, i.duration_s),
        rise,
        threshold,
        threshold / rise.max(1e-9),
        &[("mvc_uv", i.mvc), ("rest_uv", rest)],
        format!("Maximal efforts rose only {rise:.1} times the resting level above where they started, which suggests a weak contraction."),
    );
    let message = if raised {
        format!("Even against a raised rest, maximal efforts rose only {rise:.1} times rest, which suggests a weak contraction as well.")
    } else {
        format!("Maximal efforts rose only {rise:.1} times rest above where they started, which suggests a weak voluntary contraction.")
    };
    Finding::new(
        Domain::Contraction,
        Rating::Weak,
        evidence,
        vec![flag],
        message,
    )
}
