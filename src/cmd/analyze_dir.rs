//! `tonus analyze DIR`: every recording in a folder, in parallel over the cores; one JSON report
//! per recording and one `summary.csv` row each. A file that fails is reported in its row and on
//! stderr; the others are still analysed, and the command then exits with failure.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use tonus_pipeline::{analyze_file, FileAnalysis};
use tonus_report::{summary_error_row, summary_row, SUMMARY_HEADER};

use crate::cmd::analyze::AnalyzeArgs;

/// Runs folder mode.
pub fn run(args: &AnalyzeArgs, options: &FileAnalysis) -> Result<()> {
    let out_dir = &args.out;
    let files = tonus_io::recordings_in(&args.file, out_dir.canonicalize().ok().as_deref())?;
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
    let mut rows: Vec<(usize, bool, String)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = files.get(i) else { break };
                        let (ok, line) = row(&args.file, file, out_dir, options);
                        done.push((i, ok, line));
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
    rows.sort_by_key(|(i, _, _)| *i);
    let failed = rows.iter().filter(|r| !r.1).count();
    let mut summary = String::from(SUMMARY_HEADER);
    summary.push('\n');
    for (_, _, line) in &rows {
        summary.push_str(line);
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

/// Analyses one file, writes its JSON and returns whether it worked and its summary row.
fn row(root: &Path, file: &Path, out_dir: &Path, options: &FileAnalysis) -> (bool, String) {
    let name = file
        .strip_prefix(root)
        .unwrap_or(file)
        .display()
        .to_string();
    let json_path = out_dir.join(&name).with_extension("json");
    let result = analyze_file(file, options)
        .map_err(anyhow::Error::new)
        .and_then(|report| {
            if let Some(parent) = json_path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("{}: cannot create", parent.display()))?;
            }
            std::fs::write(&json_path, serde_json::to_string_pretty(&report)? + "\n")
                .with_context(|| format!("{}: cannot write", json_path.display()))?;
            Ok(report)
        });
    match result {
        Ok(r) => (
            true,
            summary_row(&name, &r, &json_path.display().to_string()),
        ),
        Err(e) => {
            eprintln!("error: {e:#}");
            (false, summary_error_row(&name, &format!("{e:#}")))
        }
    }
}
