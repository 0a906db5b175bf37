//! `tonus analyze FILE|DIR`: contractions, phase metrics, flags with evidence and the suggested
//! pattern, for one recording or every recording in a folder (see [`crate::cmd::analyze_dir`]).

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, ValueEnum};
use tonus_pipeline::analyze_file;
use tonus_report::{contractions_csv, text_summary};

use crate::cmd::args::AnalysisArgs;

/// Arguments of `tonus analyze`.
#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// Recording: CSV contract (phases from its `marker` column), EDF/EDF+/BDF/BDF+ (phases from
    /// its annotations) or a high-resolution anorectal manometry export (`TIME:` header,
    /// `Annotations:` block), recognised by its first bytes. A folder analyses every recording in
    /// it (recursively, in parallel): one JSON per file and `summary.csv` in `--out`.
    pub file: PathBuf,
    /// Folder mode: where the per-file JSON reports and `summary.csv` go.
    #[arg(long, default_value = "tonus-analysis")]
    pub out: PathBuf,
    /// Folder mode: worker threads (default: one per core).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// How to analyse.
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The full report (DESIGN.md output contract).
    Json,
    /// A readable clinical summary.
    Text,
    /// One row per contraction.
    Csv,
}

/// Runs `tonus analyze`.
pub fn run(args: &AnalyzeArgs) -> Result<()> {
    let options = args.analysis.file_analysis()?;
    if args.file.is_dir() {
        return crate::cmd::analyze_dir::run(args, &options);
    }
    let report = analyze_file(&args.file, &options)?;
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        // Written as it is serialised: a long recording's report is not held twice.
        Format::Json => {
            serde_json::to_writer_pretty(&mut stdout, &report)?;
            stdout.write_all(b"\n")?;
        }
        Format::Text => stdout.write_all(text_summary(&report, &args.file).as_bytes())?,
        Format::Csv => stdout.write_all(contractions_csv(&report).as_bytes())?,
    }
    stdout.flush()?;
    Ok(())
}
