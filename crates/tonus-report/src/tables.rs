//! The report as tables: one CSV row per contraction (`tonus analyze --format csv`), and the
//! folder summary (`summary.csv`, one row per recording).

use std::fmt::Write as _;

use tonus_analysis::Report;

/// One row per contraction, with a header.
pub fn contractions_csv(r: &Report) -> String {
    let mut s = String::from(
        "channel,phase,onset_s,peak_s,offset_s,peak,mean,pct_mvc,time_to_peak_s,release_s,hold_cv,return_to_baseline_s\n",
    );
    for c in &r.contractions {
        let _ = writeln!(
            s,
            "{},{},{:.3},{:.3},{:.3},{:.3},{:.3},{:.1},{:.3},{:.3},{:.3},{}",
            c.channel,
            c.phase.as_deref().unwrap_or(""),
            c.onset_s,
            c.peak_s,
            c.offset_s,
            c.peak,
            c.mean,
            c.pct_mvc,
            c.time_to_peak_s,
            c.release_s,
            c.hold_cv,
            c.return_to_baseline_s
                .map(|v| format!("{v:.2}"))
                .unwrap_or_default()
        );
    }
    s
}

/// Header of `summary.csv` (`tonus analyze DIR`).
pub const SUMMARY_HEADER: &str =
    "file,status,duration_s,channels,contractions,flags,pattern,report,error";

/// The `summary.csv` row of a recording analysed into `report`, its JSON at `json`.
pub fn summary_row(file: &str, r: &Report, json: &str) -> String {
    format!(
        "{},ok,{:.3},{},{},{},{},{},\n",
        csv_field(file),
        r.source.duration_s,
        r.source.channels.len(),
        r.contractions.len(),
        csv_field(&flag_codes(r)),
        csv_field(r.pattern.label.as_str()),
        csv_field(json),
    )
}

/// The `summary.csv` row of a recording that failed with `error`.
pub fn summary_error_row(file: &str, error: &str) -> String {
    format!("{},error,,,,,,,{}\n", csv_field(file), csv_field(error))
}

/// Distinct flag codes, in order of first appearance, `;`-separated.
pub fn flag_codes(r: &Report) -> String {
    let mut codes: Vec<&str> = Vec::new();
    for f in &r.flags {
        if !codes.contains(&f.code.as_str()) {
            codes.push(f.code.as_str());
        }
    }
    codes.join(";")
}

/// A CSV field, quoted (RFC 4180) when it holds a comma, quote or line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
