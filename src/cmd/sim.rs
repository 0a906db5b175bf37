//! `tonus sim --write FILE.csv`: a generated session and its ground truth (`FILE.truth.json`).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use tonus_sim::{generate, write_csv, ArtifactKind, Profile, ScenarioConfig};

/// Arguments of `tonus sim`.
#[derive(Args, Debug)]
pub struct SimArgs {
    /// Write the session to this CSV file and its ground truth beside it (FILE.truth.json).
    /// (The live virtual sensor on a pseudo-terminal is not built yet; this option is required.)
    #[arg(long, required = true)]
    pub write: PathBuf,
    /// Pelvic-floor profile: normal, overactive, weak or accessory.
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
pub fn run(args: &SimArgs) -> Result<()> {
    if args.write.extension().and_then(|e| e.to_str()) != Some("csv") {
        bail!(
            "--write needs a .csv file name, got '{}'",
            args.write.display()
        );
    }
    let config = ScenarioConfig {
        profile: args.profile,
        protocol: args.protocol.clone(),
        seed: args.seed,
        rate_hz: args.rate,
        artifacts: artifacts(&args.artifacts)?,
        seconds: args.seconds,
    };
    let session = generate(&config)?;
    let file = File::create(&args.write)
        .with_context(|| format!("cannot create {}", args.write.display()))?;
    let mut out = BufWriter::new(file);
    write_csv(&session, &mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("writing {}", args.write.display()))?;
    let truth = truth_path(&args.write);
    let json = serde_json::to_string_pretty(&session.truth)? + "\n";
    std::fs::write(&truth, json).with_context(|| format!("writing {}", truth.display()))?;
    eprintln!(
        "wrote {} ({} profile, {}, {:.1} s at {} Hz, {} contractions) and {}",
        args.write.display(),
        args.profile,
        session.truth.protocol,
        session.truth.duration_s,
        args.rate,
        session.truth.contractions.len(),
        truth.display()
    );
    Ok(())
}
