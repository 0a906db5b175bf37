//! Batch analysis of a recording file: opened whatever its kind ([`tonus_io::open_recording`]),
//! its protocol taken from the options or from the name the recording carries (`live` and `demo`
//! write `tonus:protocol=NAME`), a manometry export analysed pressure-only, everything else
//! streamed through the analysis engine once.

use std::path::{Path, PathBuf};

use tonus_analysis::{
    analyze_manometry, analyze_replay, AnalysisConfig, AnalysisError, Protocol, ProtocolError,
    ReplayError, Report,
};
use tonus_core::{Marker, Replay};
use tonus_io::{open_recording, RecordingError, RecordingFile};

/// How a file is analysed: the settings of `tonus analyze`, `report` and `replay`.
#[derive(Debug, Clone, Default)]
pub struct FileAnalysis {
    /// Sample rate for a CSV file without a `t` column, Hz.
    pub rate_hz: Option<f64>,
    /// The protocol (else the one the recording names, else its markers alone).
    pub protocol: Option<Protocol>,
    /// The thresholds and the mains notch.
    pub config: AnalysisConfig,
}

/// Why a file cannot be analysed.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file cannot be opened or read (the error names the file and where).
    #[error(transparent)]
    Recording(#[from] RecordingError),
    /// The protocol the recording names cannot be loaded.
    #[error("{}", path.display())]
    Protocol {
        /// The file.
        path: PathBuf,
        /// Why.
        source: ProtocolError,
    },
    /// The analysis cannot run on the file's channels.
    #[error("{}", path.display())]
    Analysis {
        /// The file.
        path: PathBuf,
        /// Why.
        source: AnalysisError,
    },
    /// A manometry export without an anal-canal channel.
    #[error("{}: no anal-canal channel", path.display())]
    NoAnalChannel {
        /// The file.
        path: PathBuf,
    },
}

/// The protocol a recording names (`tonus:protocol=NAME`, written by `live` and `demo`).
pub fn named_protocol(markers: &[Marker]) -> Option<&str> {
    markers
        .iter()
        .find_map(|m| m.label.strip_prefix("tonus:protocol="))
}

/// The protocol to cue with: `given`, else the one the recording names.
pub fn protocol_for(
    path: &Path,
    given: Option<&Protocol>,
    markers: &[Marker],
) -> Result<Option<Protocol>, FileError> {
    match (given, named_protocol(markers)) {
        (Some(p), _) => Ok(Some(p.clone())),
        (None, Some(name)) => {
            Protocol::load(name)
                .map(Some)
                .map_err(|source| FileError::Protocol {
                    path: path.to_path_buf(),
                    source,
                })
        }
        (None, None) => Ok(None),
    }
}

/// Analyses an opened recording (`path` names it in errors).
pub fn analyze_opened(
    file: &mut RecordingFile,
    path: &Path,
    options: &FileAnalysis,
) -> Result<Report, FileError> {
    if let RecordingFile::Manometry(m) = file {
        return analyze_manometry(&m.recording).ok_or_else(|| FileError::NoAnalChannel {
            path: path.to_path_buf(),
        });
    }
    let protocol = protocol_for(path, options.protocol.as_ref(), file.markers())?;
    analyze_replay(file, options.config, protocol.as_ref()).map_err(|e| match e {
        ReplayError::Source(e) => FileError::Recording(e),
        ReplayError::Analysis(source) => FileError::Analysis {
            path: path.to_path_buf(),
            source,
        },
    })
}

/// Opens and analyses the recording at `path`.
pub fn analyze_file(path: &Path, options: &FileAnalysis) -> Result<Report, FileError> {
    let mut file = open_recording(path, options.rate_hz)?;
    analyze_opened(&mut file, path, options)
}

/// The markers a replay feeds a session: phases, marks and gaps, not what a live session
/// annotated from its own analysis (contractions, flags) nor Tonus' own notes.
pub fn input_markers(markers: &[Marker]) -> Vec<Marker> {
    markers
        .iter()
        .filter(|m| !m.is_annotation())
        .cloned()
        .collect()
}
