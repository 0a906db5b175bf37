//! `tonus filter`: filters a CSV recording channel by channel, by kind, and writes the same columns.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use tonus_core::{ChannelInfo, ChannelKind};
use tonus_dsp::{
    centered_rms, ChainConfig, ChannelChain, LinearEnvelope, Mains, Preset,
    DEFAULT_ENVELOPE_CUTOFF_HZ, DEFAULT_ENVELOPE_ORDER,
};
use tonus_io::csv::{CsvReader, CsvRow, CsvWriter};

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
    #[arg(long, value_parser = parse_preset)]
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
    pub envelope: Option<EnvelopeKind>,
    /// Sample rate in Hz; required when the file has no `t` column.
    #[arg(long)]
    pub rate: Option<f64>,
}

/// Which EMG envelope to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EnvelopeKind {
    /// Moving RMS over the preset's window (100 ms).
    Rms,
    /// Rectification then a 2nd-order 6 Hz low-pass.
    Linear,
}

fn parse_preset(s: &str) -> Result<Preset, String> {
    s.parse::<Preset>().map_err(|e| e.to_string())
}

/// What one channel gets: its chain configuration and envelope.
struct ChannelPlan {
    config: ChainConfig,
    envelope: Option<EnvelopeKind>,
}

fn plan(ch: &ChannelInfo, args: &FilterArgs) -> ChannelPlan {
    match ch.kind() {
        ChannelKind::Emg => {
            let preset = match args.preset {
                Some(p @ (Preset::Emg | Preset::EmgEcgSafe)) => p,
                _ => Preset::Emg,
            };
            ChannelPlan {
                config: ChainConfig {
                    mains: args.notch,
                    ..preset.config()
                },
                envelope: args.envelope,
            }
        }
        ChannelKind::Pressure => ChannelPlan {
            config: Preset::Pressure.config(),
            envelope: None,
        },
    }
}

/// Rows filtered per batch in causal mode (memory stays constant whatever the file length).
const BATCH_ROWS: usize = 4096;

/// A channel's causal processor: the engine's [`ChannelChain`], then an optional linear envelope.
struct Causal {
    chain: ChannelChain,
    envelope: Option<EnvelopeKind>,
    linear: Option<LinearEnvelope>,
    scratch: Vec<f64>,
}

impl Causal {
    fn new(ch: &ChannelInfo, plan: &ChannelPlan) -> Result<Self> {
        let chain = ChannelChain::new(&plan.config, ch.rate_hz).with_context(|| describe(ch))?;
        let linear = match plan.envelope {
            Some(EnvelopeKind::Linear) => Some(
                LinearEnvelope::new(
                    DEFAULT_ENVELOPE_CUTOFF_HZ,
                    DEFAULT_ENVELOPE_ORDER,
                    ch.rate_hz,
                )
                .with_context(|| describe(ch))?,
            ),
            _ => None,
        };
        Ok(Self {
            chain,
            envelope: plan.envelope,
            linear,
            scratch: vec![0.0; BATCH_ROWS],
        })
    }

    /// Replaces a batch of one channel's samples by the output column.
    fn run(&mut self, x: &mut [f64]) {
        match self.envelope {
            Some(EnvelopeKind::Rms) => {
                let env = &mut self.scratch[..x.len()];
                self.chain.process(x, env);
                x.copy_from_slice(env);
            }
            _ => {
                self.chain.filter(x);
                if let Some(l) = &mut self.linear {
                    l.process_in_place(x);
                }
            }
        }
    }
}

fn describe(ch: &ChannelInfo) -> String {
    format!(
        "channel '{}' ({} at {} Hz)",
        ch.header(),
        ch.kind(),
        ch.rate_hz
    )
}

