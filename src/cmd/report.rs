//! `tonus report FILE|DIR -o OUT`: the HTML report and its PNG/SVG figures, for one recording or
//! every recording in a folder (with an index page).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use tonus_analysis::Report;
use tonus_pipeline::{analyze_opened, FileAnalysis};
use tonus_report::{write_report, IndexPage, Trace};

use crate::cmd::args::AnalysisArgs;

/// Arguments of `tonus report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// A recording (EDF/EDF+/BDF/BDF+, CSV, manometry export) or a folder of them.
    pub input: PathBuf,
    /// Output folder: `NAME.html` with `NAME-trace`, `NAME-phases` and `NAME-fatigue` as PNG and
    /// SVG beside it (NAME: the recording's file stem); for a folder also `index.html`.
    #[arg(short, long)]
    pub out: PathBuf,
    /// How to analyse.
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// Runs `tonus report`.
pub fn run(args: &ReportArgs) -> Result<()> {
    let options = args.analysis.file_analysis()?;
    if !args.input.is_dir() {
        let name = file_name(&args.input);
        one(&args.input, &args.out, &name, &options)?;
        eprintln!(
            "report: {}",
            args.out.join(format!("{name}.html")).display()
        );
        return Ok(());
    }
    let files = tonus_io::recordings_in(&args.input, args.out.canonicalize().ok().as_deref())?;
    if files.is_empty() {
        bail!(
            "{}: no recording (.csv, .txt, .edf, .bdf) in this folder",
            args.input.display()
        );
    }
    let mut index = IndexPage::new();
    let mut failed = 0;
    for file in &files {
        let name = file_name(file);
        let shown = file.display().to_string();
        match one(file, &args.out, &name, &options) {
            Ok(report) => index.add(&shown, &name, &report),
            Err(e) => {
                failed += 1;
                eprintln!("{}: {e:#}", file.display());
                index.add_error(&shown, &format!("{e:#}"));
            }
        }
    }
    let path = args.out.join("index.html");
    std::fs::write(&path, index.html())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    eprintln!(
        "{} reports, index: {}",
        files.len() - failed,
        path.display()
    );
    if failed > 0 {
        bail!(
            "{failed} of {} recordings could not be reported",
            files.len()
        );
    }
    Ok(())
}

/// A name for a recording's report files: its stem.
fn file_name(file: &Path) -> String {
    file.file_stem()
        .map_or_else(|| "recording".into(), |s| s.to_string_lossy().into_owned())
}

/// Analyses one recording and writes its report (its trace filtered as the analysis was); returns
/// the analysis.
fn one(file: &Path, out: &Path, name: &str, options: &FileAnalysis) -> Result<Report> {
    let mut recording = tonus_io::open_recording(file, options.rate_hz)?;
    let report = analyze_opened(&mut recording, file, options)?;
    let trace = Trace::from_replay(&mut recording, &report.processing)?;
    write_report(out, name, &report, &trace)?;
    std::fs::write(
        out.join(format!("{name}.json")),
        serde_json::to_string_pretty(&report)? + "\n",
    )
    .with_context(|| format!("{}: cannot write", out.display()))?;
    Ok(report)
}
