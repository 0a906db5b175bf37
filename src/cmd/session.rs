//! What `live`, `demo` and `replay` do at the end of a session: the report written and its summary
//! printed (the session itself runs in `tonus_display::terminal`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tonus_pipeline::Outcome;

/// Writes `report.json` into `dir` and prints the readable summary.
pub fn write_report(dir: &Path, outcome: &Outcome, recording: &Path) -> Result<PathBuf> {
    let json = dir.join("report.json");
    std::fs::write(&json, serde_json::to_string_pretty(&outcome.report)? + "\n")
        .with_context(|| format!("{}: cannot write", json.display()))?;
    print!("{}", tonus_report::text_summary(&outcome.report, recording));
    Ok(json)
}
