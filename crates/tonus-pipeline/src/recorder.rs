//! The recorder: samples and annotations into a CSV or EDF+/BDF+ file, on a thread of its own
//! behind a deep queue (see [`crate::Pipeline`]).

use std::path::{Path, PathBuf};

use tonus_core::{Marker, SampleBlock};
use tonus_io::csv::{CsvHeader, CsvWriter};
use tonus_io::edf::{Depth, EdfChannel, EdfWriter};
use tonus_io::serial::DeviceChannel;

use crate::error::PipelineError;

/// Where a session's samples go.
pub trait Recorder: Send {
    /// Takes one block (lost samples before it are in `gap_before`).
    fn write_block(&mut self, block: &SampleBlock) -> Result<(), PipelineError>;
    /// Annotates `label` at `time_s` (formats that cannot hold past annotations may skip it).
    fn annotate(&mut self, time_s: f64, label: &str) -> Result<(), PipelineError>;
    /// Closes the file; returns the samples written on the first channel.
    fn finish(self: Box<Self>) -> Result<u64, PipelineError>;
}

/// What a reader of the recording will get back for a value (EDF/BDF round values to a digital
/// step), so the live analysis sees exactly what a replay of the file will.
#[derive(Debug, Clone, Default)]
pub struct ReadBack {
    edf: Option<(Vec<EdfChannel>, Depth)>,
}

impl ReadBack {
    /// Replaces channel `c`'s values by what the file returns for them.
    pub fn apply(&self, c: usize, values: &mut [f64]) {
        if let Some((channels, depth)) = &self.edf {
            if let Some(ch) = channels.get(c) {
                for v in values {
                    *v = ch.physical(*depth, ch.digital(*depth, *v));
                }
            }
        }
    }
}

/// A recording file: `.edf` (EDF+, 16-bit) or `.bdf` (BDF+, 24-bit) keep each channel at its own
/// rate, lost samples held and annotated `gap:N`, readable up to the last second after a crash,
/// with annotations for phases, marks, contractions and flags; anything else is CSV (one common
/// rate; phases, marks and `gap:N` in the `marker` column).
pub struct FileRecorder {
    path: PathBuf,
    output: Output,
}

enum Output {
    Csv {
        writer: CsvWriter<std::io::BufWriter<std::fs::File>>,
        rate: f64,
        values: Vec<f64>,
        written: u64,
        /// Labels still to write, the next one last.
        markers: Vec<Marker>,
    },
    Edf {
        writer: EdfWriter,
        written: u64,
    },
}

fn fail(path: &Path, e: impl std::fmt::Display) -> PipelineError {
    PipelineError::Record {
        path: path.to_path_buf(),
        problem: e.to_string(),
    }
}

