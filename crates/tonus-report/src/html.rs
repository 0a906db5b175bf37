//! The self-contained HTML page: figures inline as SVG, tables, flags with evidence and sources,
//! the pattern and its caveats.

use std::fmt::Write as _;

use tonus_analysis::Report;

use crate::figures::pelvic_mvc;
use crate::reference::{flag_source, PHASES, PHASE_SOURCE};

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn num(x: f64) -> String {
    if !x.is_finite() {
        "–".into()
    } else if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// The page for `report` of the recording `title`, with the three figures' SVG text.
pub fn page(title: &str, report: &Report, figures: &[(&str, &str, String)]) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>Tonus report: {t}</title>\n<style>\n\
         body{{font-family:sans-serif;max-width:1250px;margin:2em auto;color:#222}}\
         table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left}}\
         th{{background:#f3f3f3}}.caveat{{color:#555;font-size:0.92em}}.pattern{{font-size:1.2em;padding:0.6em;background:#f5f8ff;border-left:4px solid #46c}}\
         figure{{margin:1em 0}}figcaption{{color:#444}}\n</style>\n</head>\n<body>\n<h1>Tonus session report</h1>\n",
        t = escape(title)
    );
    let src = &report.source;
    let channels: Vec<String> = src
        .channels
        .iter()
        .map(|c| {
            format!(
                "{} ({}, {}, {} Hz)",
                escape(&c.name),
                c.kind,
                escape(&c.unit),
                c.rate
            )
        })
        .collect();
    let _ = writeln!(
        h,
        "<p><b>Recording:</b> {}<br/><b>Duration:</b> {:.1} s<br/><b>Channels:</b> {}</p>",
        escape(title),
        src.duration_s,
        channels.join("; ")
    );
    let p = &report.pattern;
    let _ = write!(
        h,
        "<h2 id=\"pattern\">What the evidence suggests</h2>\n<p class=\"pattern\"><b>{}</b>{}</p>\n<p>{}</p>\n\
         <p class=\"caveat\">Decision support for a clinician, not a diagnosis. Every threshold is relative to this \
         person's own rest and maximum; amplitudes depend on the device and the electrode placement.</p>\n",
        escape(p.label.as_str()),
        if p.reasons.is_empty() {
            String::new()
        } else {
            format!(" — {}", escape(&p.reasons.join(", ")))
        },
        escape(&p.direction)
    );
    domains(&mut h, report);
    h.push_str("<h2 id=\"figures\">Figures</h2>\n");
    for (id, caption, svg) in figures {
        let _ = write!(
            h,
            "<figure id=\"fig-{id}\">\n{svg}\n<figcaption>{}</figcaption>\n</figure>\n",
            escape(caption)
        );
    }
    phases(&mut h, report);
    flags(&mut h, report);
    contractions(&mut h, report);
    quality(&mut h, report);
    h.push_str("<p class=\"caveat\">Made by Tonus. Rise, release and median-frequency figures have poor test–retest \
                reliability (Oleksy 2021); amplitude figures are the dependable ones.</p>\n</body>\n</html>\n");
    h
}

/// The assessment by domain: each domain's rating in the ICS words, what it means, and the
/// measurements behind it with their references.
fn domains(h: &mut String, report: &Report) {
    if report.domains.is_empty() {
        return;
    }
    h.push_str(
        "<h2 id=\"domains\">Assessment by domain</h2>\n<p class=\"caveat\">In the terms of the International \
         Continence Society (Messelink 2005; Frawley 2021).</p>\n<table id=\"domain-table\">\n<tr><th>domain</th>\
         <th>rating</th><th>what it means</th><th>measured (reference)</th></tr>\n",
    );
    for d in &report.domains {
        let measures: Vec<String> = d
            .evidence
            .iter()
            .map(|m| {
                let unit = if m.unit.is_empty() {
                    String::new()
                } else {
                    format!(" {}", m.unit)
                };
                let reference = m
                    .reference
                    .as_deref()
                    .map(|x| format!(" ({})", escape(x)))
                    .unwrap_or_default();
                format!(
                    "{}: {:.2}{}{reference}",
                    escape(&m.label),
                    m.value,
                    escape(&unit)
                )
            })
            .collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td><b>{}</b></td><td>{}</td><td>{}</td></tr>",
            escape(d.domain.title()),
            escape(d.rating.words()),
            escape(&d.message),
            measures.join("<br/>")
        );
    }
    h.push_str("</table>\n");
}

fn phases(h: &mut String, report: &Report) {
    let mvc = pelvic_mvc(report);
    h.push_str("<h2 id=\"phases\">Phases</h2>\n<table id=\"phase-table\">\n<tr><th>phase</th><th>time (s)</th>\
                <th>pelvic mean (µV)</th><th>reference (µV, mean ± SD)</th><th>% of own MVC</th><th>reference (% MVC)</th>\
                <th>other metrics</th></tr>\n");
    for ph in &report.phases {
        let r = PHASES.iter().find(|r| r.phase == ph.name);
        let mean = ph.metrics.get("pelvic_mean_uv").copied();
        let pct = mean.zip(mvc).map(|(m, v)| 100.0 * m / v);
        let others: Vec<String> = ph
            .metrics
            .iter()
            .filter(|(k, _)| k.as_str() != "pelvic_mean_uv")
            .map(|(k, v)| format!("{} {}", escape(k), num(*v)))
            .collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{:.1}–{:.1}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&ph.name),
            ph.start_s,
            ph.end_s,
            mean.map_or("–".into(), num),
            r.map_or("–".into(), |r| format!("{} ± {}", r.uv.0, r.uv.1)),
            pct.map_or("–".into(), num),
            r.map_or("–".into(), |r| format!("{:.0}", r.pct_mvc)),
            others.join("; ")
        );
    }
    let _ = write!(
        h,
        "</table>\n<p class=\"caveat\">{}</p>\n",
        escape(PHASE_SOURCE)
    );
}

