//! Writer of CSV recordings in the same column layout as a header.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::error::CsvError;
use super::header::CsvHeader;

#[derive(Debug, Clone, Copy)]
enum Cell {
    Time,
    Marker,
    Channel(usize),
}

/// Writes rows in a header's column layout; numbers in their shortest exact form.
pub struct CsvWriter<W: Write> {
    path: PathBuf,
    inner: csv::Writer<W>,
    layout: Vec<Cell>,
    buf: Vec<String>,
}

impl CsvWriter<BufWriter<File>> {
    /// Creates `path` and writes the header row of `header`.
    pub fn create(path: &Path, header: &CsvHeader) -> Result<Self, CsvError> {
        let file = File::create(path).map_err(|source| CsvError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_writer(path, BufWriter::new(file), header)
    }
}

impl<W: Write> CsvWriter<W> {
    /// Writes to any byte sink; `path` is only used in error messages.
    pub fn from_writer(path: &Path, writer: W, header: &CsvHeader) -> Result<Self, CsvError> {
        let mut layout = Vec::with_capacity(header.columns.len());
        for i in 0..header.columns.len() {
            let cell = if header.has_time && i == 0 {
                Cell::Time
            } else if header.marker_column == Some(i) {
                Cell::Marker
            } else {
                match header.channels.iter().position(|(c, _)| *c == i) {
                    Some(k) => Cell::Channel(k),
                    None => Cell::Marker,
                }
            };
            layout.push(cell);
        }
        let mut w = Self {
            path: path.to_path_buf(),
            inner: csv::Writer::from_writer(writer),
            layout,
            buf: Vec::new(),
        };
        let names: Vec<String> = header
            .columns
            .iter()
            .map(|c| c.trim().to_string())
            .collect();
        w.inner.write_record(&names).map_err(|e| w.error(&e))?;
        Ok(w)
    }

    /// Writes one row: the time cell text, one value per channel, the marker.
    pub fn write_row(
        &mut self,
        time_text: &str,
        values: &[f64],
        marker: &str,
    ) -> Result<(), CsvError> {
        self.buf.clear();
        for cell in &self.layout {
            self.buf.push(match cell {
                Cell::Time => time_text.to_string(),
                Cell::Marker => marker.to_string(),
                Cell::Channel(k) => values.get(*k).map_or(String::new(), |v| v.to_string()),
            });
        }
        self.inner
            .write_record(&self.buf)
            .map_err(|e| self.error(&e))
    }

    /// Flushes everything to the file.
    pub fn finish(mut self) -> Result<(), CsvError> {
        self.inner.flush().map_err(|e| CsvError::Io {
            path: self.path.clone(),
            line: None,
            message: e.to_string(),
        })
    }

    fn error(&self, e: &csv::Error) -> CsvError {
        CsvError::Io {
            path: self.path.clone(),
            line: None,
            message: e.to_string(),
        }
    }
}
