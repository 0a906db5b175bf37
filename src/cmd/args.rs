//! Options several commands share, declared once.

use anyhow::Result;
use clap::Args;
use tonus_analysis::{AnalysisConfig, Protocol};
use tonus_dsp::Mains;
use tonus_pipeline::FileAnalysis;

/// `--notch`: the mains notch.
#[derive(Args, Debug, Clone, Default)]
pub struct NotchArg {
    /// Mains notch (50 or 60 Hz, with its harmonics) on the EMG channels, from the first sample.
    /// Without it the analysis notches the hum it finds in the first seconds itself; give it when
    /// the `mains_interference` flag says the hum was not notched.
    #[arg(long)]
    pub notch: Option<Mains>,
}

/// How a recording is analysed: `--protocol`, `--notch`, `--rate` (`analyze`, `report`, `replay`).
#[derive(Args, Debug, Clone, Default)]
pub struct AnalysisArgs {
    /// Protocol: a built-in (glazer, glazer-mini, strength-10x10, quick-flicks, down-training,
    /// push, free) or a .toml script. Cues every repetition; gives the phases when the file has no
    /// markers. Default: the one the recording names (`live` and `demo` write it), else the
    /// recording's markers alone.
    #[arg(long)]
    pub protocol: Option<String>,
    /// The mains notch.
    #[command(flatten)]
    pub notch: NotchArg,
    /// Sample rate in Hz, for a CSV file without a `t` column.
    #[arg(long)]
    pub rate: Option<f64>,
}

impl AnalysisArgs {
    /// The protocol named, loaded.
    pub fn protocol(&self) -> Result<Option<Protocol>> {
        Ok(self.protocol.as_deref().map(Protocol::load).transpose()?)
    }

    /// The file analysis these options choose.
    pub fn file_analysis(&self) -> Result<FileAnalysis> {
        Ok(FileAnalysis {
            rate_hz: self.rate,
            protocol: self.protocol()?,
            config: AnalysisConfig {
                mains: self.notch.notch,
                ..AnalysisConfig::default()
            },
        })
    }
}
