//! Streaming reader of CSV recordings: one row at a time, checked as it is read.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use tonus_core::{Recording, Replay};

use super::error::CsvError;
use super::header::CsvHeader;

/// One data row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CsvRow {
    /// 1-based line of the row in the file.
    pub line: u64,
    /// Time in seconds (from `t`, or row index over the rate).
    pub time_s: f64,
    /// The `t` cell exactly as written (empty if the file has no `t` column).
    pub time_text: String,
    /// One value per channel, in header order.
    pub values: Vec<f64>,
    /// The marker cell (empty if none).
    pub marker: String,
}

/// Reads a CSV recording row by row, checking numbers, row widths and time as it goes.
pub struct CsvReader<R: Read> {
    path: PathBuf,
    inner: csv::Reader<R>,
    header: CsvHeader,
    rate_hz: f64,
    dt_s: f64,
    record: csv::StringRecord,
    /// The quick pass's record (bytes: no UTF-8 check of cells it does not read).
    skimmed: csv::ByteRecord,
    lookahead: VecDeque<CsvRow>,
    previous_time: Option<f64>,
    rows_read: u64,
}

impl CsvReader<BufReader<File>> {
    /// Opens `path`. `rate_hz` is required if the file has no `t` column; if it has one, the rate is
    /// derived from the first two rows unless given.
    pub fn open(path: &Path, rate_hz: Option<f64>) -> Result<Self, CsvError> {
        let file = File::open(path).map_err(|source| CsvError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_reader(path, BufReader::new(file), rate_hz)
    }
}

impl<R: Read> CsvReader<R> {
    /// Reads from any byte source; `path` is only used in error messages.
    pub fn from_reader(path: &Path, reader: R, rate_hz: Option<f64>) -> Result<Self, CsvError> {
        let path = path.to_path_buf();
        let mut inner = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            // Cells are trimmed where they are read (numbers, markers): trimming every field in
            // the parser took two thirds of its time.
            .trim(csv::Trim::None)
            .from_reader(reader);
        let mut record = csv::StringRecord::new();
        let got = inner
            .read_record(&mut record)
            .map_err(|e| io_error(&path, &e))?;
        if !got {
            return Err(CsvError::Empty { path });
        }
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if let Some(rate) = rate_hz {
            if !tonus_core::limits::rate_ok(rate) {
                return Err(CsvError::BadRate {
                    path,
                    rate_hz: rate,
                });
            }
        }
        let header = CsvHeader::parse(&path, &cells, rate_hz.unwrap_or(0.0))?;
        let mut reader = Self {
            path,
            inner,
            header,
            rate_hz: rate_hz.unwrap_or(0.0),
            dt_s: rate_hz.map_or(0.0, |r| 1.0 / r),
            record,
            skimmed: csv::ByteRecord::new(),
            lookahead: VecDeque::new(),
            previous_time: None,
            rows_read: 0,
        };
        match (reader.header.has_time, rate_hz) {
            (false, None) => return Err(CsvError::MissingRate { path: reader.path }),
            (true, None) => reader.derive_rate()?,
            _ => {}
        }
        for (_, ch) in &mut reader.header.channels {
            ch.rate_hz = reader.rate_hz;
        }
        Ok(reader)
    }

    /// The parsed header, with every channel's rate filled in.
    pub fn header(&self) -> &CsvHeader {
        &self.header
    }

    /// Samples per second.
    pub fn rate_hz(&self) -> f64 {
        self.rate_hz
    }

    /// The file name used in messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the next row into `row`; `Ok(false)` at the end of the file.
    pub fn next_row(&mut self, row: &mut CsvRow) -> Result<bool, CsvError> {
        if let Some(r) = self.lookahead.pop_front() {
            *row = r;
            return Ok(true);
        }
        if !self.parse_next(row)? {
            return Ok(false);
        }
        self.check_time(row)?;
        Ok(true)
    }

    /// Reads the next row's line, marker and (when it has a marker, or is the first row) time
    /// into `row`, checking only its width: the quick pass that finds a recording's markers and
    /// length. Values are left empty. `Ok(false)` at the end of the file.
    pub(crate) fn skim_row(&mut self, row: &mut CsvRow) -> Result<bool, CsvError> {
        if let Some(r) = self.lookahead.pop_front() {
            *row = r;
            return Ok(true);
        }
        let got = self
            .inner
            .read_byte_record(&mut self.skimmed)
            .map_err(|e| io_error(&self.path, &e))?;
        if !got {
            return Ok(false);
        }
        row.line = self.skimmed.position().map_or(0, |p| p.line());
        self.check_width(row.line, self.skimmed.len())?;
        row.values.clear();
        row.marker.clear();
        if let Some(m) = self.header.marker_column {
            row.marker
                .push_str(String::from_utf8_lossy(&self.skimmed[m]).trim());
            self.check_gap(row.line, tonus_core::gap_samples(&row.marker).unwrap_or(0))?;
        }
        row.time_text.clear();
        if self.header.has_time && (self.rows_read == 0 || !row.marker.is_empty()) {
            row.time_s = self.cell(row.line, 0, &String::from_utf8_lossy(&self.skimmed[0]))?;
        } else {
            row.time_s = self.rows_read as f64 / self.rate_hz;
        }
        self.rows_read += 1;
        Ok(true)
    }

    /// Reads the next record and checks its width; `Ok(false)` at the end of the file.
    fn read_checked(&mut self) -> Result<bool, CsvError> {
        let got = self
            .inner
            .read_record(&mut self.record)
            .map_err(|e| io_error(&self.path, &e))?;
        if !got {
            return Ok(false);
        }
        self.check_width(
            self.record.position().map_or(0, |p| p.line()),
            self.record.len(),
        )?;
        Ok(true)
    }

