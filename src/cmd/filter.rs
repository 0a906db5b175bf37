//! `tonus filter`: filters a CSV recording channel by channel, by kind, and writes the same columns
//! (`tonus_pipeline::filter_csv`).

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, ValueEnum};
use tonus_dsp::{Mains, Preset};
use tonus_pipeline::{filter_csv, EnvelopeKind, FilterOptions};

/// Arguments of `tonus filter`.
#[derive(Args, Debug)]
pub struct FilterArgs {
    /// Input recording (CSV contract: `t`, `name[unit]` columns, optional `marker`).
    pub input: PathBuf,
    /// Output CSV (same columns, filtered values).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Preset for channels of its kind: `emg` or `emg-ecg-safe` for EMG channels, `pressure` for
    /// pressure channels. Defaults: `emg` on EMG, `pressure` on pressure.
    #[arg(long)]
    pub preset: Option<Preset>,
    /// Mains notch (50 or 60 Hz) on EMG channels, with its harmonics below Nyquist.
    #[arg(long)]
    pub notch: Option<Mains>,
    /// Zero-phase (forward-backward, SciPy `sosfiltfilt`) instead of causal filtering; envelopes are
    /// then centred too. Reads the whole file into memory.
    #[arg(long)]
    pub zero_phase: bool,
    /// Write the EMG envelope instead of the filtered EMG (pressure channels stay filtered pressure).
    #[arg(long, value_enum)]
    pub envelope: Option<Envelope>,
    /// Sample rate in Hz; required when the file has no `t` column.
    #[arg(long)]
    pub rate: Option<f64>,
}

/// Which EMG envelope to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Envelope {
    /// Moving RMS over the preset's window (100 ms).
    Rms,
    /// Rectification then a 2nd-order 6 Hz low-pass.
    Linear,
}

/// Runs `tonus filter`.
pub fn run(args: &FilterArgs) -> Result<()> {
    let options = FilterOptions {
        preset: args.preset,
        notch: args.notch,
        zero_phase: args.zero_phase,
        envelope: args.envelope.map(|e| match e {
            Envelope::Rms => EnvelopeKind::Rms,
            Envelope::Linear => EnvelopeKind::Linear,
        }),
        rate_hz: args.rate,
    };
    let done = filter_csv(&args.input, &args.output, &options)?;
    eprintln!(
        "filtered {} channel(s) x {} samples at {} Hz ({}) -> {}",
        done.channels,
        done.rows,
        done.rate_hz,
        if args.zero_phase {
            "zero-phase"
        } else {
            "causal"
        },
        args.output.display()
    );
    Ok(())
}
