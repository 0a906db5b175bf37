//! `tonus demo`: a whole session with no hardware: a virtual sensor on a pseudo-terminal performs a
//! simulated person's protocol, and `live` runs against it through the real serial path.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use clap::Args;
use tonus_analysis::Protocol;
use tonus_sim::sensor::{self, SensorConfig};
use tonus_sim::{generate, Profile, ScenarioConfig};

use crate::cmd::live::{run_port, Options};

/// Arguments of `tonus demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// The simulated person: normal, overactive, weak, overactive-weak or accessory.
    #[arg(long, default_value = "overactive")]
    pub profile: Profile,
    /// How many times faster than real time the virtual sensor sends (the protocol clock runs
    /// as fast; the screen says so).
    #[arg(long, default_value_t = 2.0)]
    pub speed: f64,
    /// The script the simulated person performs and the display cues: glazer-mini (75 s) or
    /// glazer (about 7 min).
    #[arg(long, default_value = "glazer-mini")]
    pub protocol: String,
    /// Seed of the simulated person.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Folder for the recording, the events and the report (a simulated session there is replaced).
    #[arg(long, default_value = "tonus-demo")]
    pub out: PathBuf,
    /// Also write the event stream (JSON lines) here instead of `OUT/events.jsonl`.
    #[arg(long)]
    pub events: Option<PathBuf>,
}

/// Runs `tonus demo`.
pub fn run(args: &DemoArgs, stop: Arc<AtomicBool>) -> Result<()> {
    if !(args.speed.is_finite() && args.speed > 0.0) {
        bail!(
            "--speed {} must be a positive number (1 = real time)",
            args.speed
        );
    }
    let protocol = Protocol::load(&args.protocol)?;
    let scenario = ScenarioConfig {
        profile: args.profile,
        protocol: args.protocol.clone(),
        seed: args.seed,
        ..ScenarioConfig::default()
    };
    let recording = generate(&scenario)
        .with_context(|| {
            format!(
                "--protocol {}: the simulated person performs a generator script",
                args.protocol
            )
        })?
        .recording;
    let sensor = sensor::start(
        recording,
        SensorConfig {
            speed: args.speed,
            ..SensorConfig::default()
        },
        None,
    )
    .context("cannot create a pseudo-terminal for the virtual sensor")?;
    let options = Options {
        protocol,
        out: args.out.clone(),
        events: args.events.clone(),
        seconds: None,
        source: format!(
            "simulated {} sensor on {}",
            args.profile,
            sensor.path().display()
        ),
        clock_note: (args.speed != 1.0).then(|| format!("protocol clock ×{}", args.speed)),
        overwrite: true,
        notch: None,
    };
    let result = run_port(sensor.path(), &options, &stop);
    drop(sensor);
    result
}
