//! `tonus record`: acquire from a serial sensor into a CSV or EDF+/BDF+ recording, gaps marked,
//! until Ctrl-C or `--seconds`.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::Args;
use tonus_io::serial::{Acquisition, AcquisitionConfig};
use tonus_pipeline::{describe_device, record, FileRecorder};
use tonus_sim::sensor::{self, SensorConfig};
use tonus_sim::{generate, Profile, ScenarioConfig};

/// Arguments of `tonus record`.
#[derive(Args, Debug)]
pub struct RecordArgs {
    /// Serial port of the sensor (or the link printed by `tonus sim`).
    #[arg(
        long,
        required_unless_present = "simulated",
        conflicts_with = "simulated"
    )]
    pub port: Option<PathBuf>,
    /// Record from a built-in virtual sensor with this profile (normal, overactive, weak, overactive-weak, accessory)
    /// through the real serial path, no hardware needed.
    #[arg(long)]
    pub simulated: Option<Profile>,
    /// Stop after this many seconds (default: until Ctrl-C).
    #[arg(long)]
    pub seconds: Option<f64>,
    /// Output: `.edf` (EDF+, 16-bit) or `.bdf` (BDF+, 24-bit) keep each channel at its own rate,
    /// lost samples held at the last value and annotated `gap:N`, and stay readable up to the last
    /// second if the process dies; anything else is CSV (`t`, one column per channel, `marker`
    /// with `gap:N` after lost samples; one common rate).
    #[arg(short, long)]
    pub output: PathBuf,
    /// The protocol the session follows; its phase starts are written into the recording as
    /// markers (times from the start of recording). With `--simulated`: the script the virtual
    /// sensor performs (glazer, about 7 min, or glazer-mini, 75 s).
    #[arg(long)]
    pub protocol: Option<String>,
    /// With `--simulated`: play the session this many times faster than real time.
    #[arg(long, default_value_t = 1.0)]
    pub speed: f64,
    /// After recording, analyse the file: print the summary and write FILE.report.json beside it.
    #[arg(long)]
    pub report: bool,
}

/// Runs `tonus record`.
pub fn run(args: &RecordArgs, stop: Arc<AtomicBool>) -> Result<()> {
    // The virtual sensor (if any) lives until the recording is finished.
    let mut markers = Vec::new();
    let mut session_s = None;
    let mut protocol = None;
    let sensor = match args.simulated {
        Some(profile) => {
            let config = ScenarioConfig {
                profile,
                protocol: args.protocol.clone().unwrap_or_else(|| "glazer".into()),
                ..ScenarioConfig::default()
            };
            if !(args.speed.is_finite() && args.speed > 0.0) {
                bail!(
                    "--speed {} must be a positive number (1 = real time)",
                    args.speed
                );
            }
            let recording = generate(&config)
                .context("--simulated: the virtual sensor performs a generator script")?
                .recording;
            markers.clone_from(&recording.markers);
            session_s = Some(recording.duration_s());
            let sensor_config = SensorConfig {
                speed: args.speed,
                ..SensorConfig::default()
            };
            Some(
                sensor::start(recording, sensor_config, None)
                    .context("cannot create a pseudo-terminal")?,
            )
        }
        None => {
            if let Some(name) = &args.protocol {
                let p = tonus_analysis::Protocol::load(name)?;
                markers = p.markers();
                protocol = Some(p);
            }
            None
        }
    };
    let port = match (&sensor, &args.port) {
        (Some(s), _) => s.path().to_path_buf(),
        (None, Some(p)) => p.clone(),
        (None, None) => bail!("give --port PATH or --simulated PROFILE"),
    };
    let mut acq = Acquisition::start(AcquisitionConfig::new(&port))?;
    let identity = acq.identity().clone();
    let rate = identity.channels[0].info.rate_hz;
    let out = FileRecorder::create(&args.output, &identity.channels, &markers)?;
    eprintln!(
        "recording {} -> {}  (Ctrl-C stops)",
        describe_device(&port, &identity),
        args.output.display()
    );
    // A simulated session ends with its script (plus half a second for the last frames).
    let limit = args
        .seconds
        .or(session_s.map(|s| s / args.speed.max(1e-3) + 0.5))
        .map(Duration::from_secs_f64);
    let done = record(&mut acq, Box::new(out), &stop, limit, |e| eprintln!("{e}"))?;
    let (written, stats) = (done.samples, done.stats);
    drop(sensor);
    let gaps: u64 = stats
        .gap_samples
        .iter()
        .take(identity.channels.len())
        .max()
        .copied()
        .unwrap_or(0);
    eprintln!(
        "recorded {written} samples per channel ({:.1} s), {gaps} missing samples recorded as gaps\nlink: {}",
        written as f64 / rate,
        stats.summary(identity.channels.len())
    );
    if stats.link_suspect() {
        eprintln!(
            "warning: the link looks wrong ({} of {} frames broken or refused): check the cable, the baud rate and that the device speaks the Tonus protocol",
            stats.broken_frames() + stats.malformed_frames,
            stats.decoder.frames + stats.broken_frames() + stats.malformed_frames
        );
    }
    if args.report {
        let options = tonus_pipeline::FileAnalysis {
            protocol: protocol.clone(),
            ..Default::default()
        };
        let report = tonus_pipeline::analyze_file(&args.output, &options)?;
        let json = args.output.with_extension("report.json");
        std::fs::write(&json, serde_json::to_string_pretty(&report)? + "\n")
            .with_context(|| format!("{}: cannot write", json.display()))?;
        print!("{}", tonus_report::text_summary(&report, &args.output));
        eprintln!("report: {}", json.display());
    }
    Ok(())
}
