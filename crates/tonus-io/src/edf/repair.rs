//! Mending an EDF/BDF file whose header does not match its data (a recorder killed by another
//! tool, a count of `-1` left behind, a partial last record): a copy with the whole records and a
//! header that says how many there are. The original is never touched.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use super::error::{io, EdfError};
use super::header::{field, Header, Parsed};

/// What a repair did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repaired {
    /// The record count the header said (`-1`: still recording).
    pub declared: i64,
    /// Whole data records copied (the count the copy's header says).
    pub records: u64,
    /// Bytes after the last whole record, not copied (a record the recorder had not finished).
    pub partial_bytes: u64,
}

/// Copies `input` into `output` with its whole records and the record count set to them.
pub fn repair(input: &Path, output: &Path) -> Result<Repaired, EdfError> {
    let mut file = File::open(input).map_err(io(input))?;
    let size = file.metadata().map_err(io(input))?.len();
    let mut head = vec![0u8; 256];
    file.read_exact(&mut head).map_err(io(input))?;
    let ns: usize = String::from_utf8_lossy(&head[252..256])
        .trim()
        .parse()
        .unwrap_or(0);
    head.resize(256 * (ns.min(512) + 1), 0);
    file.read_exact(&mut head[256..]).map_err(io(input))?;
    let Parsed { header, .. } = Header::parse(input, &head)?;
    let record = header.record_bytes() as u64;
    let data = size.saturating_sub(header.bytes() as u64);
    let records = data / record;
    let mut count = Vec::with_capacity(8);
    field(&mut count, &records.to_string(), 8);
    head[Header::RECORDS_OFFSET as usize..Header::RECORDS_OFFSET as usize + 8]
        .copy_from_slice(&count);
    let mut out = BufWriter::new(File::create(output).map_err(io(output))?);
    out.write_all(&head).map_err(io(output))?;
    std::io::copy(&mut (&mut file).take(records * record), &mut out).map_err(io(output))?;
    out.into_inner()
        .map_err(|e| io(output)(e.into_error()))?
        .sync_all()
        .map_err(io(output))?;
    Ok(Repaired {
        declared: header.records,
        records,
        partial_bytes: data - records * record,
    })
}
