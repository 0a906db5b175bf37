//! Filtering a CSV recording channel by channel, by kind (`tonus filter`): the `emg` (or
//! `emg-ecg-safe`) preset on EMG channels, `pressure` on pressure channels, causal and streamed, or
//! zero-phase over the whole file; optionally the EMG envelope instead of the filtered EMG. The
//! same columns are written, time and markers copied verbatim; samples lost before a `gap:N` row
//! are held at the last value for the filters and not written.

use std::path::Path;

use tonus_core::{ChannelInfo, ChannelKind};
use tonus_dsp::{
    centered_rms, ChainConfig, ChannelChain, DesignError, LinearEnvelope, Mains, Preset,
    DEFAULT_ENVELOPE_CUTOFF_HZ, DEFAULT_ENVELOPE_ORDER,
};
use tonus_io::csv::{CsvError, CsvReader, CsvRow, CsvWriter};

/// Which EMG envelope to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeKind {
    /// Moving RMS over the preset's window (100 ms).
    Rms,
    /// Rectification then a 2nd-order 6 Hz low-pass.
    Linear,
}

/// How a recording is filtered.
#[derive(Debug, Clone, Default)]
pub struct FilterOptions {
    /// Preset for EMG channels (`emg` or `emg-ecg-safe`; default `emg`).
    pub preset: Option<Preset>,
    /// Mains notch on EMG channels, with its harmonics below Nyquist.
    pub notch: Option<Mains>,
    /// Forward-backward (SciPy `sosfiltfilt`) instead of causal; reads the whole file.
    pub zero_phase: bool,
    /// Write this EMG envelope instead of the filtered EMG.
    pub envelope: Option<EnvelopeKind>,
    /// Sample rate for a file without a `t` column, Hz.
    pub rate_hz: Option<f64>,
}

/// What was filtered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Filtered {
    /// Channels.
    pub channels: usize,
    /// Rows written.
    pub rows: usize,
    /// Sample rate, Hz.
    pub rate_hz: f64,
}

/// Why a recording cannot be filtered.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    /// The input cannot be read or the output written (the error names the file and line).
    #[error(transparent)]
    Csv(#[from] CsvError),
    /// A channel's filters cannot be designed at its rate.
    #[error("channel '{channel}'")]
    Design {
        /// The channel (`name[unit]`, kind and rate).
        channel: String,
        /// Why.
        source: DesignError,
    },
}

/// Filters the CSV recording `input` into `output` (see the module docs).
pub fn filter_csv(
    input: &Path,
    output: &Path,
    options: &FilterOptions,
) -> Result<Filtered, FilterError> {
    let mut reader = CsvReader::open(input, options.rate_hz)?;
    let header = reader.header().clone();
    let channels: Vec<ChannelInfo> = header.channels.iter().map(|(_, c)| c.clone()).collect();
    let plans: Vec<ChannelPlan> = channels.iter().map(|c| plan(c, options)).collect();
    let mut writer = CsvWriter::create(output, &header)?;
    let mut row = CsvRow::default();
    let rows = if options.zero_phase {
        let mut batch = Batch::new(channels.len());
        while reader.next_row(&mut row)? {
            batch.push(&row);
        }
        let filtered = channels
            .iter()
            .zip(&plans)
            .zip(&batch.columns)
            .map(|((ch, plan), x)| zero_phase(ch, plan, x))
            .collect::<Result<Vec<_>, _>>()?;
        batch.write(&mut writer, &filtered)?
    } else {
        let mut procs = channels
            .iter()
            .zip(&plans)
            .map(|(ch, plan)| Causal::new(ch, plan))
            .collect::<Result<Vec<_>, _>>()?;
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
    Ok(Filtered {
        channels: channels.len(),
        rows,
        rate_hz: reader.rate_hz(),
    })
}

/// What one channel gets: its chain configuration and envelope.
struct ChannelPlan {
    config: ChainConfig,
    envelope: Option<EnvelopeKind>,
}

fn plan(ch: &ChannelInfo, args: &FilterOptions) -> ChannelPlan {
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
    fn new(ch: &ChannelInfo, plan: &ChannelPlan) -> Result<Self, FilterError> {
        let chain = ChannelChain::new(&plan.config, ch.rate_hz).map_err(design(ch))?;
        let linear = match plan.envelope {
            Some(EnvelopeKind::Linear) => Some(
                LinearEnvelope::new(
                    DEFAULT_ENVELOPE_CUTOFF_HZ,
                    DEFAULT_ENVELOPE_ORDER,
                    ch.rate_hz,
                )
                .map_err(design(ch))?,
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

/// The error of a channel whose filters cannot be designed.
fn design(ch: &ChannelInfo) -> impl Fn(DesignError) -> FilterError + '_ {
    move |source| FilterError::Design {
        channel: format!("{} ({} at {} Hz)", ch.header(), ch.kind(), ch.rate_hz),
        source,
    }
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
        let missing = tonus_core::gap_samples(&row.marker).unwrap_or(0) as usize;
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
    ) -> Result<usize, CsvError> {
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
fn zero_phase(ch: &ChannelInfo, plan: &ChannelPlan, x: &[f64]) -> Result<Vec<f64>, FilterError> {
    let sos = plan.config.design(ch.rate_hz).map_err(design(ch))?;
    let y = sos.filtfilt(x).map_err(design(ch))?;
    Ok(match plan.envelope {
        None => y,
        Some(EnvelopeKind::Rms) => {
            let window = plan.config.rms_window(ch.rate_hz).map_err(design(ch))?;
            centered_rms(&y, window)
        }
        Some(EnvelopeKind::Linear) => {
            let env = LinearEnvelope::new(
                DEFAULT_ENVELOPE_CUTOFF_HZ,
                DEFAULT_ENVELOPE_ORDER,
                ch.rate_hz,
            )
            .map_err(design(ch))?;
            let rectified: Vec<f64> = y.iter().map(|v| v.abs()).collect();
            env.lowpass().filtfilt(&rectified).map_err(design(ch))?
        }
    })
}