/// Runs `tonus filter`.
pub fn run(args: &FilterArgs) -> Result<()> {
    let mut reader = CsvReader::open(&args.input, args.rate)?;
    let header = reader.header().clone();
    let channels: Vec<ChannelInfo> = header.channels.iter().map(|(_, c)| c.clone()).collect();
    let plans: Vec<ChannelPlan> = channels.iter().map(|c| plan(c, args)).collect();
    let mut writer = CsvWriter::create(&args.output, &header)?;
    let mut row = CsvRow::default();
    let rows = if args.zero_phase {
        let mut batch = Batch::new(channels.len());
        while reader.next_row(&mut row)? {
            batch.push(&row);
        }
        let filtered = channels
            .iter()
            .zip(&plans)
            .zip(&batch.columns)
            .map(|((ch, plan), x)| zero_phase(ch, plan, x))
            .collect::<Result<Vec<_>>>()?;
        batch.write(&mut writer, &filtered)?
    } else {
        let mut procs = channels
            .iter()
            .zip(&plans)
            .map(|(ch, plan)| Causal::new(ch, plan))
            .collect::<Result<Vec<_>>>()?;
        let mut batch = Batch::new(channels.len());
        let mut n = 0;
        let mut more = true;
        while more {
            batch.clear();
            while batch.keep.len() < BATCH_ROWS {
                if !reader.next_row(&mut row)? {
                    more = false;
                    break;
                }
                batch.push(&row);
            }
            for (p, col) in procs.iter_mut().zip(&mut batch.columns) {
                p.run(col);
            }
            let columns = std::mem::take(&mut batch.columns);
            n += batch.write(&mut writer, &columns)?;
            batch.columns = columns;
        }
        n
    };
    writer.finish()?;
    eprintln!(
        "filtered {} channel(s) x {} samples at {} Hz ({}) -> {}",
        channels.len(),
        rows,
        reader.rate_hz(),
        if args.zero_phase {
            "zero-phase"
        } else {
            "causal"
        },
        args.output.display()
    );
    Ok(())
}

/// Rows read and not yet written: their time text, marker and samples per channel. Before a
/// `gap:N` row it holds `N` rows of the last raw values (`keep` false: not written out), so the
/// filters see every sample at its true time.
struct Batch {
    times: Vec<String>,
    markers: Vec<String>,
    keep: Vec<bool>,
    columns: Vec<Vec<f64>>,
    /// The last raw row, carried across batches.
    last: Vec<f64>,
    values: Vec<f64>,
}

impl Batch {
    fn new(channels: usize) -> Self {
        Self {
            times: Vec::with_capacity(BATCH_ROWS),
            markers: Vec::with_capacity(BATCH_ROWS),
            keep: Vec::with_capacity(BATCH_ROWS),
            columns: vec![Vec::with_capacity(BATCH_ROWS); channels],
            last: Vec::new(),
            values: vec![0.0; channels],
        }
    }

    fn clear(&mut self) {
        self.times.clear();
        self.markers.clear();
        self.keep.clear();
        self.columns.iter_mut().for_each(Vec::clear);
    }

    fn push(&mut self, row: &CsvRow) {
        let missing = row
            .marker
            .strip_prefix("gap:")
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(0);
        if missing > 0 && !self.last.is_empty() {
            for (c, held) in self.columns.iter_mut().zip(&self.last) {
                c.resize(c.len() + missing, *held);
            }
            let n = self.keep.len() + missing;
            self.times.resize(n, String::new());
            self.markers.resize(n, String::new());
            self.keep.resize(n, false);
        }
        self.times.push(row.time_text.clone());
        self.markers.push(row.marker.clone());
        self.keep.push(true);
        for (c, v) in self.columns.iter_mut().zip(&row.values) {
            c.push(*v);
        }
        self.last.clone_from(&row.values);
    }

    /// Writes the kept rows with their values from `columns`; returns how many.
    fn write<W: std::io::Write>(
        &mut self,
        writer: &mut CsvWriter<W>,
        columns: &[Vec<f64>],
    ) -> Result<usize> {
        for (i, (t, m)) in self.times.iter().zip(&self.markers).enumerate() {
            if !self.keep[i] {
                continue;
            }
            for (v, col) in self.values.iter_mut().zip(columns) {
                *v = col[i];
            }
            writer.write_row(t, &self.values, m)?;
        }
        Ok(self.keep.iter().filter(|k| **k).count())
    }
}

/// Zero-phase filtering of one whole channel, then a centred envelope if asked.
fn zero_phase(ch: &ChannelInfo, plan: &ChannelPlan, x: &[f64]) -> Result<Vec<f64>> {
    let sos = plan
        .config
        .design(ch.rate_hz)
        .with_context(|| describe(ch))?;
    let y = sos.filtfilt(x).with_context(|| describe(ch))?;
    Ok(match plan.envelope {
        None => y,
        Some(EnvelopeKind::Rms) => {
            let window = (plan.config.rms_window_s * ch.rate_hz).round().max(1.0) as usize;
            centered_rms(&y, window)
        }
        Some(EnvelopeKind::Linear) => {
            let env = LinearEnvelope::new(
                DEFAULT_ENVELOPE_CUTOFF_HZ,
                DEFAULT_ENVELOPE_ORDER,
                ch.rate_hz,
            )
            .with_context(|| describe(ch))?;
            let rectified: Vec<f64> = y.iter().map(|v| v.abs()).collect();
            env.lowpass()
                .filtfilt(&rectified)
                .with_context(|| describe(ch))?
        }
    })
}
