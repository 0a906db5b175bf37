//! Coordination (Frawley 2021): accessory (abdominal) muscles joining the pelvic contractions, and
//! the pelvic floor while bearing down.
//!
//! - `dyssynergic` (`paradoxical_push`): while the abdominal channel bears down in the `push` phase,
//!   the pelvic envelope averages above 1.3 × rest instead of falling (Rao types 1–2; CLINICAL.md
//!   §6.1), with the anal pressure's relaxation as supporting evidence;
//! - `accessory` (`accessory_cocontraction`): inside the pelvic contractions the abdominal envelope
//!   averages above 3 × its rest (MyoTrac manual, Pedraza 2014; CLINICAL.md §6.5);
//! - `normal` when either was looked at and neither was found; `not_assessed` otherwise.

use crate::assess::{Finding, Inputs};
use crate::domain::{Domain, Measure, Rating};
use crate::report::Flag;
use tonus_core::FlagCode;

/// Coordination (see the module docs).
pub(crate) fn assess(i: &Inputs) -> Finding {
    let cfg = i.config;
    let rest = i.rest.mean;
    let mut flags = Vec::new();
    let mut evidence = Vec::new();
    let mut assessed = false;
    let mut dyssynergic = false;
    if let (Some(p), true) = (i.push, rest > 0.0) {
        assessed = true;
        let ratio = p.pelvic_during / rest;
        evidence.push(
            Measure::new(
                "pelvic_during_push",
                "pelvic activity while bearing down",
                ratio,
                "x rest",
            )
            .against(format!(
                "≤ {:.1} x rest (should fall)",
                cfg.paradoxical_push_ratio
            )),
        );
        if let Some(r) = p.anal_relaxation_pct {
            evidence.push(
                Measure::new(
                    "anal_relaxation_pct",
                    "anal pressure fall while bearing down",
                    r,
                    "%",
                )
                .against("≥ 20 %"),
            );
        }
        if ratio > cfg.paradoxical_push_ratio {
            dyssynergic = true;
            let mut ev = vec![
                ("pelvic_during_push_uv", p.pelvic_during),
                ("rest_uv", rest),
                ("pushes", p.pushes as f64),
            ];
            if let Some(r) = p.anal_relaxation_pct {
                ev.push(("anal_pressure_relaxation_pct", r));
            }
            flags.push(Flag::raise(
                FlagCode::ParadoxicalPush,
                p.span,
                ratio,
                cfg.paradoxical_push_ratio,
                ratio / cfg.paradoxical_push_ratio,
                &ev,
                format!("While bearing down the pelvic floor activity rose to {ratio:.1} times rest instead of falling, which suggests a paradoxical contraction (dyssynergia pattern)."),
            ));
        }
    }
    let mut accessory = false;
    if let Some(a) = i.accessory.filter(|a| a.rest > 0.0 && a.contractions > 0) {
        assessed = true;
        let ratio = a.during / a.rest;
        evidence.push(
            Measure::new(
                "abdominal_during_contractions",
                "abdominal activity during pelvic contractions",
                ratio,
                "x rest",
            )
            .against(format!("≤ {:.0} x rest", cfg.accessory_ratio)),
        );
        if ratio > cfg.accessory_ratio {
            accessory = true;
            flags.push(Flag::raise(
                FlagCode::AccessoryCocontraction,
                a.span,
                ratio,
                cfg.accessory_ratio,
                ratio / cfg.accessory_ratio,
                &[("abdominal_during_holds_uv", a.during), ("abdominal_rest_uv", a.rest), ("contractions", a.contractions as f64)],
                format!("The abdominal muscles rose to {ratio:.1} times their rest during pelvic contractions, which suggests accessory (substitution) activity."),
            ));
        }
    }
    if !assessed {
        return Finding::not_assessed(
            Domain::Coordination,
            "Coordination needs an abdominal channel (and a push phase for bearing down).",
        );
    }
    let (rating, message) = match (dyssynergic, accessory) {
        (true, _) => (Rating::Dyssynergic, "The pelvic floor contracted while bearing down, which suggests dyssynergia."),
        (false, true) => (Rating::Accessory, "The abdominal muscles joined the pelvic contractions, which suggests substitution by accessory muscles."),
        (false, false) => (Rating::Normal, "The pelvic floor worked without abdominal substitution and let go while bearing down (where tested)."),
    };
    Finding::new(
        Domain::Coordination,
        rating,
        evidence,
        flags,
        message.into(),
    )
}
