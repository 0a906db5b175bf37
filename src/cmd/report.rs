//! `tonus report FILE|DIR -o OUT`: the HTML report and its PNG/SVG figures, for one recording or
//! every recording in a folder (with an index page).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use tonus_analysis::{analyze_manometry, AnalysisConfig, Protocol, Report};
use tonus_dsp::Mains;
use tonus_io::csv::CsvSource;
use tonus_io::hram::read_hram;
use tonus_report::{escape, write_report, Trace};

/// Arguments of `tonus report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// A recording (EDF+/BDF+, CSV, manometry export) or a folder of them.
    pub input: PathBuf,
    /// Output folder: `NAME.html` with `NAME-trace`, `NAME-phases` and `NAME-fatigue` as PNG and
    /// SVG beside it (NAME: the recording's file stem); for a folder also `index.html`.
    #[arg(short, long)]
    pub out: PathBuf,
    /// Protocol (default: the one the recording names, else its markers alone).
    #[arg(long)]
    pub protocol: Option<String>,
    /// Sample rate in Hz, for a CSV without a `t` column.
    #[arg(long)]
    pub rate: Option<f64>,
    /// Mains notch (50 or 60 Hz, with its harmonics) on the EMG channels, as for `tonus analyze`:
    /// give it when the `mains_interference` flag says the hum was not notched.
    #[arg(long, value_parser = crate::cmd::filter::parse_mains)]
    pub notch: Option<Mains>,
}

impl ReportArgs {
    /// The analysis settings these arguments choose.
    fn config(&self) -> AnalysisConfig {
        AnalysisConfig {
            mains: self.notch,
            ..AnalysisConfig::default()
        }
    }
}

/// Runs `tonus report`.
pub fn run(args: &ReportArgs) -> Result<()> {
    let protocol = args.protocol.as_deref().map(Protocol::load).transpose()?;
    if args.input.is_dir() {
        let mut files = Vec::new();
        let skip = args.out.canonicalize().ok();
        crate::cmd::analyze_dir::collect(&args.input, skip.as_deref(), &mut files)?;
        files.sort();
        if files.is_empty() {
            bail!(
                "{}: no recording (.csv, .txt, .edf, .bdf) in this folder",
                args.input.display()
            );
        }
        let mut index = String::from(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Tonus reports</title></head>\n<body>\n<h1>Tonus reports</h1>\n<table>\n<tr><th>recording</th><th>pattern</th><th>flags</th></tr>\n",
        );
        let mut failed = 0;
        for file in &files {
            let name = file_name(file);
            match one(file, &args.out, &name, args, protocol.as_ref()) {
                Ok(report) => {
                    let codes: Vec<&str> = report.flags.iter().map(|f| f.code.as_str()).collect();
                    let _ = writeln!(
                        index,
                        "<tr><td><a href=\"{n}.html\">{f}</a></td><td>{p}</td><td>{c}</td></tr>",
                        n = escape(&name),
                        f = escape(&file.display().to_string()),
                        p = escape(&report.pattern.label),
                        c = escape(&codes.join(", "))
                    );
                }
                Err(e) => {
                    failed += 1;
                    eprintln!("{}: {e:#}", file.display());
                    let _ = writeln!(
                        index,
                        "<tr><td>{}</td><td colspan=\"2\">error: {}</td></tr>",
                        escape(&file.display().to_string()),
                        escape(&format!("{e:#}"))
                    );
                }
            }
        }
        index.push_str("</table>\n</body>\n</html>\n");
        let path = args.out.join("index.html");
        std::fs::write(&path, index)
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
        return Ok(());
    }
    let name = file_name(&args.input);
    one(&args.input, &args.out, &name, args, protocol.as_ref())?;
    eprintln!(
        "report: {}",
        args.out.join(format!("{name}.html")).display()
    );
    Ok(())
}

/// A name for a recording's report files: its stem.
fn file_name(file: &Path) -> String {
    file.file_stem()
        .map_or_else(|| "recording".into(), |s| s.to_string_lossy().into_owned())
}

/// Analyses one recording and writes its report; returns the analysis.
fn one(
    file: &Path,
    out: &Path,
    name: &str,
    args: &ReportArgs,
    protocol: Option<&Protocol>,
) -> Result<Report> {
    let (report, trace) = analyse(file, args.rate, protocol, args.config())?;
    write_report(out, name, &report, &trace)?;
    std::fs::write(
        out.join(format!("{name}.json")),
        serde_json::to_string_pretty(&report)? + "\n",
    )
    .with_context(|| format!("{}: cannot write", out.display()))?;
    Ok(report)
}

/// The analysis (with `config`) and the whole-session trace of a recording.
fn analyse(
    file: &Path,
    rate: Option<f64>,
    protocol: Option<&Protocol>,
    config: AnalysisConfig,
) -> Result<(Report, Trace)> {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("edf" | "bdf")) {
        let mut edf = tonus_io::edf::EdfSource::open(file)?;
        let report = crate::cmd::analyze::analyze_source(&mut edf, file, protocol, config)?;
        let trace = Trace::from_replay(&mut edf, &report.processing)?;
        return Ok((report, trace));
    }
    if crate::cmd::analyze::is_hram(file)? {
        let hram = read_hram(file)?;
        let report = analyze_manometry(&hram.recording)
            .with_context(|| format!("{}: no anal-canal channel", file.display()))?;
        let trace = Trace::from_replay(&mut &hram.recording, &report.processing)
            .unwrap_or_else(|never| match never {});
        return Ok((report, trace));
    }
    let mut csv = CsvSource::open(file, rate)?;
    let report = crate::cmd::analyze::analyze_source(&mut csv, file, protocol, config)?;
    let trace = Trace::from_replay(&mut csv, &report.processing)?;
    Ok((report, trace))
}
