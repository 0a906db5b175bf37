//! `tonus sim`: a virtual sensor on a pseudo-terminal, or (`--write FILE.csv`) a generated session and
//! its ground truth (`FILE.truth.json`).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Args;
use tonus_sim::sensor::{self, SensorConfig};
use tonus_sim::{generate, write_csv, ArtifactKind, Profile, ScenarioConfig};

/// Arguments of `tonus sim`.
#[derive(Args, Debug)]
pub struct SimArgs {
    /// Write the session to this CSV file and its ground truth beside it (FILE.truth.json) instead of
    /// running a virtual sensor.
    #[arg(long)]
    pub write: Option<PathBuf>,
    /// Virtual sensor: make this path a symlink to the pseudo-terminal (kept across a reconnect).
    #[arg(long)]
    pub link: Option<PathBuf>,
    /// Virtual sensor: faults to inject, e.g. corrupt=0.001,drop=0.01,stall=20:2,disconnect=40:3.
    #[arg(long, default_value = "")]
    pub faults: tonus_sim::Faults,
    /// Virtual sensor: stream this recording (CSV, EDF/BDF, manometry) instead of a generated
    /// session.
    #[arg(long)]
    pub replay: Option<PathBuf>,
    /// Virtual sensor: speed factor (1 = real time).
    #[arg(long, default_value_t = 1.0)]
    pub speed: f64,
    /// Pelvic-floor profile: normal, overactive, weak, overactive-weak or accessory.
    #[arg(long, default_value = "normal")]
    pub profile: Profile,
    /// Protocol script: glazer (about 7 min) or glazer-mini (75 s).
    #[arg(long, default_value = "glazer")]
    pub protocol: String,
    /// Stop after this many seconds (default: the whole script).
    #[arg(long)]
    pub seconds: Option<f64>,
    /// Seed of every random stream (same seed, same bytes).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Sample rate of every channel, Hz.
    #[arg(long, default_value_t = 2000.0)]
    pub rate: f64,
    /// Artifacts to add, comma-separated: mains, ecg, cough, motion, electrode-off, saturation, or all.
    #[arg(long, value_delimiter = ',')]
    pub artifacts: Vec<String>,
}

/// `FILE.csv` → `FILE.truth.json`.
pub fn truth_path(csv: &Path) -> PathBuf {
    csv.with_extension("truth.json")
}

/// Parses the artifact list (`all` expands to every kind).
fn artifacts(names: &[String]) -> Result<Vec<ArtifactKind>> {
    let mut out = Vec::new();
    for name in names {
        if name == "all" {
            out.extend(ArtifactKind::ALL);
        } else {
            out.push(name.parse::<ArtifactKind>().map_err(anyhow::Error::msg)?);
        }
    }
    Ok(out)
}

/// Runs `tonus sim`.
pub fn run(args: &SimArgs, stop: Arc<AtomicBool>) -> Result<()> {
    match &args.write {
        Some(path) => write(args, path),
        None => serve(args, &stop),
    }
}

fn config(args: &SimArgs) -> Result<ScenarioConfig> {
    Ok(ScenarioConfig {
        profile: args.profile,
        protocol: args.protocol.clone(),
        seed: args.seed,
        rate_hz: args.rate,
        artifacts: artifacts(&args.artifacts)?,
        seconds: args.seconds,
    })
}

/// Runs the virtual sensor until the recording ends (plus a second) or Ctrl-C.
fn serve(args: &SimArgs, stop: &AtomicBool) -> Result<()> {
    if !(args.speed.is_finite() && args.speed > 0.0) {
        bail!("--speed must be above 0, got {}", args.speed);
    }
    let recording = match &args.replay {
        Some(file) => {
            tonus_core::Recording::read_whole(&mut tonus_io::open_recording(file, None)?)?
        }
        None => generate(&config(args)?)?.recording,
    };
    let seconds = recording.duration_s();
    let sensor_config = SensorConfig {
        speed: args.speed,
        faults: args.faults,
        seed: args.seed,
        ..SensorConfig::default()
    };
    let sensor = sensor::start(recording, sensor_config, args.link.clone())
        .context("cannot create a pseudo-terminal")?;
    println!("{}", sensor.path().display());
    eprintln!(
        "virtual sensor on {} ({:.1} s of signal at {}x; faults: {}); Ctrl-C stops",
        sensor.path().display(),
        seconds,
        args.speed,
        args.faults
    );
    let until = Instant::now() + Duration::from_secs_f64(seconds / args.speed + 1.0);
    while !stop.load(Ordering::SeqCst) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50));
    }
    let report = sensor.stop();
    eprintln!("{report:?}");
    Ok(())
}

/// Writes a generated session and its truth.
fn write(args: &SimArgs, path: &Path) -> Result<()> {
    if path.extension().and_then(|e| e.to_str()) != Some("csv") {
        bail!("--write needs a .csv file name, got '{}'", path.display());
    }
    let session = generate(&config(args)?)?;
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = BufWriter::new(file);
    write_csv(&session, &mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("writing {}", path.display()))?;
    let truth = truth_path(path);
    let json = serde_json::to_string_pretty(&session.truth)? + "\n";
    std::fs::write(&truth, json).with_context(|| format!("writing {}", truth.display()))?;
    eprintln!(
        "wrote {} ({} profile, {}, {:.1} s at {} Hz, {} contractions) and {}",
        path.display(),
        args.profile,
        session.truth.protocol,
        session.truth.duration_s,
        args.rate,
        session.truth.contractions.len(),
        truth.display()
    );
    Ok(())
}
