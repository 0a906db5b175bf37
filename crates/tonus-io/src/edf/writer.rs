//! The streaming writer: one-second records flushed as they complete, count written at the end.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use tonus_core::Recording;

use super::error::{io, EdfError};
use super::header::{field, Depth, EdfChannel, Header};
use super::{tal, END_LABEL};

/// Annotation space per record, bytes.
const ANNOTATION_BYTES: usize = 480;

/// Writes an EDF+/BDF+ file as samples arrive (see the module docs for the crash-safety contract).
pub struct EdfWriter {
    path: PathBuf,
    file: BufWriter<File>,
    header: Header,
    /// Digital samples waiting for their record, per channel.
    pending: Vec<VecDeque<i32>>,
    /// Samples pushed per channel.
    pushed: Vec<u64>,
    annotations: Vec<(f64, String)>,
    records: u64,
    record: Vec<u8>,
    /// Each channel's last digital value (what a gap holds).
    held: Vec<i32>,
    /// The last `gap:N` annotated (time, N): a frame lost on every channel is annotated once.
    last_gap: Option<(f64, u64)>,
}

impl EdfWriter {
    /// Creates `path` and writes its header (record count `-1` until the first record is written;
    /// then the count of records written, updated after each).
    pub fn create(path: &Path, channels: &[EdfChannel], depth: Depth) -> Result<Self, EdfError> {
        let mut per_record = Vec::with_capacity(channels.len());
        for c in channels {
            let bad = |problem: String| EdfError::Channel {
                channel: c.info.name.clone(),
                problem,
            };
            let rate = c.info.rate_hz;
            if !(rate >= 1.0 && rate == rate.round()) {
                return Err(bad(format!(
                    "rate {rate} Hz is not a whole number of hertz (one-second records)"
                )));
            }
            if c.info.name.len() > 16 || !c.info.name.is_ascii() {
                return Err(bad("an EDF label holds at most 16 ASCII characters".into()));
            }
            if c.physical_min.partial_cmp(&c.physical_max) != Some(std::cmp::Ordering::Less) {
                return Err(bad(format!(
                    "physical range {}..{} is empty",
                    c.physical_min, c.physical_max
                )));
            }
            per_record.push(rate as usize);
        }
        // The header stores the range in 8 characters: convert with exactly what it says.
        let stored: Vec<EdfChannel> = channels
            .iter()
            .map(|c| {
                let round = |x: f64| {
                    super::header::number8(x)
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(x)
                };
                EdfChannel {
                    physical_min: round(c.physical_min),
                    physical_max: round(c.physical_max),
                    ..c.clone()
                }
            })
            .collect();
        let (date, time) = now();
        let header = Header {
            depth,
            start_date: date,
            start_time: time,
            records: -1,
            record_s: 1.0,
            channels: stored,
            per_record,
            annotation_samples: ANNOTATION_BYTES / depth.bytes(),
            annotation_signals: 1,
            discontinuous: false,
        };
        let mut file = BufWriter::new(File::create(path).map_err(io(path))?);
        file.write_all(&header.encode()).map_err(io(path))?;
        file.flush().map_err(io(path))?;
        Ok(Self {
            path: path.to_path_buf(),
            record: Vec::with_capacity(header.record_bytes()),
            pending: header
                .per_record
                .iter()
                .map(|n| VecDeque::with_capacity(2 * n))
                .collect(),
            pushed: vec![0; channels.len()],
            header,
            file,
            annotations: Vec::new(),
            records: 0,
            last_gap: None,
            held: vec![depth.digital_range().0; channels.len()],
        })
    }

    /// The channels as stored (ranges rounded to what the header holds).
    pub fn channels(&self) -> &[EdfChannel] {
        &self.header.channels
    }

    /// Annotates `label` at `time_s` (seconds from the start); written with the next record.
    pub fn annotate(&mut self, time_s: f64, label: &str) {
        self.annotations.push((time_s, label.to_string()));
    }

    /// The sample depth.
    pub fn depth(&self) -> Depth {
        self.header.depth
    }

    /// Appends samples (physical units) to channel `c`, writing every record that completes.
    /// Values outside the physical range are clipped to it; NaN is stored as the digital minimum.
    pub fn push(&mut self, c: usize, samples: &[f64]) -> Result<(), EdfError> {
        let Some(ch) = self.header.channels.get(c) else {
            return Err(EdfError::Channel {
                channel: format!("#{c}"),
                problem: "no such channel".into(),
            });
        };
        let depth = self.header.depth;
        self.pending[c].extend(samples.iter().map(|x| ch.digital(depth, *x)));
        self.pushed[c] += samples.len() as u64;
        if let Some(d) = self.pending[c].back() {
            self.held[c] = *d;
        }
        self.write_complete_records()
    }

