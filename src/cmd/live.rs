//! `tonus live`: a session with a serial sensor: protocol cues, live display, flags as they are
//! raised; the recording, the events and the report written into a folder at the end.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use clap::Args;
use tonus_analysis::{Protocol, Session, SessionConfig};
use tonus_core::Marker;
use tonus_dsp::Mains;
use tonus_io::serial::{Acquisition, AcquisitionConfig};
use tonus_pipeline::{FileRecorder, Pipeline, SerialFeed};

use crate::cmd::session;
use tonus_display::terminal::{self, Mode, View};

/// Arguments of `tonus live`.
#[derive(Args, Debug)]
pub struct LiveArgs {
    /// Serial port of the sensor (or the link printed by `tonus sim`).
    #[arg(long)]
    pub port: PathBuf,
    /// Protocol whose cues the display shows and whose phases the analysis uses: a built-in
    /// (glazer, glazer-mini, strength-10x10, quick-flicks, down-training, push, free) or a .toml
    /// script. The session ends with the protocol (`free`: with q or Ctrl-C).
    #[arg(long, default_value = "glazer")]
    pub protocol: String,
    /// Folder for the recording (`recording.bdf`), the events (`events.jsonl`) and the report
    /// (`report.json`, `report.html`). Default: `tonus-session-YYYYMMDD-HHMMSS` (UTC) in the current
    /// folder. A folder that already holds a recording is refused, never overwritten.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write the event stream (JSON lines) here instead of `OUT/events.jsonl`.
    #[arg(long)]
    pub events: Option<PathBuf>,
    /// Stop after this many seconds of session even if the protocol goes on.
    #[arg(long)]
    pub seconds: Option<f64>,
    /// The mains notch.
    #[command(flatten)]
    pub notch: crate::cmd::args::NotchArg,
}

/// How a live session is run (shared with `tonus demo`).
pub struct Options {
    /// The protocol.
    pub protocol: Protocol,
    /// Output folder.
    pub out: PathBuf,
    /// Event stream path (default `OUT/events.jsonl`).
    pub events: Option<PathBuf>,
    /// Stop after this many seconds of session.
    pub seconds: Option<f64>,
    /// What the display calls the source.
    pub source: String,
    /// A note on the clock.
    pub clock_note: Option<String>,
    /// Replace a recording already in `out` (the demo's simulated sessions); a live session never
    /// does.
    pub overwrite: bool,
    /// Mains notch from the first sample (`None`: found in the first seconds).
    pub notch: Option<Mains>,
}

/// The session's settings with an optional mains notch from the first sample.
pub fn session_config(notch: Option<Mains>) -> SessionConfig {
    let mut config = SessionConfig::default();
    config.analysis.mains = notch;
    config
}

/// Runs `tonus live`.
pub fn run(args: &LiveArgs, stop: Arc<AtomicBool>) -> Result<()> {
    let options = Options {
        protocol: Protocol::load(&args.protocol)?,
        out: args.out.clone().unwrap_or_else(|| {
            PathBuf::from(format!(
                "tonus-session-{}",
                tonus_io::clock::UtcTime::now().stamp()
            ))
        }),
        events: args.events.clone(),
        seconds: args.seconds,
        source: args.port.display().to_string(),
        clock_note: None,
        overwrite: false,
        notch: args.notch.notch,
    };
    run_port(&args.port, &options, &stop)
}

/// Connects to `port` and runs the session.
pub fn run_port(port: &Path, options: &Options, stop: &Arc<AtomicBool>) -> Result<()> {
    let recording = options.out.join("recording.bdf");
    if recording.exists() && !options.overwrite {
        bail!(
            "{} already holds a recording ({}): choose another --out folder (nothing is overwritten)",
            options.out.display(),
            recording.display()
        );
    }
    let acq = Acquisition::start(AcquisitionConfig::new(port))?;
    let identity = acq.identity().clone();
    let channels: Vec<_> = identity.channels.iter().map(|c| c.info.clone()).collect();
    let protocol = &options.protocol;
    let markers = protocol.markers();
    let session = Session::new(
        &channels,
        &markers,
        Some(protocol),
        session_config(options.notch),
    )?;
    std::fs::create_dir_all(&options.out)
        .with_context(|| format!("{}: cannot create the output folder", options.out.display()))?;
    // The protocol's name goes into the file, so a replay cues it the same way.
    let mut notes = vec![Marker {
        time_s: 0.0,
        label: format!("tonus:protocol={}", protocol.name),
    }];
    notes.extend(markers.iter().cloned());
    let recorder = FileRecorder::create(&recording, &identity.channels, &notes)?;
    let read_back = recorder.read_back();
    let builder = Pipeline::builder(Box::new(SerialFeed::new(acq)), session)
        .record(Box::new(recorder), read_back);
    let total: f64 = protocol.phases.iter().map(Protocol::phase_seconds).sum();
    let stop_at = match (total > 0.0, options.seconds) {
        (true, Some(s)) => Some(s.min(total)),
        (true, None) => Some(total - 1e-3),
        (false, s) => s,
    };
    eprintln!(
        "{}; protocol {}; recording to {}",
        tonus_pipeline::describe_device(port, &identity),
        protocol.name,
        recording.display()
    );
    let events = options
        .events
        .clone()
        .unwrap_or_else(|| options.out.join("events.jsonl"));
    let view = View {
        source: options.source.clone(),
        clock_note: options.clock_note.clone(),
        protocol: Some(protocol.clone()),
        stop_at_s: stop_at,
        mode: Mode::Live,
    };
    let outcome = terminal::run(builder, &channels, view, Some(&events), stop)?;
    let report = session::write_report(&options.out, &outcome, &recording)?;
    let mut edf = tonus_io::open_recording(&recording, None)?;
    let trace = tonus_report::Trace::from_replay(&mut edf, &outcome.report.processing)?;
    let html = tonus_report::write_report(&options.out, "report", &outcome.report, &trace)?;
    eprintln!(
        "recording: {} ({} samples per channel)\nreport: {} and {}",
        recording.display(),
        outcome.recorded.unwrap_or(0),
        report.display(),
        html.html.display()
    );
    if let Some(link) = &outcome.stats.link {
        eprintln!("link: {}", link.summary(channels.len()));
        if link.link_suspect() {
            eprintln!("warning: the link looks wrong: check the cable, the baud rate and that the device speaks the Tonus protocol");
        }
    }
    if let Some(cpu) = outcome.stats.engine_cpu_s {
        eprintln!(
            "engine thread: {:.3} s CPU over {:.1} s ({:.2} % of a core)",
            cpu,
            outcome.stats.wall_s,
            100.0 * cpu / outcome.stats.wall_s.max(1e-9)
        );
    }
    Ok(())
}
