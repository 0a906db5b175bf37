//! The readable clinical summary of a report (`tonus analyze --format text`, and what `live`,
//! `demo` and `replay` print at the end): rest, phases, contractions, findings, the assessment by
//! domain and the pattern, worded as suggestions.

use std::fmt::Write as _;
use std::path::Path;

use tonus_analysis::Report;

/// The readable clinical summary.
pub fn text_summary(r: &Report, file: &Path) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Tonus analysis of {} ({:.1} s)",
        file.display(),
        r.source.duration_s
    );
    for q in &r.quality {
        if let (Some(m), Some(sd)) = (q.rest_mean, q.rest_sd) {
            let _ = writeln!(s, "  {:<10} rest {:.2} ± {:.2} µV RMS", q.channel, m, sd);
        }
    }
    let _ = writeln!(s, "\nPhases");
    for p in &r.phases {
        let n = p.metrics.get("contractions").copied().unwrap_or(0.0);
        let _ = writeln!(
            s,
            "  {:<14} {:>6.1}–{:<6.1} s  pelvic mean {:>6.2} µV{}",
            p.name,
            p.start_s,
            p.end_s,
            p.metrics.get("pelvic_mean_uv").copied().unwrap_or(0.0),
            if n > 0.0 {
                format!(
                    ", {n:.0} contraction{} at {:.0} % MVC",
                    if n == 1.0 { "" } else { "s" },
                    p.metrics.get("pct_mvc_mean").copied().unwrap_or(0.0)
                )
            } else {
                String::new()
            }
        );
    }
    if r.phases.is_empty() {
        let _ = writeln!(
            s,
            "  none marked (the file has no phase markers; `--protocol NAME` applies a script's timing)"
        );
    }
    let _ = writeln!(s, "\nContractions");
    if r.contractions.is_empty() {
        let _ = writeln!(s, "  none detected");
    }
    // Each one when the phases do not summarise them (up to a screenful; `--format csv` has all).
    const LISTED: usize = 20;
    let listed = if r.phases.is_empty() { LISTED } else { 0 };
    for c in r.contractions.iter().take(listed) {
        let span = format!("{:.1}–{:.1} s", c.onset_s, c.offset_s);
        let _ = writeln!(
            s,
            "  {:<10} {span:<16} peak {:>7.1} µV, {:>3.0} % MVC",
            c.channel, c.peak, c.pct_mvc
        );
    }
    if r.contractions.len() > listed {
        let mut per_channel: Vec<(&str, usize)> = Vec::new();
        for c in &r.contractions {
            match per_channel.iter_mut().find(|(name, _)| *name == c.channel) {
                Some((_, n)) => *n += 1,
                None => per_channel.push((&c.channel, 1)),
            }
        }
        let counts: Vec<String> = per_channel
            .iter()
            .map(|(name, n)| format!("{name} {n}"))
            .collect();
        let _ = writeln!(
            s,
            "  {} in all ({}){} — `--format csv` lists each",
            r.contractions.len(),
            counts.join(", "),
            if listed > 0 {
                "; the first 20 above"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(s, "\nFindings");
    if r.flags.is_empty() {
        let _ = writeln!(s, "  none");
    }
    for f in &r.flags {
        let _ = writeln!(
            s,
            "  [{}] {} ({:.1}–{:.1} s): {}",
            f.severity, f.code, f.start_s, f.end_s, f.message
        );
    }
    if !r.domains.is_empty() {
        let _ = writeln!(s, "\nAssessment by domain (ICS terms)");
    }
    for d in &r.domains {
        let _ = writeln!(
            s,
            "  {}: {}. {}",
            d.domain.title(),
            d.rating.words(),
            d.message
        );
        let measures: Vec<String> = d
            .evidence
            .iter()
            .map(|m| {
                let reference = m
                    .reference
                    .as_deref()
                    .map(|x| format!(" ({x})"))
                    .unwrap_or_default();
                format!(
                    "{} {}{}{reference}",
                    m.label,
                    number(m.value),
                    unit_suffix(&m.unit)
                )
            })
            .collect();
        if !measures.is_empty() {
            let _ = writeln!(s, "      {}", measures.join("; "));
        }
    }
    let reasons = if r.pattern.reasons.is_empty() {
        String::new()
    } else {
        format!(" ({})", r.pattern.reasons.join(", "))
    };
    let _ = writeln!(s, "\nPattern suggested: {}{reasons}", r.pattern.label);
    let _ = writeln!(s, "{}", r.pattern.direction);
    let _ = writeln!(
        s,
        "This is decision support for a clinician, not a diagnosis."
    );
    s
}

/// A measurement's value with as many decimals as its size needs.
fn number(v: f64) -> String {
    if (v.fract() == 0.0 && v.abs() < 1e6) || v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// ` µV`, `%`, ` x rest`, … after a number (nothing for a plain ratio).
fn unit_suffix(unit: &str) -> String {
    match unit {
        "" => String::new(),
        u => format!(" {u}"),
    }
}
