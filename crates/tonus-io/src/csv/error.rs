//! Everything that can be wrong with a CSV recording, each naming file, line and column.

use std::fmt;
use std::path::PathBuf;

/// A CSV recording that cannot be read or written. Lines and columns are 1-based, as an editor shows
/// them; the header is line 1.
#[derive(Debug)]
pub enum CsvError {
    /// The file could not be opened or created.
    Open {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// Reading or writing failed part-way (I/O error or malformed CSV quoting).
    Io {
        /// The file.
        path: PathBuf,
        /// Line where it happened, if known.
        line: Option<u64>,
        /// What went wrong.
        message: String,
    },
    /// The file has no header row.
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// A header cell is not `t`, `marker` or `name[unit]` with a known unit.
    BadHeader {
        /// The file.
        path: PathBuf,
        /// 1-based column.
        column: usize,
        /// The header text.
        text: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A data row has a different number of cells than the header.
    RaggedRow {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Cells in the header.
        expected: usize,
        /// Cells on this line.
        found: usize,
    },
    /// A cell that must hold a finite number does not.
    BadNumber {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: usize,
        /// The column's header.
        header: String,
        /// The cell text.
        text: String,
    },
    /// Time does not increase from one row to the next.
    NonMonotonicTime {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Time on the previous row, seconds.
        previous_s: f64,
        /// Time on this row, seconds.
        time_s: f64,
    },
    /// A time step is far from the file's sampling interval (a gap or a duplicated row).
    IrregularTime {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Expected step, seconds.
        expected_dt_s: f64,
        /// Step found, seconds.
        found_dt_s: f64,
    },
    /// The file has no `t` column and no rate was given.
    MissingRate {
        /// The file.
        path: PathBuf,
    },
    /// The given rate is not a finite number above zero.
    BadRate {
        /// The file.
        path: PathBuf,
        /// The rate given.
        rate_hz: f64,
    },
    /// A `gap:N` declares more lost samples than a recording may (see
    /// `tonus_core::limits::MAX_GAP_S`).
    GapTooLong {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Samples declared.
        samples: u64,
        /// The most allowed.
        limit: u64,
    },
    /// The `t` column is present but the file has fewer than two data rows to derive a rate from.
    TooShortForRate {
        /// The file.
        path: PathBuf,
    },
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvError::Open { path, .. } => write!(f, "{}: cannot open", path.display()),
            CsvError::Io { path, line: Some(l), message } => {
                write!(f, "{}:{l}: {message}", path.display())
            }
            CsvError::Io { path, line: None, message } => write!(f, "{}: {message}", path.display()),
            CsvError::Empty { path } => write!(f, "{}: empty file (no header row)", path.display()),
            CsvError::BadHeader { path, column, text, problem } => write!(
                f,
                "{}:1: column {column} '{text}': {problem}",
                path.display()
            ),
            CsvError::RaggedRow { path, line, expected, found } => write!(
                f,
                "{}:{line}: ragged row: {found} cells, the header has {expected}",
                path.display()
            ),
            CsvError::BadNumber { path, line, column, header, text } => write!(
                f,
                "{}:{line}: column {column} '{header}': '{text}' is not a finite number of at most 1e9 in magnitude",
                path.display()
            ),
            CsvError::NonMonotonicTime { path, line, previous_s, time_s } => write!(
                f,
                "{}:{line}: column 1 't': time {time_s} s does not increase (previous row {previous_s} s)",
                path.display()
            ),
            CsvError::IrregularTime { path, line, expected_dt_s, found_dt_s } => write!(
                f,
                "{}:{line}: column 1 't': time step {found_dt_s} s, expected {expected_dt_s} s \
                 (missing or duplicated samples?)",
                path.display()
            ),
            CsvError::MissingRate { path } => write!(
                f,
                "{}: no 't' column, so the sample rate must be given (--rate HZ)",
                path.display()
            ),
            CsvError::BadRate { path, rate_hz } => write!(
                f,
                "{}: sample rate must be between {} Hz and {} Hz, got {rate_hz}",
                path.display(),
                tonus_core::limits::MIN_RATE_HZ,
                tonus_core::limits::MAX_RATE_HZ
            ),
            CsvError::GapTooLong { path, line, samples, limit } => write!(
                f,
                "{}:{line}: marker 'gap:{samples}' declares more lost samples than a recording may ({limit}, {} s)",
                path.display(),
                tonus_core::limits::MAX_GAP_S
            ),
            CsvError::TooShortForRate { path } => write!(
                f,
                "{}: fewer than two data rows, so the rate cannot be derived from 't' (give --rate HZ)",
                path.display()
            ),
        }
    }
}

/// An I/O cause is `source()`, not repeated in the message (a chain prints it once).
impl std::error::Error for CsvError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Open { source, .. } => Some(source),
            _ => None,
        }
    }
}
