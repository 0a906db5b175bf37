//! Writes a generated session in the CSV recording contract, and its truth as JSON.

use std::io::{self, Write};

use crate::scenario::Session;

/// Writes `session` as CSV (`t,pelvic[uV],abdominal[uV],anal[mmHg],marker`; time in its shortest
/// exact decimal form, values to 3 decimals) to `out`. The bytes depend only on the session, so fixtures regenerate identically.
pub fn write_csv(session: &Session, out: &mut impl Write) -> io::Result<()> {
    let rec = &session.recording;
    let fs = session.truth.rate_hz;
    let headers: Vec<String> = rec.channels.iter().map(|c| c.header()).collect();
    writeln!(out, "t,{},marker", headers.join(","))?;
    let n = rec.samples.first().map_or(0, Vec::len);
    let mut markers = rec.markers.iter().peekable();
    for i in 0..n {
        write!(out, "{}", i as f64 / fs)?;
        for ch in &rec.samples {
            write!(out, ",{:.3}", ch[i])?;
        }
        out.write_all(b",")?;
        if let Some(m) = markers.next_if(|m| crate::scenario::index(m.time_s, fs, n) <= i) {
            out.write_all(m.label.as_bytes())?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}
