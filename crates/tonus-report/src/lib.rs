//! Session reports: a self-contained HTML page (inline SVG figures, per-phase tables beside
//! reference values, flags with evidence and sources, the pattern and its caveats) and the same
//! figures as PNG and SVG files, drawn with plotters and an embedded font.
//!
//! ```
//! use tonus_report::{write_report, Trace};
//! use tonus_sim::{generate, Profile, ScenarioConfig};
//!
//! let config = ScenarioConfig { profile: Profile::Overactive, protocol: "glazer-mini".into(), rate_hz: 1000.0, ..Default::default() };
//! let mut recording = generate(&config).unwrap().recording;
//! let report = tonus_analysis::analyze(&recording, Default::default()).unwrap();
//! let trace = Trace::from_replay(&mut &recording, &report.processing).unwrap();
//! let dir = tempfile::tempdir().unwrap();
//! let written = write_report(dir.path(), "session", &report, &trace).unwrap();
//! assert!(written.html.exists());
//! ```
//!
//! No system font is needed: DejaVu Sans (Bitstream Vera licence, `assets/DejaVuSans-LICENSE.txt`)
//! is compiled in.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod figures;
mod html;
mod index;
mod reference;
mod summary;
mod tables;
mod trace;

use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::prelude::*;
use tonus_analysis::Report;

pub use figures::{least_squares, pelvic_mvc, FONT, SIZES};
pub use html::{escape, page};
pub use index::IndexPage;
pub use reference::{flag_source, PhaseReference, PHASES, PHASE_SOURCE};
pub use summary::text_summary;
pub use tables::{
    contractions_csv, csv_field, flag_codes, summary_error_row, summary_row, SUMMARY_HEADER,
};
pub use trace::{ChannelTrace, Trace, TRACE_HZ};

/// The embedded font.
const FONT_BYTES: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// Why a report could not be written.
#[derive(Debug)]
pub enum ReportError {
    /// A figure could not be drawn.
    Draw {
        /// Which figure.
        figure: &'static str,
        /// Why.
        problem: String,
    },
    /// A file could not be written.
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Draw { figure, problem } => write!(f, "figure '{figure}': {problem}"),
            Self::Io { path, .. } => write!(f, "{}: cannot write", path.display()),
        }
    }
}

impl std::error::Error for ReportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            Self::Draw { .. } => None,
        }
    }
}

/// Writes an RGB buffer (what plotters' `BitMapBackend::with_buffer` draws into) as a PNG file
/// (the `png` crate: plotters' own encoder would pull in the whole `image` crate for this).
pub fn write_png(path: &Path, (w, h): (u32, u32), rgb: &[u8]) -> std::io::Result<()> {
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut encoder = png::Encoder::new(file, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
    writer
        .write_image_data(rgb)
        .map_err(std::io::Error::other)?;
    writer.finish().map_err(std::io::Error::other)
}

/// Registers the embedded font with plotters (once per process).
pub fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The embedded file is a valid TrueType font: a failure here would show as text-less PNGs,
        // which the tests catch.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES);
    });
}

/// The files a report consists of.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// `NAME.html`.
    pub html: PathBuf,
    /// Each figure as `NAME-ID.png` and `NAME-ID.svg`.
    pub figures: Vec<(PathBuf, PathBuf)>,
}

/// The figures: id, caption.
pub const FIGURES: [(&str, &str); 3] = [
    ("trace", "The whole session: envelopes with phases shaded; red bars mark contractions (onset to offset), dots their peaks."),
    ("phases", "Mean pelvic amplitude per phase as % of this person's own maximum, against the healthy reference (green)."),
    ("fatigue", "The endurance hold: envelope with its least-squares line (red)."),
];

fn draw<DB: DrawingBackend>(
    id: &'static str,
    root: DrawingArea<DB, plotters::coord::Shift>,
    report: &Report,
    trace: &Trace,
) -> Result<(), ReportError> {
    let result = match id {
        "trace" => figures::trace(&root, report, trace),
        "phases" => figures::phase_bars(&root, report),
        _ => figures::fatigue(&root, report, trace),
    };
    result.map_err(|e| ReportError::Draw {
        figure: id,
        problem: e.to_string(),
    })
}

/// Writes `dir/NAME.html` and the figures beside it.
pub fn write_report(
    dir: &Path,
    name: &str,
    report: &Report,
    trace: &Trace,
) -> Result<Written, ReportError> {
    register_font();
    let io = |path: &Path, source: std::io::Error| ReportError::Io {
        path: path.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let mut svgs = Vec::new();
    let mut files = Vec::new();
    for ((id, caption), size) in FIGURES.iter().zip(SIZES) {
        let mut svg = String::new();
        draw(
            id,
            SVGBackend::with_string(&mut svg, size).into_drawing_area(),
            report,
            trace,
        )?;
        let svg_path = dir.join(format!("{name}-{id}.svg"));
        std::fs::write(&svg_path, &svg).map_err(|e| io(&svg_path, e))?;
        let png_path = dir.join(format!("{name}-{id}.png"));
        let mut rgb = vec![0u8; (size.0 * size.1 * 3) as usize];
        draw(
            id,
            BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area(),
            report,
            trace,
        )?;
        write_png(&png_path, size, &rgb).map_err(|e| io(&png_path, e))?;
        svgs.push((*id, *caption, svg));
        files.push((png_path, svg_path));
    }
    let html_path = dir.join(format!("{name}.html"));
    std::fs::write(&html_path, page(name, report, &svgs)).map_err(|e| io(&html_path, e))?;
    Ok(Written {
        html: html_path,
        figures: files,
    })
}
