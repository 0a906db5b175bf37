//! Time-stamped annotation lists (TALs): `+onset[\x15duration]\x14text\x14\0`, the first of each
//! record being its time-keeping TAL (empty text).

/// Encodes a record's TALs into `out` (exactly `out.len()` bytes, zero padded). Returns how many of
/// `annotations` fitted; the rest wait for the next record.
pub(crate) fn encode(record_start_s: f64, annotations: &[(f64, String)], out: &mut [u8]) -> usize {
    out.fill(0);
    let mut text = format!("{}\x14\x14\0", onset(record_start_s));
    let mut fitted = 0;
    for (t, label) in annotations {
        let tal = format!("{}\x14{}\x14\0", onset(*t), clean(label));
        if text.len() + tal.len() > out.len() {
            break;
        }
        text.push_str(&tal);
        fitted += 1;
    }
    let n = text.len().min(out.len());
    out[..n].copy_from_slice(&text.as_bytes()[..n]);
    fitted
}

/// `+12.5` / `-0.25`, up to 100 µs resolution, no trailing zeros.
fn onset(t: f64) -> String {
    let s = format!("{:+.4}", t);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Annotation text without the TAL separators.
fn clean(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if matches!(c, '\0' | '\x14' | '\x15') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// One parsed annotation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Annotation {
    pub onset_s: f64,
    pub text: String,
}

/// Parses one record's annotation bytes. Returns the record's start (its time-keeping TAL) and its
/// annotations, or the byte (relative to `bytes`) where a TAL is malformed.
pub(crate) fn decode(bytes: &[u8]) -> Result<(Option<f64>, Vec<Annotation>), usize> {
    let mut start = None;
    let mut out = Vec::new();
    let mut pos = 0;
    for tal in bytes.split(|b| *b == 0) {
        let at = pos;
        pos += tal.len() + 1;
        if tal.is_empty() {
            continue;
        }
        let mut parts = tal.split(|b| *b == 0x14);
        let time = parts.next().unwrap_or_default();
        let onset_text = time.split(|b| *b == 0x15).next().unwrap_or_default();
        let onset: f64 = std::str::from_utf8(onset_text)
            .ok()
            .filter(|s| s.starts_with(['+', '-']))
            .and_then(|s| s.parse().ok())
            .ok_or(at)?;
        let texts: Vec<String> = parts
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect();
        if texts.is_empty() && start.is_none() {
            start = Some(onset);
        }
        out.extend(texts.into_iter().map(|text| Annotation {
            onset_s: onset,
            text,
        }));
    }
    Ok((start, out))
}
