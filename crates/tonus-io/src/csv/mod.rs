//! The CSV recording contract: header, streaming reader, writer, and their errors.

mod error;
mod header;
mod reader;
mod writer;

pub use error::CsvError;
pub use header::CsvHeader;
pub use reader::{gap_marker, read_recording, CsvReader, CsvRow};
pub use writer::CsvWriter;
