//! Reading EDF+/BDF+: [`EdfSource`] streams records (and replays, for two-pass analysis); it holds
//! only the header, the annotations and one record. [`read_edf`] collects a whole file.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use tonus_core::{ChannelInfo, Marker, Recording, Replay};

use super::error::{io, EdfError};
use super::header::{Depth, EdfChannel, Header, Parsed};
use super::{tal, END_LABEL};

/// A file read whole: the recording (physical units, markers from the annotations) and how it was
/// stored.
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
    /// Whether the recording was interrupted before it finished: the header still said `-1`
    /// records, or the data ran one record past the count, or ended inside a record.
    pub interrupted: bool,
}

/// Reads the whole of `path` into memory (see [`EdfSource`] for the rules).
pub fn read_edf(path: &Path) -> Result<EdfFile, EdfError> {
    let mut source = EdfSource::open(path)?;
    let mut samples: Vec<Vec<f64>> = source
        .lengths
        .iter()
        .map(|n| Vec::with_capacity(*n as usize))
        .collect();
    source.replay(None, &mut |c, chunk| samples[c].extend_from_slice(chunk))?;
    Ok(EdfFile {
        recording: Recording {
            channels: source.infos.clone(),
            samples,
            markers: source.markers.clone(),
        },
        channels: source.header.channels.clone(),
        depth: source.header.depth,
        records: source.records,
        interrupted: source.interrupted,
    })
}

/// An EDF+/BDF+ file opened for streaming. Accepts an interrupted recording (a record count of
/// `-1`, or data one record past the count, or ending inside a record: every whole record present
/// is read); stops each channel at the `tonus:end` annotation when there is one; any other
/// disagreement between the count and the file size is an error.
#[derive(Debug)]
pub struct EdfSource {
    path: PathBuf,
    header: Header,
    digital: Vec<(i32, i32)>,
    layout: Vec<(Option<usize>, usize)>,
    infos: Vec<ChannelInfo>,
    markers: Vec<Marker>,
    /// Samples to deliver per channel (the data up to `tonus:end`).
    lengths: Vec<u64>,
    records: u64,
    interrupted: bool,
}

impl EdfSource {
    /// Opens `path`, checks its header and size, and reads its annotations.
    pub fn open(path: &Path) -> Result<Self, EdfError> {
        let mut file = File::open(path).map_err(io(path))?;
        let size = file.metadata().map_err(io(path))?.len();
        let mut head = vec![0u8; 256];
        let n = read_up_to(&mut file, &mut head).map_err(io(path))?;
        head.truncate(n);
        if n == 256 {
            // The signal headers' size comes from the fixed part (checked again by the parser).
            let ns: usize = String::from_utf8_lossy(&head[252..256])
                .trim()
                .parse()
                .unwrap_or(0);
            head.resize(256 * (ns.min(512) + 1), 0);
            let more = read_up_to(&mut file, &mut head[256..]).map_err(io(path))?;
            head.truncate(256 + more);
        }
        let Parsed {
            header,
            digital,
            layout,
        } = Header::parse(path, &head)?;
        let data_err = |offset: u64, problem: String| EdfError::Data {
            path: path.to_path_buf(),
            offset,
            problem,
        };
        if (head.len() as u64) < header.bytes() as u64 {
            return Err(data_err(
                head.len() as u64,
                format!(
                    "the file ends inside the signal headers ({} bytes expected)",
                    header.bytes()
                ),
            ));
        }
        let record_bytes = header.record_bytes() as u64;
        let data = size - header.bytes() as u64;
        let whole = data / record_bytes;
        let mut interrupted = header.records < 0;
        let records = if interrupted {
            whole
        } else if (header.records as u64..=header.records as u64 + 1).contains(&whole)
            && !(whole == header.records as u64 && data.is_multiple_of(record_bytes))
        {
            // A recorder killed between a record and its count, or inside a record: every whole
            // record is read; a partial last record (less than one record's time) is not.
            interrupted = true;
            whole
        } else {
            let declared = header.records as u64;
            if Some(data) != declared.checked_mul(record_bytes) {
                return Err(data_err(
                    size,
                    format!(
                        "the header declares {declared} data records of {record_bytes} bytes ({} bytes) but the file holds {data} bytes of data",
                        declared.saturating_mul(record_bytes)
                    ),
                ));
            }
            declared
        };
        let mut source = Self {
            path: path.to_path_buf(),
            infos: header.channels.iter().map(|c| c.info.clone()).collect(),
            lengths: header
                .per_record
                .iter()
                .map(|n| *n as u64 * records)
                .collect(),
            header,
            digital,
            layout,
            markers: Vec::new(),
            records,
            interrupted,
        };
        source.read_annotations(&mut file)?;
        Ok(source)
    }