fn flags(h: &mut String, report: &Report) {
    h.push_str("<h2 id=\"flags\">Flags</h2>\n");
    if report.flags.is_empty() {
        h.push_str("<p>No flag was raised.</p>\n");
        return;
    }
    h.push_str("<table id=\"flag-table\">\n<tr><th>flag</th><th>time (s)</th><th>severity</th><th>what it suggests</th>\
                <th>evidence</th><th>threshold</th><th>source</th></tr>\n");
    for f in &report.flags {
        let evidence: Vec<String> = f
            .evidence
            .iter()
            .map(|(k, v)| format!("{} = {}", escape(k), num(*v)))
            .collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{:.1}–{:.1}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(f.code.as_str()),
            f.start_s,
            f.end_s,
            escape(f.severity.as_str()),
            escape(&f.message),
            evidence.join("<br/>"),
            num(f.threshold),
            escape(flag_source(f.code.as_str()))
        );
    }
    h.push_str("</table>\n");
}

fn contractions(h: &mut String, report: &Report) {
    let _ = write!(
        h,
        "<h2 id=\"contractions\">Contractions ({})</h2>\n<table id=\"contraction-table\">\n<tr><th>channel</th><th>phase</th>\
         <th>onset (s)</th><th>peak (s)</th><th>offset (s)</th><th>peak</th><th>mean</th><th>% MVC</th><th>time to peak (s)</th>\
         <th>release (s)</th><th>hold CV</th><th>back to rest (s)</th></tr>\n",
        report.contractions.len()
    );
    for c in &report.contractions {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{:.2}</td><td>{:.2}</td><td>{:.2}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&c.channel),
            escape(c.phase.as_deref().unwrap_or("–")),
            c.onset_s,
            c.peak_s,
            c.offset_s,
            num(c.peak),
            num(c.mean),
            num(c.pct_mvc),
            num(c.time_to_peak_s),
            num(c.release_s),
            num(c.hold_cv),
            c.return_to_baseline_s.map_or("–".into(), num),
        );
    }
    h.push_str("</table>\n");
}

fn quality(h: &mut String, report: &Report) {
    h.push_str("<h2 id=\"quality\">Rest levels</h2>\n<table id=\"quality-table\">\n<tr><th>channel</th><th>rest mean</th><th>rest SD</th></tr>\n");
    for q in &report.quality {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&q.channel),
            q.rest_mean.map_or("–".into(), num),
            q.rest_sd.map_or("–".into(), num)
        );
    }
    h.push_str("</table>\n");
}
