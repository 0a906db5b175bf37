//! The index page of a folder's reports (`tonus report DIR`): one row per recording, linking its
//! report, with its pattern and flags, or the error that stopped it.

use std::fmt::Write as _;

use tonus_analysis::Report;

use crate::html::escape;

/// The index page, built a recording at a time.
#[derive(Debug, Clone, Default)]
pub struct IndexPage {
    rows: String,
}

impl IndexPage {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// A recording (`file`, shown) whose report is `name.html`, analysed into `report`.
    pub fn add(&mut self, file: &str, name: &str, report: &Report) {
        let codes: Vec<&str> = report.flags.iter().map(|f| f.code.as_str()).collect();
        let _ = writeln!(
            self.rows,
            "<tr><td><a href=\"{n}.html\">{f}</a></td><td>{p}</td><td>{c}</td></tr>",
            n = escape(name),
            f = escape(file),
            p = escape(report.pattern.label.as_str()),
            c = escape(&codes.join(", "))
        );
    }

    /// A recording that could not be reported, and why.
    pub fn add_error(&mut self, file: &str, error: &str) {
        let _ = writeln!(
            self.rows,
            "<tr><td>{}</td><td colspan=\"2\">error: {}</td></tr>",
            escape(file),
            escape(error)
        );
    }

    /// The whole page.
    pub fn html(&self) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Tonus reports</title></head>\n<body>\n<h1>Tonus reports</h1>\n<table>\n<tr><th>recording</th><th>pattern</th><th>flags</th></tr>\n{}</table>\n</body>\n</html>\n",
            self.rows
        )
    }
}