    /// Records that `n` samples of channel `c` were lost: they are stored as the channel's last
    /// value (so every later sample keeps its true time) and annotated `gap:N` at the first sample
    /// after them, as in the CSV contract.
    pub fn push_gap(&mut self, c: usize, n: u64) -> Result<(), EdfError> {
        let Some(ch) = self.header.channels.get(c) else {
            return Err(EdfError::Channel {
                channel: format!("#{c}"),
                problem: "no such channel".into(),
            });
        };
        if n == 0 {
            return Ok(());
        }
        let limit = tonus_core::limits::max_gap_samples(ch.info.rate_hz);
        if n > limit {
            return Err(EdfError::Channel {
                channel: ch.info.name.clone(),
                problem: format!(
                    "a gap of {n} samples is longer than a recording may declare ({limit}, {} s)",
                    tonus_core::limits::MAX_GAP_S
                ),
            });
        }
        let at = (self.pushed[c] + n) as f64 / ch.info.rate_hz;
        if self.last_gap != Some((at, n)) {
            self.annotate(at, &tonus_core::gap_label(n));
            self.last_gap = Some((at, n));
        }
        self.pending[c].extend(std::iter::repeat_n(self.held[c], n as usize));
        self.pushed[c] += n;
        self.write_complete_records()
    }

    /// Writes every record all channels have complete.
    fn write_complete_records(&mut self) -> Result<(), EdfError> {
        while self
            .pending
            .iter()
            .zip(&self.header.per_record)
            .all(|(p, n)| p.len() >= *n)
        {
            self.write_record()?;
        }
        Ok(())
    }

    fn write_record(&mut self) -> Result<(), EdfError> {
        let bytes = self.header.depth.bytes();
        self.record.clear();
        for (p, n) in self.pending.iter_mut().zip(&self.header.per_record) {
            for d in p.drain(..*n) {
                self.record.extend_from_slice(&d.to_le_bytes()[..bytes]);
            }
        }
        let start = self.records as f64 * self.header.record_s;
        let mut ann = [0u8; ANNOTATION_BYTES];
        let ann = &mut ann[..self.header.annotation_samples * bytes];
        let fitted = tal::encode(start, &self.annotations, ann);
        self.annotations.drain(..fitted);
        self.record.extend_from_slice(ann);
        self.file.write_all(&self.record).map_err(io(&self.path))?;
        self.file.flush().map_err(io(&self.path))?;
        self.records += 1;
        self.write_count()
    }

    /// Writes the record count into the header, so the file is complete for every reader after
    /// each record (a recorder killed between a record and its count leaves one record more than
    /// the header says, which this crate's reader accepts and `tonus repair` mends).
    fn write_count(&mut self) -> Result<(), EdfError> {
        let mut count = Vec::with_capacity(8);
        field(&mut count, &self.records.to_string(), 8);
        let file = self.file.get_mut();
        file.seek(SeekFrom::Start(Header::RECORDS_OFFSET))
            .and_then(|_| file.write_all(&count))
            .and_then(|_| file.seek(SeekFrom::End(0)).map(drop))
            .map_err(io(&self.path))
    }

    /// Pads the last partial second, annotates the end of data, writes the record count and closes
    /// the file. Returns the number of data records.
    pub fn finish(mut self) -> Result<u64, EdfError> {
        let end = self
            .pushed
            .iter()
            .zip(&self.header.channels)
            .map(|(n, c)| *n as f64 / c.info.rate_hz)
            .fold(0.0, f64::max);
        self.annotations.push((end, END_LABEL.to_string()));
        while self.pending.iter().any(|p| !p.is_empty()) || !self.annotations.is_empty() {
            let (dmin, _) = self.header.depth.digital_range();
            for (p, n) in self.pending.iter_mut().zip(&self.header.per_record) {
                let last = p.back().copied().unwrap_or(dmin);
                p.resize((*n).max(p.len()), last);
            }
            self.write_record()?;
        }
        self.write_count()?;
        let file = self
            .file
            .into_inner()
            .map_err(|e| io(&self.path)(e.into_error()))?;
        file.sync_all().map_err(io(&self.path))?;
        Ok(self.records)
    }
}

/// Writes a whole recording: each channel's physical range is its data's range (widened when
/// flat), markers become annotations.
pub fn write_recording(path: &Path, recording: &Recording, depth: Depth) -> Result<u64, EdfError> {
    let channels: Vec<EdfChannel> = recording
        .channels
        .iter()
        .zip(&recording.samples)
        .map(|(info, s)| {
            let (lo, hi) = s
                .iter()
                .filter(|v| v.is_finite())
                .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
            let (lo, hi) = if lo > hi {
                (-1.0, 1.0)
            } else if lo == hi {
                (lo - 1.0, hi + 1.0)
            } else {
                (lo, hi)
            };
            // Outward rounding so the 8-character header still contains the data.
            let pad = (hi - lo) * 1e-6;
            EdfChannel::new(info.clone(), lo - pad, hi + pad)
        })
        .collect();
    let mut w = EdfWriter::create(path, &channels, depth)?;
    for m in &recording.markers {
        w.annotate(m.time_s, &m.label);
    }
    // A second of each channel in turn, so no channel's backlog grows.
    let seconds = recording.duration_s().ceil() as usize;
    for k in 0..seconds {
        for (c, (s, info)) in recording
            .samples
            .iter()
            .zip(&recording.channels)
            .enumerate()
        {
            let per = info.rate_hz as usize;
            let part = s
                .get(k * per..s.len().min((k + 1) * per))
                .unwrap_or_default();
            w.push(c, part)?;
        }
    }
    w.finish()
}

/// Today's date `dd.mm.yy` and time `hh.mm.ss` (UTC).
fn now() -> (String, String) {
    let t = crate::clock::UtcTime::now();
    (
        format!("{:02}.{:02}.{:02}", t.day, t.month, t.year % 100),
        format!("{:02}.{:02}.{:02}", t.hour, t.minute, t.second),
    )
}
