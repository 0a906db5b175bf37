//! `tonus analyze FILE|DIR`: contractions, phase metrics, flags with evidence and the suggested
//! pattern, for one recording or every recording in a folder (see [`crate::cmd::analyze_dir`]).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use tonus_analysis::{
    analyze_manometry, analyze_replay, AnalysisConfig, Protocol, ReplayError, Report,
};
use tonus_dsp::Mains;
use tonus_io::csv::CsvSource;
use tonus_io::hram::{looks_like_hram, read_hram};

/// Arguments of `tonus analyze`.
#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// Recording: CSV contract (phases from its `marker` column), EDF+/BDF+ (`.edf`, `.bdf`; phases
    /// from its annotations) or a high-resolution anorectal manometry export (`TIME:` header,
    /// `Annotations:` block). A folder analyses every recording
    /// in it (recursively, in parallel): one JSON per file and `summary.csv` in `--out`.
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
    /// Sample rate in Hz; required when the file has no `t` column.
    #[arg(long)]
    pub rate: Option<f64>,
    /// Protocol: a built-in (glazer, strength-10x10, quick-flicks, down-training, push, free) or a
    /// .toml script. Cues every repetition; gives the phases when the file has no markers.
    #[arg(long)]
    pub protocol: Option<String>,
    /// Mains notch (50 or 60 Hz, with its harmonics) on the EMG channels. Without it the analysis
    /// notches the hum it finds in the first seconds itself; give it when the `mains_interference`
    /// flag says the hum was not notched.
    #[arg(long, value_parser = crate::cmd::filter::parse_mains)]
    pub notch: Option<Mains>,
}

impl AnalyzeArgs {
    /// The analysis settings these arguments choose.
    pub fn config(&self) -> AnalysisConfig {
        AnalysisConfig {
            mains: self.notch,
            ..AnalysisConfig::default()
        }
    }
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
    let protocol = args.protocol.as_deref().map(Protocol::load).transpose()?;
    if args.file.is_dir() {
        return crate::cmd::analyze_dir::run(args, protocol.as_ref());
    }
    let report = analyze_file(&args.file, args.rate, protocol.as_ref(), args.config())?;
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        // Written as it is serialised: a long recording's report is not held twice.
        Format::Json => serde_json::to_writer_pretty(&mut stdout, &report)?,
        Format::Text => stdout.write_all(text(&report, &args.file).as_bytes())?,
        Format::Csv => stdout.write_all(csv(&report).as_bytes())?,
    }
    if args.format == Format::Json {
        stdout.write_all(b"\n")?;
    }
    stdout.flush()?;
    Ok(())
}

/// Analyses one recording with `config`: EDF+/BDF+ by extension, a manometry export recognised by
/// its first bytes, or the CSV contract.
pub fn analyze_file(
    file: &Path,
    rate: Option<f64>,
    protocol: Option<&Protocol>,
    config: AnalysisConfig,
) -> Result<Report> {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    Ok(if matches!(ext.as_deref(), Some("edf" | "bdf")) {
        // Streamed record by record: memory does not grow with the recording.
        let mut edf = tonus_io::edf::EdfSource::open(file)?;
        analyze_source(&mut edf, file, protocol, config)?
    } else if is_hram(file)? {
        // High-resolution anorectal manometry export: pressure-only analysis from its markers.
        let hram = read_hram(file)?;
        analyze_manometry(&hram.recording)
            .with_context(|| format!("{}: no anal-canal channel", file.display()))?
    } else {
        // Streamed a second at a time, as EDF+/BDF+ is.
        let mut csv = CsvSource::open(file, rate)?;
        analyze_source(&mut csv, file, protocol, config)?
    })
}

/// Analyses a streamed recording (EDF+/BDF+ or CSV) with `config`, read once plus its first
/// seconds for mains detection. A session recorded by `live` names its protocol: without
/// `protocol`, it cues as the live analysis did.
pub fn analyze_source<R>(
    source: &mut R,
    file: &Path,
    protocol: Option<&Protocol>,
    config: AnalysisConfig,
) -> Result<Report>
where
    R: tonus_core::Replay,
    R::Error: Send + Sync + 'static,
{
    let named = match protocol {
        None => named_protocol(source.markers())
            .map(Protocol::load)
            .transpose()?,
        Some(_) => None,
    };
    analyze_replay(source, config, protocol.or(named.as_ref())).map_err(|e| match e {
        // The source's own errors name the file (and line or byte) already.
        ReplayError::Source(e) => anyhow::Error::new(e),
        ReplayError::Analysis(e) => anyhow::Error::new(e).context(file.display().to_string()),
    })
}

/// Whether `file` is a manometry export, from its first bytes only (a recording may be larger
/// than memory should hold).
pub fn is_hram(file: &Path) -> Result<bool> {
    let mut head = Vec::with_capacity(8);
    std::fs::File::open(file)
        .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, 8), &mut head))
        .with_context(|| format!("{}: cannot read", file.display()))?;
    Ok(looks_like_hram(&head))
}

/// The protocol a recording names (`tonus:protocol=NAME`, written by `live` and `demo`).
pub fn named_protocol(markers: &[tonus_core::Marker]) -> Option<&str> {
    markers
        .iter()
        .find_map(|m| m.label.strip_prefix("tonus:protocol="))
}

/// The readable clinical summary.
pub fn text(r: &Report, file: &std::path::Path) -> String {
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

fn csv(r: &Report) -> String {
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
