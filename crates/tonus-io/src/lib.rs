//! Recording input and output for Tonus: the CSV recording contract, EDF+/BDF+ ([`edf`]), manometry
//! exports ([`hram`]) and serial acquisition ([`serial`]), with errors that name the file and the line,
//! column or byte.
//!
//! ```no_run
//! use tonus_io::csv::CsvReader;
//!
//! let mut reader = CsvReader::open("session.csv".as_ref(), None)?;
//! println!("{} channels at {} Hz", reader.header().channels.len(), reader.rate_hz());
//! let mut row = Default::default();
//! while reader.next_row(&mut row)? {
//!     // row.values[i] is channel i's sample, row.marker the phase label if any
//! }
//! # Ok::<(), tonus_io::csv::CsvError>(())
//! ```
//!
//! # The CSV contract (DESIGN.md)
//! A header row; first column `t` (seconds) or none, in which case the rate must be given; every other
//! column `name[unit]`, e.g. `pelvic[uV]`, `abdominal[uV]`, `anal[mmHg]`, where the unit decides the
//! channel kind (uV/mV → EMG; mmHg, cmH2O, kPa → pressure); an optional `marker` column holding a
//! phase label on the row where each phase starts, empty elsewhere. A recording with lost samples marks
//! the row after `N` missing samples with `gap:N` (and `t` jumps by `N + 1` sample periods there).
//!
//! To analyse or replay a recording without holding it, [`open_recording`] opens any of them (its
//! kind probed from the first bytes) as one `tonus_core::Replay` source, [`RecordingFile`]: it keeps
//! the markers and hands out the samples a second (a data record) at a time, so memory does not grow
//! with the recording.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod clock;
pub mod csv;
pub mod edf;
pub mod hram;
mod open;
pub mod serial;

pub use open::{
    open_recording, probe, recordings_in, RecordingError, RecordingFile, RecordingKind,
};
