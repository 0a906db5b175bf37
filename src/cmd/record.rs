//! `tonus record`: acquire from a serial sensor into a CSV recording, gaps marked, until Ctrl-C or
//! `--seconds`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Args;
use tonus_io::csv::{CsvHeader, CsvWriter};
use tonus_io::serial::{AcqEvent, Acquisition, AcquisitionConfig};
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
    /// Record from a built-in virtual sensor with this profile (normal, overactive, weak, accessory)
    /// through the real serial path, no hardware needed.
    #[arg(long)]
    pub simulated: Option<Profile>,
    /// Stop after this many seconds (default: until Ctrl-C).
    #[arg(long)]
    pub seconds: Option<f64>,
    /// Output CSV (`t`, one column per channel, `marker` with `gap:N` after lost samples).
    #[arg(short, long)]
    pub output: PathBuf,
}

/// Runs `tonus record`.
pub fn run(args: &RecordArgs, stop: Arc<AtomicBool>) -> Result<()> {
    // The virtual sensor (if any) lives until the recording is finished.
    let sensor = match args.simulated {
        Some(profile) => {
            let config = ScenarioConfig {
                profile,
                ..ScenarioConfig::default()
            };
            let recording = generate(&config)?.recording;
            Some(
                sensor::start(recording, SensorConfig::default(), None)
                    .context("cannot create a pseudo-terminal")?,
            )
        }
        None => None,
    };
    let port = match (&sensor, &args.port) {
        (Some(s), _) => s.path().to_path_buf(),
        (None, Some(p)) => p.clone(),
        (None, None) => bail!("give --port PATH or --simulated PROFILE"),
    };
    let mut acq = Acquisition::start(AcquisitionConfig::new(&port))?;
    let identity = acq.identity().clone();
    let rate = identity.channels[0].info.rate_hz;
    if identity.channels.iter().any(|c| c.info.rate_hz != rate) {
        bail!(
            "{}: the channels have different rates; a CSV recording needs one rate (EDF+ recording comes with the session pipeline)",
            port.display()
        );
    }
    let mut columns = vec!["t".to_string()];
    columns.extend(identity.channels.iter().map(|c| c.info.header()));
    columns.push("marker".into());
    let header = CsvHeader {
        marker_column: Some(columns.len() - 1),
        has_time: true,
        channels: identity
            .channels
            .iter()
            .enumerate()
            .map(|(i, c)| (i + 1, c.info.clone()))
            .collect(),
        columns,
    };
    let mut writer = CsvWriter::create(&args.output, &header)?;
    eprintln!(
        "recording {} ({} v{}.{}.{}, serial {}): {} channels at {rate} Hz -> {}  (Ctrl-C stops)",
        port.display(),
        identity.model,
        identity.firmware[0],
        identity.firmware[1],
        identity.firmware[2],
        identity.serial,
        identity.channels.len(),
        args.output.display()
    );
    let started = Instant::now();
    let limit = args.seconds.map(Duration::from_secs_f64);
    let mut values = vec![0.0; identity.channels.len()];
    let mut written = 0u64;
    let mut write_block =
        |writer: &mut CsvWriter<_>, block: &tonus_core::SampleBlock| -> Result<()> {
            for i in 0..block.samples(0).len() {
                for (c, v) in values.iter_mut().enumerate() {
                    *v = block.samples(c).get(i).copied().unwrap_or(f64::NAN);
                }
                let t = (block.first_sample[0] + i as u64) as f64 / rate;
                let marker = if i == 0 && block.gap_before[0] > 0 {
                    format!("gap:{}", block.gap_before[0])
                } else {
                    String::new()
                };
                writer.write_row(&t.to_string(), &values, &marker)?;
                written += 1;
            }
            Ok(())
        };
    while !stop.load(Ordering::SeqCst) && limit.is_none_or(|l| started.elapsed() < l) {
        while let Some(block) = acq.pop() {
            write_block(&mut writer, &block)?;
        }
        for event in acq.events().try_iter() {
            match event {
                AcqEvent::DeviceStatus(_) => {}
                other => eprintln!("{other:?}"),
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let stats = acq.stop();
    while let Some(block) = acq.pop() {
        write_block(&mut writer, &block)?;
    }
    writer.finish().context("finishing the recording")?;
    drop(sensor);
    let gaps: u64 = stats
        .gap_samples
        .iter()
        .take(identity.channels.len())
        .max()
        .copied()
        .unwrap_or(0);
    eprintln!(
        "recorded {written} samples per channel ({:.1} s), {gaps} missing samples recorded as gaps; frames {}, CRC errors {}, \
         lost frames {}, stalls {}, disconnects {}, ring overruns {}",
        written as f64 / rate,
        stats.decoder.frames,
        stats.decoder.crc_errors,
        stats.decoder.lost_frames,
        stats.stalls,
        stats.disconnects,
        stats.ring_overruns
    );
    Ok(())
}
