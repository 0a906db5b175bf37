//! Reading a whole EDF+/BDF+ file into a [`Recording`].

use std::path::Path;

use tonus_core::{Marker, Recording};

use super::error::{io, EdfError};
use super::header::{Depth, EdfChannel, Header};
use super::{tal, END_LABEL};

/// A file read: the recording (physical units, markers from the annotations) and how it was stored.
#[derive(Debug, Clone)]
pub struct EdfFile {
    /// Samples and markers; channels keep their own rates.
    pub recording: Recording,
    /// The channels as declared (ranges, prefiltering).
    pub channels: Vec<EdfChannel>,
    /// EDF+ or BDF+.
    pub depth: Depth,
    /// Whole data records read.
    pub records: u64,
    /// Whether the header still said `-1` records (a recording interrupted before it finished).
    pub interrupted: bool,
}

/// Reads `path`. Accepts a record count of `-1` (reads every whole record present); stops each
/// channel at the `tonus:end` annotation when there is one.
pub fn read_edf(path: &Path) -> Result<EdfFile, EdfError> {
    let bytes = std::fs::read(path).map_err(io(path))?;
    let (header, digital, layout) = Header::parse(path, &bytes)?;
    let data = &bytes[header.bytes().min(bytes.len())..];
    let record_bytes = header.record_bytes();
    let data_err = |offset: usize, problem: String| EdfError::Data {
        path: path.to_path_buf(),
        offset: offset as u64,
        problem,
    };
    if bytes.len() < header.bytes() {
        return Err(data_err(
            bytes.len(),
            format!(
                "the file ends inside the signal headers ({} bytes expected)",
                header.bytes()
            ),
        ));
    }
    let whole = (data.len() / record_bytes.max(1)) as u64;
    let interrupted = header.records < 0;
    let records = if interrupted {
        whole
    } else {
        let declared = header.records as u64;
        if Some(data.len() as u64) != declared.checked_mul(record_bytes as u64) {
            return Err(data_err(
                header.bytes() + data.len(),
                format!(
                    "the header declares {declared} data records of {record_bytes} bytes ({} bytes) but the file holds {} bytes of data",
                    declared.saturating_mul(record_bytes as u64),
                    data.len()
                ),
            ));
        }
        declared
    };
    let width = header.depth.bytes();
    let mut samples: Vec<Vec<f64>> = header
        .per_record
        .iter()
        .map(|n| Vec::with_capacity(n * records as usize))
        .collect();
    let mut markers = Vec::new();
    let mut end = None;
    for r in 0..records as usize {
        let mut at = header.bytes() + r * record_bytes;
        for (channel, n) in &layout {
            let chunk = &bytes[at..at + n * width];
            match channel {
                Some(c) => {
                    let ch = &header.channels[*c];
                    let (dmin, dmax) = digital[*c];
                    let gain =
                        (ch.physical_max - ch.physical_min) / (f64::from(dmax) - f64::from(dmin));
                    samples[*c].extend(chunk.chunks_exact(width).map(|s| {
                        let d = match width {
                            2 => i32::from(i16::from_le_bytes([s[0], s[1]])),
                            _ => i32::from_le_bytes([0, s[0], s[1], s[2]]) >> 8,
                        };
                        ch.physical_min + (f64::from(d) - f64::from(dmin)) * gain
                    }));
                }
                None => {
                    let (_, list) = tal::decode(chunk).map_err(|k| {
                        data_err(
                            at + k,
                            format!("record {}: malformed annotation (TAL)", r + 1),
                        )
                    })?;
                    for a in list {
                        if a.text == END_LABEL {
                            end = Some(a.onset_s);
                        } else {
                            markers.push(Marker {
                                time_s: a.onset_s,
                                label: a.text,
                            });
                        }
                    }
                }
            }
            at += n * width;
        }
    }
    if let Some(end) = end {
        for (s, c) in samples.iter_mut().zip(&header.channels) {
            s.truncate((end * c.info.rate_hz).round() as usize);
        }
    }
    markers.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    Ok(EdfFile {
        recording: Recording {
            channels: header.channels.iter().map(|c| c.info.clone()).collect(),
            samples,
            markers,
        },
        channels: header.channels,
        depth: header.depth,
        records,
        interrupted,
    })
}
