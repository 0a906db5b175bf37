//! The CSV recording contract: header, streaming reader, replay source, writer, and their errors.

mod error;
mod header;
mod reader;
mod source;
mod writer;

pub use error::CsvError;
pub use header::CsvHeader;
pub use reader::{read_recording, CsvReader, CsvRow};
pub use source::CsvSource;
pub use writer::CsvWriter;