impl FileRecorder {
    /// Creates `path` for these device channels, with the phase markers known up front.
    pub fn create(
        path: &Path,
        channels: &[DeviceChannel],
        markers: &[Marker],
    ) -> Result<Self, PipelineError> {
        let depth = match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("edf") => Some(Depth::Edf16),
            Some(e) if e.eq_ignore_ascii_case("bdf") => Some(Depth::Bdf24),
            _ => None,
        };
        if channels.is_empty() {
            return Err(fail(path, "the device has no channels"));
        }
        if let Some(depth) = depth {
            if let Some(c) = channels
                .iter()
                .find(|c| usize::from(c.width) > depth.bytes())
            {
                return Err(fail(
                    path,
                    format!(
                        "channel '{}' sends {}-bit samples; this format keeps {} bits and would lose resolution: record to .bdf (24-bit)",
                        c.info.name,
                        8 * c.width,
                        8 * depth.bytes()
                    ),
                ));
            }
            let edf: Vec<EdfChannel> = channels
                .iter()
                .map(|c| {
                    let (lo, hi) = c.physical_range();
                    let mut ch = EdfChannel::new(c.info.clone(), lo, hi);
                    ch.prefilter = "none (raw device counts)".into();
                    ch
                })
                .collect();
            let mut writer = EdfWriter::create(path, &edf, depth).map_err(|e| fail(path, e))?;
            for m in markers {
                writer.annotate(m.time_s, &m.label);
            }
            return Ok(Self {
                path: path.to_path_buf(),
                output: Output::Edf { writer, written: 0 },
            });
        }
        let rate = channels[0].info.rate_hz;
        if channels.iter().any(|c| c.info.rate_hz != rate) {
            return Err(fail(
                path,
                "the channels have different rates; a CSV recording needs one rate (record to .edf or .bdf instead)",
            ));
        }
        let mut columns = vec!["t".to_string()];
        columns.extend(channels.iter().map(|c| c.info.header()));
        columns.push("marker".into());
        let header = CsvHeader {
            marker_column: Some(columns.len() - 1),
            has_time: true,
            channels: channels
                .iter()
                .enumerate()
                .map(|(i, c)| (i + 1, c.info.clone()))
                .collect(),
            columns,
        };
        let writer = CsvWriter::create(path, &header).map_err(|e| fail(path, e))?;
        let mut markers = markers.to_vec();
        markers.sort_by(|a, b| b.time_s.total_cmp(&a.time_s));
        Ok(Self {
            path: path.to_path_buf(),
            output: Output::Csv {
                writer,
                rate,
                values: vec![0.0; channels.len()],
                written: 0,
                markers,
            },
        })
    }

    /// How values come back from this file.
    pub fn read_back(&self) -> ReadBack {
        match &self.output {
            Output::Csv { .. } => ReadBack::default(),
            Output::Edf { writer, .. } => ReadBack {
                edf: Some((writer.channels().to_vec(), writer.depth())),
            },
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Recorder for FileRecorder {
    fn write_block(&mut self, block: &SampleBlock) -> Result<(), PipelineError> {
        let path = &self.path;
        match &mut self.output {
            Output::Csv {
                writer,
                rate,
                values,
                written,
                markers,
            } => {
                for i in 0..block.samples(0).len() {
                    for (c, v) in values.iter_mut().enumerate() {
                        *v = block.samples(c).get(i).copied().unwrap_or(f64::NAN);
                    }
                    let t = (block.first_sample[0] + i as u64) as f64 / *rate;
                    let marker = if i == 0 && block.discontinuity {
                        tonus_core::DISCONTINUITY.to_string()
                    } else if i == 0 && block.gap_before[0] > 0 {
                        tonus_core::gap_label(block.gap_before[0])
                    } else if markers.last().is_some_and(|m| m.time_s <= t + 0.5 / *rate) {
                        markers.pop().map(|m| m.label).unwrap_or_default()
                    } else {
                        String::new()
                    };
                    writer
                        .write_row(&t.to_string(), values, &marker)
                        .map_err(|e| fail(path, e))?;
                    *written += 1;
                }
            }
            Output::Edf { writer, written } => {
                if block.discontinuity {
                    let rate = writer.channels().first().map_or(1.0, |c| c.info.rate_hz);
                    writer.annotate(
                        block.first_sample[0] as f64 / rate,
                        tonus_core::DISCONTINUITY,
                    );
                }
                for c in 0..writer.channels().len() {
                    // Lost samples are held at the last value and annotated, so every later
                    // sample keeps its true time.
                    writer
                        .push_gap(c, block.gap_before[c])
                        .map_err(|e| fail(path, e))?;
                    writer
                        .push(c, block.samples(c))
                        .map_err(|e| fail(path, e))?;
                }
                *written += block.samples(0).len() as u64;
            }
        }
        Ok(())
    }

    fn annotate(&mut self, time_s: f64, label: &str) -> Result<(), PipelineError> {
        match &mut self.output {
            // The CSV marker column holds phases and marks at the row they start; a mark is
            // written with the next row.
            Output::Csv { markers, .. } => {
                if label.starts_with("mark:") || !label.contains(':') {
                    markers.push(Marker {
                        time_s,
                        label: label.to_string(),
                    });
                    markers.sort_by(|a, b| b.time_s.total_cmp(&a.time_s));
                }
            }
            Output::Edf { writer, .. } => writer.annotate(time_s, label),
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<u64, PipelineError> {
        let path = self.path;
        match self.output {
            Output::Csv {
                writer, written, ..
            } => {
                writer.finish().map_err(|e| fail(&path, e))?;
                Ok(written)
            }
            Output::Edf { writer, written } => {
                writer.finish().map_err(|e| fail(&path, e))?;
                Ok(written)
            }
        }
    }
}
