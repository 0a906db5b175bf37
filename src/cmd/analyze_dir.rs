//! `tonus analyze DIR`: every recording in a folder, in parallel over the cores; one JSON report
//! per recording and one `summary.csv` row each. A file that fails is reported in its row and on
//! stderr; the others are still analysed, and the command then exits with failure.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use tonus_analysis::{Protocol, Report};

use crate::cmd::analyze::{analyze_file, AnalyzeArgs};

/// Header of `summary.csv`.
pub const SUMMARY_HEADER: &str =
    "file,status,duration_s,channels,contractions,flags,pattern,report,error";

/// Runs folder mode.
pub fn run(args: &AnalyzeArgs, protocol: Option<&Protocol>) -> Result<()> {
    let out_dir = &args.out;
    let mut files = Vec::new();
    collect(
        &args.file,
        out_dir.canonicalize().ok().as_deref(),
        &mut files,
    )?;
    files.sort();
    if files.is_empty() {
        bail!(
            "{}: no recordings (*.csv, *.txt, *.edf, *.bdf) found",
            args.file.display()
        );
    }
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("{}: cannot create", out_dir.display()))?;
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, files.len());
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let mut rows: Vec<(usize, Row)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = files.get(i) else { break };
                        done.push((i, row(&args.file, file, out_dir, args, protocol)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    rows.sort_by_key(|(i, _)| *i);
    let failed = rows.iter().filter(|(_, r)| !r.ok).count();
    let mut summary = String::from(SUMMARY_HEADER);
    summary.push('\n');
    for (_, r) in &rows {
        summary.push_str(&r.line);
    }
    let summary_path = out_dir.join("summary.csv");
    std::fs::write(&summary_path, summary)
        .with_context(|| format!("{}: cannot write", summary_path.display()))?;
    eprintln!(
        "analysed {} ({} failed) in {:.2} s on {}; summary: {}",
        count(rows.len(), "recording"),
        failed,
        started.elapsed().as_secs_f64(),
        count(jobs, "thread"),
        summary_path.display()
    );
    if rows.len() < files.len() {
        bail!(
            "{} not analysed (a worker stopped)",
            count(files.len() - rows.len(), "recording")
        );
    }
    if failed > 0 {
        bail!(
            "{failed} of {} failed (see summary.csv)",
            count(files.len(), "recording")
        );
    }
    Ok(())
}

/// `n` and `noun`, plural unless `n` is 1 ("1 recording", "3 recordings").
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Recordings under `dir`, skipping the output folder (`skip`, canonical).
pub fn collect(dir: &Path, skip: Option<&Path>, files: &mut Vec<PathBuf>) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("{}: cannot list", dir.display()))?;
    for entry in entries {
        let path = entry
            .with_context(|| format!("{}: cannot list", dir.display()))?
            .path();
        if path.is_dir() {
            if skip.is_none() || path.canonicalize().ok().as_deref() != skip {
                collect(&path, skip, files)?;
            }
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("csv" | "txt" | "edf" | "bdf")
        ) {
            files.push(path);
        }
    }
    Ok(())
}

/// One line of `summary.csv`.
struct Row {
    ok: bool,
    line: String,
}

/// Analyses one file, writes its JSON and returns its summary row.
fn row(
    root: &Path,
    file: &Path,
    out_dir: &Path,
    args: &AnalyzeArgs,
    protocol: Option<&Protocol>,
) -> Row {
    let name = file.strip_prefix(root).unwrap_or(file);
    let json_path = out_dir.join(name).with_extension("json");
    let result = analyze_file(file, args.rate, protocol, args.config()).and_then(|report| {
        if let Some(parent) = json_path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("{}: cannot create", parent.display()))?;
        }
        std::fs::write(&json_path, serde_json::to_string_pretty(&report)? + "\n")
            .with_context(|| format!("{}: cannot write", json_path.display()))?;
        Ok(report)
    });
    let mut s = String::new();
    let ok = result.is_ok();
    match result {
        Ok(r) => {
            let _ = writeln!(
                s,
                "{},ok,{:.3},{},{},{},{},{},",
                field(&name.display().to_string()),
                r.source.duration_s,
                r.source.channels.len(),
                r.contractions.len(),
                field(&flag_codes(&r)),
                field(&r.pattern.label),
                field(&json_path.display().to_string()),
            );
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            let _ = writeln!(
                s,
                "{},error,,,,,,,{}",
                field(&name.display().to_string()),
                field(&format!("{e:#}"))
            );
        }
    }
    Row { ok, line: s }
}

/// Distinct flag codes, in order of first appearance, `;`-separated.
fn flag_codes(r: &Report) -> String {
    let mut codes: Vec<&str> = Vec::new();
    for f in &r.flags {
        if !codes.contains(&f.code.as_str()) {
            codes.push(&f.code);
        }
    }
    codes.join(";")
}

/// A CSV field, quoted (RFC 4180) when it holds a comma, quote or line break.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
