//! High-resolution anorectal manometry exports (tab-separated text, `TIME:`/`ZEIT:` header, rectal
//! balloon sensors `B1`/`B2`, anal-canal sensors `10`…`1`, trailing `Annotations:` block).
//!
//! The anal sensors reduce to the canal maximum per sample (as HRM software presents the canal), the
//! valid rectal sensors to their mean. `#` annotations become phase markers (`# Squeeze 1` →
//! `squeeze_1`), times relative to the first sample; a negative time marks a channel as invalid
//! (`-1.00 # B2`). Files may be Latin-1 (German notes).

use std::fmt;
use std::path::{Path, PathBuf};

use tonus_core::{ChannelInfo, Marker, Recording, Unit};

/// A manometry export that cannot be read.
#[derive(Debug)]
pub enum HramError {
    /// The file could not be read.
    Open {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A line is not what the format needs.
    Line {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        problem: String,
    },
}

impl fmt::Display for HramError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Open { path, .. } => write!(f, "{}: cannot read", path.display()),
            Self::Line {
                path,
                line,
                problem,
            } => write!(f, "{}:{line}: {problem}", path.display()),
        }
    }
}

impl std::error::Error for HramError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Open { source, .. } => Some(source),
            Self::Line { .. } => None,
        }
    }
}

/// True if `bytes` start like a manometry export.
pub fn looks_like_hram(bytes: &[u8]) -> bool {
    bytes.starts_with(b"TIME:") || bytes.starts_with(b"ZEIT:")
}

/// A manometry recording: `rectal[mmHg]` and `anal[mmHg]` (canal maximum), markers, and the sensors
/// the export marks invalid.
#[derive(Debug, Clone, PartialEq)]
pub struct HramRecording {
    /// The two derived channels and the phase markers.
    pub recording: Recording,
    /// Sensor names marked invalid by a negative-time annotation.
    pub invalid: Vec<String>,
    /// Time of the first sample in the export, s.
    pub start_s: f64,
}

/// `# Squeeze 1` → `squeeze_1`.
fn phase_label(text: &str) -> String {
    text.trim()
        .trim_start_matches('#')
        .trim()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
}

/// Reads a manometry export.
pub fn read_hram(path: &Path) -> Result<HramRecording, HramError> {
    let bytes = std::fs::read(path).map_err(|source| HramError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    // Latin-1: every byte is the code point of the same value.
    let text: String = bytes.iter().map(|&b| b as char).collect();
    let bad = |line: usize, problem: String| HramError::Line {
        path: path.to_path_buf(),
        line,
        problem,
    };
    let mut lines = text.lines().enumerate();
    let (_, header) = lines.next().ok_or_else(|| bad(1, "empty file".into()))?;
    let names: Vec<&str> = header.split('\t').map(str::trim).collect();
    if !matches!(names.first(), Some(&"TIME:") | Some(&"ZEIT:")) {
        return Err(bad(
            1,
            "expected a header starting with TIME: or ZEIT:".into(),
        ));
    }
    let sensors: Vec<&str> = names[1..]
        .iter()
        .copied()
        .filter(|n| !n.is_empty())
        .collect();
    let rectal_cols: Vec<usize> = sensors
        .iter()
        .enumerate()
        .filter(|(_, n)| n.starts_with('B'))
        .map(|(i, _)| i)
        .collect();
    let anal_cols: Vec<usize> = sensors
        .iter()
        .enumerate()
        .filter(|(_, n)| n.parse::<u32>().is_ok())
        .map(|(i, _)| i)
        .collect();
    if anal_cols.is_empty() {
        return Err(bad(
            1,
            "no anal-canal sensor columns (numbered 1…10)".into(),
        ));
    }
    let mut rows: Vec<(f64, Vec<f64>)> = Vec::new();
    let mut annotations: Vec<(f64, String)> = Vec::new();
    let mut in_annotations = false;
    for (i, line) in lines {
        let n = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with("Annotations:") || trimmed.starts_with("Anmerkungen:") {
            in_annotations = true;
            continue;
        }
        if in_annotations {
            let (t, label) = trimmed
                .split_once(['\t', ' '])
                .ok_or_else(|| bad(n, "annotation without a time".into()))?;
            let t: f64 = t
                .trim()
                .parse()
                .map_err(|_| bad(n, format!("annotation time '{t}' is not a number")))?;
            annotations.push((t, label.trim().to_string()));
            continue;
        }
        let cells: Vec<&str> = line
            .split('\t')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        if cells.len() != sensors.len() + 1 {
            // A repeated header line is skipped; anything else is an error.
            if cells.first().is_some_and(|c| c.ends_with(':')) {
                continue;
            }
            return Err(bad(
                n,
                format!(
                    "{} cells, the header has {}",
                    cells.len(),
                    sensors.len() + 1
                ),
            ));
        }
        let mut values = Vec::with_capacity(cells.len());
        for (k, c) in cells.iter().enumerate() {
            let v: f64 = c
                .parse()
                .map_err(|_| bad(n, format!("column {} '{c}' is not a number", k + 1)))?;
            values.push(v);
        }
        let t = values.remove(0);
        if let Some((prev, _)) = rows.last() {
            if t <= *prev {
                return Err(bad(
                    n,
                    format!("time {t} does not increase (previous {prev})"),
                ));
            }
        }
        rows.push((t, values));
    }
    if rows.len() < 2 {
        return Err(bad(2, "fewer than two samples".into()));
    }
    let start_s = rows[0].0;
    let dt = (rows[rows.len() - 1].0 - start_s) / (rows.len() - 1) as f64;
    let invalid: Vec<String> = annotations
        .iter()
        .filter(|(t, l)| *t < 0.0 && l.starts_with('#'))
        .map(|(_, l)| l.trim_start_matches('#').trim().to_string())
        .filter(|name| sensors.contains(&name.as_str()))
        .collect();
    let valid = |i: &usize| !invalid.iter().any(|n| n == sensors[*i]);
    let rectal_ok: Vec<usize> = rectal_cols.iter().copied().filter(valid).collect();
    let anal_ok: Vec<usize> = anal_cols.iter().copied().filter(valid).collect();
    let rectal: Vec<f64> = rows
        .iter()
        .map(|(_, v)| {
            if rectal_ok.is_empty() {
                0.0
            } else {
                rectal_ok.iter().map(|&i| v[i]).sum::<f64>() / rectal_ok.len() as f64
            }
        })
        .collect();
    let anal: Vec<f64> = rows
        .iter()
        .map(|(_, v)| anal_ok.iter().map(|&i| v[i]).fold(f64::MIN, f64::max))
        .collect();
    let mut markers: Vec<Marker> = annotations
        .iter()
        .filter(|(t, l)| *t >= 0.0 && l.starts_with('#'))
        .map(|(t, l)| Marker {
            time_s: (t - start_s).max(0.0),
            label: phase_label(l),
        })
        .collect();
    markers.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    let rate = 1.0 / dt;
    let mut channels = Vec::new();
    let mut samples = Vec::new();
    if !rectal_ok.is_empty() {
        channels.push(ChannelInfo {
            name: "rectal".into(),
            unit: Unit::MmHg,
            rate_hz: rate,
        });
        samples.push(rectal);
    }
    channels.push(ChannelInfo {
        name: "anal".into(),
        unit: Unit::MmHg,
        rate_hz: rate,
    });
    samples.push(anal);
    Ok(HramRecording {
        recording: Recording {
            channels,
            samples,
            markers,
        },
        invalid,
        start_s,
    })
}
