//! Pressure-only analysis of anorectal manometry: resting pressure, squeeze increments, squeeze
//! duration, and the push (simulated evacuation) result, from the recording's phase markers.
//!
//! Definitions (CLINICAL.md §5): resting pressure is the mean anal (canal-maximum) pressure over the
//! `rest` phase (30–60 s; Ang 2022); a squeeze increment is the highest anal pressure within 10 s of a
//! squeeze marker minus rest (IAPWG's 5 s squeeze, widened because markers are placed by hand and
//! the peak follows 1–5 s later); squeeze duration is how long the increment stays above half its
//! maximum (Oblizajek 2022); a push's anal relaxation is the fall of the mean anal pressure over the
//! 10 s after the marker, in % of rest (≥ 20 % adequate, a rise paradoxical: Rao), with the rectal rise
//! beside it (> 40 mmHg adequate propulsion).

use std::collections::BTreeMap;

use tonus_core::Recording;

use crate::report::{
    mean, Contraction, Flag, Pattern, Phase, Processing, Quality, Report, Source, SourceChannel,
};

/// Samples of `x` (at `rate`) between two times.
fn span(x: &[f64], rate: f64, a: f64, b: f64) -> &[f64] {
    let i = ((a * rate).max(0.0) as usize).min(x.len());
    let j = ((b * rate).max(0.0) as usize).min(x.len());
    &x[i..j.max(i)]
}