    /// A row of `found` cells on `line` must have as many as the header.
    fn check_width(&self, line: u64, found: usize) -> Result<(), CsvError> {
        let expected = self.header.columns.len();
        if found == expected {
            return Ok(());
        }
        Err(CsvError::RaggedRow {
            path: self.path.clone(),
            line,
            expected,
            found,
        })
    }

    /// Reads two rows ahead to derive the rate from `t`.
    fn derive_rate(&mut self) -> Result<(), CsvError> {
        let mut first = CsvRow::default();
        let mut second = CsvRow::default();
        if !self.parse_next(&mut first)? || !self.parse_next(&mut second)? {
            return Err(CsvError::TooShortForRate {
                path: self.path.clone(),
            });
        }
        let dt = second.time_s - first.time_s;
        if dt.is_nan() || dt <= 0.0 {
            return Err(CsvError::NonMonotonicTime {
                path: self.path.clone(),
                line: second.line,
                previous_s: first.time_s,
                time_s: second.time_s,
            });
        }
        // Rates are whole or round numbers; strip the rounding noise of printed times.
        let rate_hz = (1.0 / dt * 1e6).round() / 1e6;
        if !tonus_core::limits::rate_ok(rate_hz) {
            return Err(CsvError::BadRate {
                path: self.path.clone(),
                rate_hz,
            });
        }
        self.rate_hz = rate_hz;
        self.dt_s = 1.0 / self.rate_hz;
        self.previous_time = Some(second.time_s);
        self.lookahead.push_back(first);
        self.lookahead.push_back(second);
        Ok(())
    }

    fn check_time(&mut self, row: &CsvRow) -> Result<(), CsvError> {
        let gap = tonus_core::gap_samples(&row.marker).unwrap_or(0);
        self.check_gap(row.line, gap)?;
        if !self.header.has_time {
            return Ok(());
        }
        if let Some(prev) = self.previous_time {
            let dt = row.time_s - prev;
            if dt.is_nan() || dt <= 0.0 {
                return Err(CsvError::NonMonotonicTime {
                    path: self.path.clone(),
                    line: row.line,
                    previous_s: prev,
                    time_s: row.time_s,
                });
            }
            // A recorded gap: the row after N missing samples carries the marker `gap:N`.
            let steps = 1.0 + gap as f64;
            if (dt - steps * self.dt_s).abs() > 0.5 * self.dt_s {
                return Err(CsvError::IrregularTime {
                    path: self.path.clone(),
                    line: row.line,
                    expected_dt_s: steps * self.dt_s,
                    found_dt_s: dt,
                });
            }
        }
        self.previous_time = Some(row.time_s);
        Ok(())
    }

    /// A `gap:N` on `line` may declare at most [`tonus_core::limits::MAX_GAP_S`] of samples: the
    /// samples are held at the last value one by one, so a larger claim would take hours to read.
    fn check_gap(&self, line: u64, samples: u64) -> Result<(), CsvError> {
        let limit = tonus_core::limits::max_gap_samples(self.rate_hz);
        if samples <= limit {
            return Ok(());
        }
        Err(CsvError::GapTooLong {
            path: self.path.clone(),
            line,
            samples,
            limit,
        })
    }

    /// Parses the next record into `row` without time checks.
    fn parse_next(&mut self, row: &mut CsvRow) -> Result<bool, CsvError> {
        if !self.read_checked()? {
            return Ok(false);
        }
        let line = self.record.position().map_or(0, |p| p.line());
        row.line = line;
        row.values.clear();
        for (col, _) in &self.header.channels {
            row.values.push(self.number(line, *col)?);
        }
        row.time_text.clear();
        if self.header.has_time {
            row.time_s = self.number(line, 0)?;
            row.time_text.push_str(self.record[0].trim());
        } else {
            row.time_s = self.rows_read as f64 / self.rate_hz;
        }
        row.marker.clear();
        if let Some(m) = self.header.marker_column {
            row.marker.push_str(self.record[m].trim());
        }
        self.rows_read += 1;
        Ok(true)
    }

    fn number(&self, line: u64, col: usize) -> Result<f64, CsvError> {
        self.cell(line, col, &self.record[col])
    }

    /// `text`, the cell of column `col` on `line`, as a finite number.
    fn cell(&self, line: u64, col: usize, text: &str) -> Result<f64, CsvError> {
        let text = text.trim();
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v.abs() <= tonus_core::limits::MAX_ABS_VALUE => Ok(v),
            _ => Err(CsvError::BadNumber {
                path: self.path.clone(),
                line,
                column: col + 1,
                header: self.header.columns[col].clone(),
                text: text.to_string(),
            }),
        }
    }
}

fn io_error(path: &Path, e: &csv::Error) -> CsvError {
    CsvError::Io {
        path: path.to_path_buf(),
        line: e.position().map(|p| p.line()),
        message: e.to_string(),
    }
}

/// Reads a whole CSV recording into memory. Sample `i` of a channel is at `i / rate` seconds from
/// the first row: the `N` samples missing before a `gap:N` row are filled with the last value
/// before the gap (the marker stays, so analysis knows they are not measurements). To analyse or
/// replay a recording without holding it, use [`CsvSource`](super::CsvSource).
pub fn read_recording(path: &Path, rate_hz: Option<f64>) -> Result<Recording, CsvError> {
    let mut source = super::CsvSource::open(path, rate_hz)?;
    let mut samples: Vec<Vec<f64>> = source
        .channels()
        .iter()
        .map(|_| Vec::with_capacity(source.samples() as usize))
        .collect();
    source.replay(None, &mut |c, chunk| samples[c].extend_from_slice(chunk))?;
    Ok(Recording {
        channels: source.channels().to_vec(),
        samples,
        markers: source.markers().to_vec(),
    })
}