    /// Reads only the annotation bytes of every record.
    fn read_annotations(&mut self, file: &mut File) -> Result<(), EdfError> {
        let width = self.header.depth.bytes();
        let mut spans = Vec::new();
        let mut at = 0;
        for (channel, n) in &self.layout {
            if channel.is_none() {
                spans.push((at, n * width));
            }
            at += n * width;
        }
        let mut end = None;
        let mut bytes = Vec::new();
        for r in 0..self.records {
            let record_at = self.header.bytes() as u64 + r * self.header.record_bytes() as u64;
            for (offset, len) in &spans {
                bytes.resize(*len, 0);
                let at = record_at + *offset as u64;
                file.seek(SeekFrom::Start(at)).map_err(io(&self.path))?;
                file.read_exact(&mut bytes).map_err(io(&self.path))?;
                let (start, list) = tal::decode(&bytes).map_err(|k| EdfError::Data {
                    path: self.path.clone(),
                    offset: at + k as u64,
                    problem: format!("record {}: malformed annotation (TAL)", r + 1),
                })?;
                // EDF+D: each record says where it starts; one that does not follow on from the
                // one before is a discontinuity, which the samples' times cannot hold.
                let expected = r as f64 * self.header.record_s;
                if let (true, Some(start)) = (self.header.discontinuous, start) {
                    if (start - expected).abs() > 1e-6 {
                        return Err(EdfError::Data {
                            path: self.path.clone(),
                            offset: at,
                            problem: format!(
                                "record {} starts at {start} s, not {expected} s: this EDF+D file is discontinuous, which Tonus does not read (export it as EDF+C, with the gaps as annotations)",
                                r + 1
                            ),
                        });
                    }
                }
                for a in list {
                    if a.text == END_LABEL {
                        end = Some(a.onset_s);
                    } else {
                        self.markers.push(Marker {
                            time_s: a.onset_s,
                            label: a.text,
                        });
                    }
                }
            }
        }
        self.markers.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
        if let Some(end) = end {
            for (n, c) in self.lengths.iter_mut().zip(&self.infos) {
                *n = (*n).min((end * c.rate_hz).round().max(0.0) as u64);
            }
        }
        Ok(())
    }

    /// The channels as declared (ranges, prefiltering).
    pub fn edf_channels(&self) -> &[EdfChannel] {
        &self.header.channels
    }

    /// EDF+ or BDF+.
    pub fn depth(&self) -> Depth {
        self.header.depth
    }

    /// Whole data records in the file.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Whether the recording was interrupted before it finished (see [`EdfFile::interrupted`]).
    pub fn interrupted(&self) -> bool {
        self.interrupted
    }
}

impl Replay for EdfSource {
    type Error = EdfError;

    fn channels(&self) -> &[ChannelInfo] {
        &self.infos
    }

    fn markers(&self) -> &[Marker] {
        &self.markers
    }

    fn duration_s(&self) -> Option<f64> {
        self.lengths
            .iter()
            .zip(&self.infos)
            .map(|(n, c)| *n as f64 / c.rate_hz)
            .reduce(f64::max)
    }

    fn replay(
        &mut self,
        limit_s: Option<f64>,
        f: &mut dyn FnMut(usize, &[f64]),
    ) -> Result<(), EdfError> {
        let file = File::open(&self.path).map_err(io(&self.path))?;
        let mut file = BufReader::with_capacity(1 << 16, file);
        file.seek(SeekFrom::Start(self.header.bytes() as u64))
            .map_err(io(&self.path))?;
        let width = self.header.depth.bytes();
        let mut record = vec![0u8; self.header.record_bytes()];
        let mut values = vec![0.0; self.header.per_record.iter().copied().max().unwrap_or(0)];
        let limits: Vec<u64> = self
            .lengths
            .iter()
            .zip(&self.infos)
            .map(|(n, c)| limit_s.map_or(*n, |l| (*n).min((l * c.rate_hz).ceil() as u64)))
            .collect();
        let gains: Vec<(f64, f64, f64)> = self
            .header
            .channels
            .iter()
            .zip(&self.digital)
            .map(|(ch, (dmin, dmax))| {
                let gain =
                    (ch.physical_max - ch.physical_min) / (f64::from(*dmax) - f64::from(*dmin));
                (ch.physical_min, f64::from(*dmin), gain)
            })
            .collect();
        let records = limits
            .iter()
            .zip(&self.header.per_record)
            .map(|(n, per)| n.div_ceil(*per as u64))
            .max()
            .unwrap_or(0);
        for r in 0..records {
            file.read_exact(&mut record).map_err(io(&self.path))?;
            let mut at = 0;
            for (channel, n) in &self.layout {
                let chunk = &record[at..at + n * width];
                at += n * width;
                let Some(c) = *channel else { continue };
                let done = r * *n as u64;
                let take = limits[c].saturating_sub(done).min(*n as u64) as usize;
                if take == 0 {
                    continue;
                }
                let (pmin, dmin, gain) = gains[c];
                for (v, s) in values.iter_mut().zip(chunk.chunks_exact(width)).take(take) {
                    let d = match width {
                        2 => i32::from(i16::from_le_bytes([s[0], s[1]])),
                        _ => i32::from_le_bytes([0, s[0], s[1], s[2]]) >> 8,
                    };
                    *v = pmin + (f64::from(d) - dmin) * gain;
                }
                f(c, &values[..take]);
            }
        }
        Ok(())
    }
}

/// Reads as much of `buf` as the file holds.
fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}