/// Analyses a pressure-only recording with an `anal` channel (and optionally `rectal`).
pub fn analyze_manometry(rec: &Recording) -> Option<Report> {
    let anal_i = rec.channels.iter().position(|c| c.name == "anal")?;
    let rectal_i = rec.channels.iter().position(|c| c.name == "rectal");
    let rate = rec.channels[anal_i].rate_hz;
    let anal = &rec.samples[anal_i];
    let duration = anal.len() as f64 / rate;
    let phases: Vec<(String, f64, f64)> = rec
        .markers
        .iter()
        .enumerate()
        .map(|(i, m)| {
            (
                m.label.clone(),
                m.time_s,
                rec.markers.get(i + 1).map_or(duration, |n| n.time_s),
            )
        })
        .collect();
    let (ra, rb) = phases
        .iter()
        .find(|p| p.0 == "rest")
        .map_or((0.0, 20.0), |p| (p.1, p.2.min(p.1 + 60.0)));
    let rest = mean(span(anal, rate, ra, rb));
    let rectal_rest = rectal_i.map(|r| mean(span(&rec.samples[r], rate, ra, rb)));

    let mut contractions = Vec::new();
    let mut out_phases = Vec::new();
    let mut flags = Vec::new();
    let mut pushes = 0;
    let mut paradoxical = 0;
    for (name, a, b) in &phases {
        let mut m = BTreeMap::new();
        m.insert("anal_mean_mmhg".to_string(), mean(span(anal, rate, *a, *b)));
        if name == "rest" {
            m.insert("resting_pressure".into(), rest);
        }
        if name.starts_with("squeeze") || name == "long_squeeze" {
            let end = b.min(a + 10.0);
            let w = span(anal, rate, *a, end);
            if let Some((k, &peak)) = w.iter().enumerate().max_by(|x, y| x.1.total_cmp(y.1)) {
                let increment = peak - rest;
                let half = rest + 0.5 * increment;
                let at = ((a * rate) as usize + k).min(anal.len());
                let after = anal[at..].iter().take_while(|v| **v >= half).count();
                let before = anal[..at].iter().rev().take_while(|v| **v >= half).count();
                let duration_s = (after + before) as f64 / rate;
                m.insert("squeeze_increment".into(), increment);
                m.insert("squeeze_duration_s".into(), duration_s);
                contractions.push(Contraction {
                    channel: "anal".into(),
                    phase: Some(name.clone()),
                    onset_s: (at - before) as f64 / rate,
                    peak_s: at as f64 / rate,
                    offset_s: (at + after) as f64 / rate,
                    peak,
                    mean: mean(&anal[at - before..(at + after).min(anal.len())]),
                    pct_mvc: 0.0,
                    time_to_peak_s: before as f64 / rate,
                    release_s: after as f64 / rate,
                    hold_cv: 0.0,
                    return_to_baseline_s: None,
                });
            }
        }
        if name.starts_with("push") {
            pushes += 1;
            let end = b.min(a + 10.0);
            let during = mean(span(anal, rate, *a, end));
            let relaxation = if rest > 0.0 {
                100.0 * (rest - during) / rest
            } else {
                0.0
            };
            m.insert("anal_relaxation_pct".into(), relaxation);
            let mut evidence = BTreeMap::from([
                ("anal_relaxation_pct".to_string(), relaxation),
                ("resting_pressure".to_string(), rest),
            ]);
            if let (Some(r), Some(rr)) = (rectal_i, rectal_rest) {
                let rise = mean(span(&rec.samples[r], rate, *a, end)) - rr;
                m.insert("rectal_rise_mmhg".into(), rise);
                evidence.insert("rectal_rise_mmhg".into(), rise);
            }
            if relaxation < 0.0 {
                paradoxical += 1;
                evidence.insert("value".into(), relaxation);
                flags.push(Flag {
                    code: tonus_core::FlagCode::ParadoxicalPush,
                    start_s: *a,
                    end_s: end,
                    severity: if relaxation < -20.0 {
                        tonus_core::Severity::Moderate
                    } else {
                        tonus_core::Severity::Mild
                    },
                    evidence,
                    threshold: 0.0,
                    message: format!(
                        "During {name} the anal pressure rose by {:.0} % instead of falling, which suggests a paradoxical contraction; \
                         many healthy people show this on manometry (Noelting 2012), so it needs clinical context.",
                        -relaxation
                    ),
                });
            }
        }
        out_phases.push(Phase {
            name: name.clone(),
            start_s: *a,
            end_s: *b,
            metrics: m,
        });
    }
    let best = contractions
        .iter()
        .map(|c| c.peak - rest)
        .fold(0.0, f64::max);
    for c in &mut contractions {
        c.pct_mvc = if best > 0.0 {
            100.0 * (c.peak - rest) / best
        } else {
            0.0
        };
    }
    let pattern = if pushes > 0 && 2 * paradoxical > pushes {
        Pattern {
            label: tonus_core::PatternLabel::Uncoordinated,
            reasons: vec![tonus_core::FlagCode::ParadoxicalPush.to_string()],
            direction: "The pushes suggest a dyssynergic pattern: relaxation practice while bearing down (biofeedback) \
                        would come first; manometry alone is not specific, the clinician decides."
                .into(),
        }
    } else {
        Pattern {
            label: tonus_core::PatternLabel::Inconclusive,
            reasons: vec!["pressure-only recording: the EMG signs of over-activity or weakness cannot be assessed".into()],
            direction: "Weigh resting pressure, squeeze increments and push results against the device's own norms.".into(),
        }
    };
    let quality = rec
        .channels
        .iter()
        .zip(&rec.samples)
        .map(|(c, s)| Quality {
            channel: c.name.clone(),
            rest_mean: Some(mean(span(s, rate, ra, rb))),
            rest_sd: None,
        })
        .collect();
    Some(Report {
        source: Source {
            channels: rec
                .channels
                .iter()
                .map(|c| SourceChannel {
                    name: c.name.clone(),
                    kind: c.kind(),
                    unit: c.unit.to_string(),
                    rate: c.rate_hz,
                })
                .collect(),
            duration_s: duration,
        },
        quality,
        contractions,
        phases: out_phases,
        flags,
        domains: Vec::new(),
        pattern,
        processing: Processing {
            mains_notch_hz: None,
            notch_harmonics: Vec::new(),
        },
    })
}
