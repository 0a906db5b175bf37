//! `tonus replay`: a recording played through the same pipeline as a live session (reader thread,
//! ring, engine thread, events), so its events and report are those the live session gave.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use clap::Args;
use tonus_analysis::{Protocol, Session};
use tonus_core::{Marker, Replay};
use tonus_dsp::Mains;
use tonus_io::csv::CsvSource;
use tonus_io::edf::EdfSource;
use tonus_pipeline::{Pipeline, ReplayFeed, Speed};

use crate::cmd::session::{self, Mode, View};

/// Arguments of `tonus replay`.
#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// Recording: EDF+/BDF+ (`.edf`, `.bdf`) or CSV (DESIGN.md contract).
    pub file: PathBuf,
    /// `max` (as fast as it goes, with a progress bar), `realtime` (with the live display), or a
    /// factor such as `10x`.
    #[arg(long, default_value = "max")]
    pub speed: Speed,
    /// Write the event stream (JSON lines) here.
    #[arg(long)]
    pub events: Option<PathBuf>,
    /// Protocol for the cues (default: the one the recording names, if any).
    #[arg(long)]
    pub protocol: Option<String>,
    /// Sample rate in Hz, for a CSV without a `t` column.
    #[arg(long)]
    pub rate: Option<f64>,
    /// Write `report.json` into this folder.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Mains notch (50 or 60 Hz, with its harmonics) on the EMG channels, from the first sample.
    /// Without it the session notches the hum it finds in its first seconds; give it when the
    /// `mains_interference` flag says the hum was not notched.
    #[arg(long, value_parser = crate::cmd::filter::parse_mains)]
    pub notch: Option<Mains>,
}

/// Runs `tonus replay`.
pub fn run(args: &ReplayArgs, stop: Arc<AtomicBool>) -> Result<()> {
    let ext = args
        .file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("edf" | "bdf") => {
            let source = EdfSource::open(&args.file)?;
            let seconds = source.records() as f64;
            play(source, seconds, args, &stop)
        }
        _ => {
            let source = CsvSource::open(&args.file, args.rate)?;
            let seconds = source.duration_s().unwrap_or(0.0);
            play(source, seconds, args, &stop)
        }
    }
}

/// The markers a replay feeds the session: phases, marks and gaps, not what a live session
/// annotated from its own analysis (contractions, flags) nor Tonus' own notes.
pub fn input_markers(markers: &[Marker]) -> Vec<Marker> {
    markers
        .iter()
        .filter(|m| {
            !(m.label.starts_with("contraction:")
                || m.label.starts_with("flag:")
                || m.label.starts_with("tonus:"))
        })
        .cloned()
        .collect()
}

fn play<R>(source: R, seconds: f64, args: &ReplayArgs, stop: &Arc<AtomicBool>) -> Result<()>
where
    R: Replay + Send + 'static,
    R::Error: Send + Sync + 'static,
{
    let channels = source.channels().to_vec();
    let all = source.markers().to_vec();
    let protocol = match args
        .protocol
        .as_deref()
        .or(crate::cmd::analyze::named_protocol(&all))
    {
        Some(name) => Some(Protocol::load(name)?),
        None => None,
    };
    let markers = input_markers(&all);
    let session = Session::new(
        &channels,
        &markers,
        protocol.as_ref(),
        crate::cmd::live::session_config(args.notch),
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
    let outcome = session::run(builder, &channels, view, args.events.as_deref(), stop)?;
    print!("{}", crate::cmd::analyze::text(&outcome.report, &args.file));
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
