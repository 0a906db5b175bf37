//! `tonus replay`: a recording played through the same pipeline as a live session (reader thread,
//! ring, engine thread, events), so its events and report are those the live session gave.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use clap::Args;
use tonus_analysis::Session;
use tonus_core::Replay;
use tonus_pipeline::{input_markers, protocol_for, Pipeline, ReplayFeed, Speed};

use crate::cmd::args::AnalysisArgs;
use tonus_display::terminal::{self, Mode, View};

/// Arguments of `tonus replay`.
#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// Recording: EDF/EDF+/BDF/BDF+, CSV (DESIGN.md contract) or a manometry export.
    pub file: PathBuf,
    /// `max` (as fast as it goes, with a progress bar), `realtime` (with the live display), or a
    /// factor such as `10x`.
    #[arg(long, default_value = "max")]
    pub speed: Speed,
    /// Write the event stream (JSON lines) here.
    #[arg(long)]
    pub events: Option<PathBuf>,
    /// Write `report.json` into this folder.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// How to analyse.
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// Runs `tonus replay`.
pub fn run(args: &ReplayArgs, stop: Arc<AtomicBool>) -> Result<()> {
    let source = tonus_io::open_recording(&args.file, args.analysis.rate)?;
    let seconds = source.duration_s().unwrap_or(0.0);
    play(source, seconds, args, &stop)
}

fn play<R>(source: R, seconds: f64, args: &ReplayArgs, stop: &Arc<AtomicBool>) -> Result<()>
where
    R: Replay + Send + 'static,
    R::Error: Send + Sync + 'static,
{
    let channels = source.channels().to_vec();
    let all = source.markers().to_vec();
    let protocol = protocol_for(&args.file, args.analysis.protocol()?.as_ref(), &all)?;
    let markers = input_markers(&all);
    let session = Session::new(
        &channels,
        &markers,
        protocol.as_ref(),
        crate::cmd::live::session_config(args.analysis.notch.notch),
    )
    .with_context(|| format!("{}: cannot analyse", args.file.display()))?;
    let builder = Pipeline::builder(Box::new(ReplayFeed::start(source, args.speed)), session);
    let mode = match args.speed {
        Speed::Times(1.0) => Mode::Live,
        _ => Mode::Progress(seconds),
    };
    let view = View {
        source: args.file.display().to_string(),
        clock_note: match args.speed {
            Speed::Times(x) if x != 1.0 => Some(format!("replay ×{x}")),
            Speed::Times(_) => Some("replay in real time".into()),
            Speed::Max => Some("replay at full speed".into()),
        },
        protocol,
        stop_at_s: None,
        mode,
    };
    let outcome = terminal::run(builder, &channels, view, args.events.as_deref(), stop)?;
    print!(
        "{}",
        tonus_report::text_summary(&outcome.report, &args.file)
    );
    if let Some(dir) = &args.out {
        write_json(dir, &outcome.report)?;
    }
    let s = outcome.stats;
    eprintln!(
        "replayed {} samples in {:.3} s ({:.1} M samples/s); {} events",
        s.samples,
        s.wall_s,
        s.samples as f64 / s.wall_s.max(1e-9) / 1e6,
        s.events
    );
    Ok(())
}

fn write_json(dir: &Path, report: &tonus_analysis::Report) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        bail!("{}: not a folder", dir.display());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let path = dir.join("report.json");
    std::fs::write(&path, serde_json::to_string_pretty(report)? + "\n")
        .with_context(|| format!("{}: cannot write", path.display()))?;
    eprintln!("report: {}", path.display());
    Ok(())
}
