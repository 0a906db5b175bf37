//! One door for every recording file, as symphonia's probe: the first bytes (and the extension)
//! say whether a file is EDF/EDF+/BDF/BDF+, an anorectal manometry export or a CSV recording, and
//! [`open_recording`] returns one streaming [`RecordingFile`] whatever it is.

use std::io::Read;
use std::path::{Path, PathBuf};

use tonus_core::{ChannelInfo, Marker, Replay};

use crate::csv::{CsvError, CsvSource};
use crate::edf::{EdfError, EdfSource};
use crate::hram::{looks_like_hram, read_hram, HramError, HramRecording};

/// What kind of file a recording is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordingKind {
    /// EDF, EDF+ (16-bit) or BDF, BDF+ (24-bit): a `0` or `0xFF BIOSEMI` first byte.
    Edf,
    /// An anorectal manometry export (`TIME:` header; pressure only).
    Manometry,
    /// The CSV recording contract (anything else).
    Csv,
}

/// Why a recording cannot be opened or read; each names the file (and line, column or byte).
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// The file cannot be read at all.
    #[error("{}: cannot read", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// An EDF/BDF file is malformed.
    #[error(transparent)]
    Edf(#[from] EdfError),
    /// A CSV recording is malformed.
    #[error(transparent)]
    Csv(#[from] CsvError),
    /// A manometry export is malformed.
    #[error(transparent)]
    Manometry(#[from] HramError),
}

/// Which kind `path` is, from its first bytes: EDF and BDF by their version field (and `.edf` or
/// `.bdf` for a file too short to tell), manometry by its `TIME:` header, else CSV.
pub fn probe(path: &Path) -> Result<RecordingKind, RecordingError> {
    let mut head = Vec::with_capacity(8);
    std::fs::File::open(path)
        .and_then(|f| f.take(8).read_to_end(&mut head))
        .map_err(|source| RecordingError::Open {
            path: path.to_path_buf(),
            source,
        })?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let edf_magic =
        head.first() == Some(&b'0') && head.get(1..8).is_some_and(|r| r.iter().all(|b| *b == b' '));
    let bdf_magic = head.first() == Some(&0xFF) && head.get(1..8) == Some(b"BIOSEMI");
    Ok(
        if edf_magic || bdf_magic || matches!(ext.as_deref(), Some("edf" | "bdf")) {
            RecordingKind::Edf
        } else if looks_like_hram(&head) {
            RecordingKind::Manometry
        } else {
            RecordingKind::Csv
        },
    )
}

/// A recording file opened for streaming: it keeps its channels and markers and hands out the
/// samples in chunks ([`Replay`]), so memory does not grow with the recording (a manometry export,
/// small and read whole, is the exception).
#[derive(Debug)]
pub enum RecordingFile {
    /// EDF/EDF+/BDF/BDF+, read a data record at a time.
    Edf(EdfSource),
    /// A CSV recording, read a second at a time.
    Csv(CsvSource),
    /// A manometry export, read whole.
    Manometry(HramRecording),
}

/// Opens any recording (see [`probe`]); `rate_hz` is for a CSV file without a `t` column.
pub fn open_recording(path: &Path, rate_hz: Option<f64>) -> Result<RecordingFile, RecordingError> {
    Ok(match probe(path)? {
        RecordingKind::Edf => RecordingFile::Edf(EdfSource::open(path)?),
        RecordingKind::Manometry => RecordingFile::Manometry(read_hram(path)?),
        RecordingKind::Csv => RecordingFile::Csv(CsvSource::open(path, rate_hz)?),
    })
}

impl RecordingFile {
    /// Its kind.
    pub fn kind(&self) -> RecordingKind {
        match self {
            Self::Edf(_) => RecordingKind::Edf,
            Self::Csv(_) => RecordingKind::Csv,
            Self::Manometry(_) => RecordingKind::Manometry,
        }
    }
}

impl Replay for RecordingFile {
    type Error = RecordingError;

    fn channels(&self) -> &[ChannelInfo] {
        match self {
            Self::Edf(s) => s.channels(),
            Self::Csv(s) => s.channels(),
            Self::Manometry(m) => &m.recording.channels,
        }
    }

    fn markers(&self) -> &[Marker] {
        match self {
            Self::Edf(s) => s.markers(),
            Self::Csv(s) => s.markers(),
            Self::Manometry(m) => &m.recording.markers,
        }
    }

    fn duration_s(&self) -> Option<f64> {
        match self {
            Self::Edf(s) => s.duration_s(),
            Self::Csv(s) => s.duration_s(),
            Self::Manometry(m) => Some(m.recording.duration_s()),
        }
    }

    fn replay(
        &mut self,
        limit_s: Option<f64>,
        f: &mut dyn FnMut(usize, &[f64]),
    ) -> Result<(), RecordingError> {
        match self {
            Self::Edf(s) => Ok(s.replay(limit_s, f)?),
            Self::Csv(s) => Ok(s.replay(limit_s, f)?),
            Self::Manometry(m) => {
                (&m.recording)
                    .replay(limit_s, f)
                    .unwrap_or_else(|never| match never {});
                Ok(())
            }
        }
    }
}

/// The recordings under `dir` (recursively; `*.csv`, `*.txt`, `*.edf`, `*.bdf`), sorted, skipping
/// the folder `skip` (canonical: an output folder inside the input).
pub fn recordings_in(dir: &Path, skip: Option<&Path>) -> Result<Vec<PathBuf>, RecordingError> {
    let mut files = Vec::new();
    collect(dir, skip, &mut files)?;
    files.sort();
    Ok(files)
}

fn collect(
    dir: &Path,
    skip: Option<&Path>,
    files: &mut Vec<PathBuf>,
) -> Result<(), RecordingError> {
    let open = |source| RecordingError::Open {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(open)? {
        let path = entry.map_err(open)?.path();
        if path.is_dir() {
            if skip.is_none() || path.canonicalize().ok().as_deref() != skip {
                collect(&path, skip, files)?;
            }
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("csv" | "txt" | "edf" | "bdf")
        ) {
            files.push(path);
        }
    }
    Ok(())
}
