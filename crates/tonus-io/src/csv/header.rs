//! The header row of a CSV recording: which column is time, which are channels, which is the marker.

use std::path::Path;

use tonus_core::ChannelInfo;

use super::error::CsvError;

/// The parsed header row.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvHeader {
    /// Every header cell as written.
    pub columns: Vec<String>,
    /// True if column 0 is `t` (seconds).
    pub has_time: bool,
    /// Index of the `marker` column, if any.
    pub marker_column: Option<usize>,
    /// Channel columns: (column index, channel). Channel rates are filled in once known.
    pub channels: Vec<(usize, ChannelInfo)>,
}

impl CsvHeader {
    /// Parses header cells; `rate_hz` is given to every channel (0 until known).
    pub fn parse(path: &Path, cells: &[String], rate_hz: f64) -> Result<Self, CsvError> {
        let bad = |column: usize, text: &str, problem: String| CsvError::BadHeader {
            path: path.to_path_buf(),
            column: column + 1,
            text: text.to_string(),
            problem,
        };
        let mut header = CsvHeader {
            columns: cells.to_vec(),
            has_time: false,
            marker_column: None,
            channels: Vec::new(),
        };
        for (i, raw) in cells.iter().enumerate() {
            let cell = raw.trim().trim_start_matches('\u{feff}');
            if cell == "t" || cell == "t[s]" {
                if i != 0 {
                    return Err(bad(
                        i,
                        cell,
                        "the time column 't' must be the first column".into(),
                    ));
                }
                header.has_time = true;
            } else if cell == "marker" {
                if header.marker_column.is_some() {
                    return Err(bad(i, cell, "more than one 'marker' column".into()));
                }
                header.marker_column = Some(i);
            } else {
                let ch = ChannelInfo::from_header(cell, rate_hz)
                    .map_err(|e| bad(i, cell, e.to_string()))?;
                if header.channels.iter().any(|(_, c)| c.name == ch.name) {
                    return Err(bad(
                        i,
                        cell,
                        format!("channel name '{}' appears twice", ch.name),
                    ));
                }
                header.channels.push((i, ch));
            }
        }
        if header.channels.is_empty() {
            return Err(CsvError::BadHeader {
                path: path.to_path_buf(),
                column: cells.len().max(1),
                text: cells.join(","),
                problem: "no channel columns (expected name[unit] columns such as pelvic[uV])"
                    .into(),
            });
        }
        Ok(header)
    }
}
