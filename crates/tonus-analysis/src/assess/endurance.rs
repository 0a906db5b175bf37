//! Endurance (Frawley 2021): how the endurance hold holds up. `reduced` (`endurance_fatigue`) when
//! the envelope falls by more than 30 % from its first to its last seconds (≈ 35 % in fatigue
//! studies, CLINICAL.md §6). The median-frequency slope is reported beside it, never judged (poor
//! test-retest reliability, Oleksy 2021).

use crate::assess::{pct, Finding, Inputs};
use crate::domain::{Domain, Measure, Rating};
use crate::report::Flag;
use tonus_core::FlagCode;

/// The endurance hold's decline (fraction) and median-frequency slope, Hz/s.
pub(crate) fn decline(i: &Inputs) -> Option<(f64, Option<f64>)> {
    let hold = i
        .contractions
        .iter()
        .filter(|c| c.in_phase("endurance"))
        .max_by(|a, b| (a.offset_s - a.onset_s).total_cmp(&(b.offset_s - b.onset_s)))?;
    let (first, last) = (hold.k.pelvic_first, hold.k.pelvic_last);
    Some((
        if first > 0.0 { 1.0 - last / first } else { 0.0 },
        hold.k.mf_slope,
    ))
}

/// Endurance (see the module docs).
pub(crate) fn assess(i: &Inputs) -> Finding {
    let cfg = i.config;
    let Some(hold) = i
        .contractions
        .iter()
        .filter(|c| c.in_phase("endurance"))
        .max_by(|a, b| (a.offset_s - a.onset_s).total_cmp(&(b.offset_s - b.onset_s)))
    else {
        return Finding::not_assessed(Domain::Endurance, "The session has no endurance hold.");
    };
    let (d, slope) = decline(i).unwrap_or((0.0, None));
    let mut evidence = vec![
        Measure::new(
            "hold_s",
            "endurance hold",
            hold.offset_s - hold.onset_s,
            "s",
        ),
        Measure::new(
            "amplitude_decline_pct",
            "amplitude decline over the hold",
            pct(d),
            "%",
        )
        .against(format!("≤ {:.0} %", pct(cfg.endurance_decline))),
    ];
    if let Some(s) = slope {
        evidence.push(Measure::new(
            "median_frequency_slope_hz_per_s",
            "median-frequency slope (poor reliability)",
            s,
            "Hz/s",
        ));
    }
    if d <= cfg.endurance_decline {
        return Finding::new(
            Domain::Endurance,
            Rating::Normal,
            evidence,
            Vec::new(),
            format!(
                "The endurance hold fell by {:.0} %, which suggests normal endurance.",
                pct(d)
            ),
        );
    }
    let (first, last) = (hold.k.pelvic_first, hold.k.pelvic_last);
    let flag = Flag::raise(
        FlagCode::EnduranceFatigue,
        (hold.onset_s, hold.offset_s),
        d,
        cfg.endurance_decline,
        d / cfg.endurance_decline,
        &[("first_s_uv", first), ("last_s_uv", last)],
        format!(
            "During the endurance hold the activity fell by {:.0} %, which suggests fast fatigue.",
            pct(d)
        ),
    );
    Finding::new(
        Domain::Endurance,
        Rating::Reduced,
        evidence,
        vec![flag],
        format!(
            "The endurance hold fell by {:.0} %, which suggests reduced endurance.",
            pct(d)
        ),
    )
}
