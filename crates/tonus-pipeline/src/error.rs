//! Why a session stopped short.

use std::path::PathBuf;

use tonus_analysis::AnalysisError;

/// A pipeline failure. The recording is closed and intact up to the failure in every case.
#[derive(Debug, Clone, PartialEq)]
pub enum PipelineError {
    /// The analysis cannot run on these channels.
    Analysis(AnalysisError),
    /// The recording file could not be created or written.
    Record {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        problem: String,
    },
    /// The recorder fell behind its queue: the session was stopped so that nothing goes
    /// unrecorded.
    RecorderBehind {
        /// Session time of the first block it could not take, s.
        at_s: f64,
        /// Blocks it had queued.
        queued: usize,
    },
    /// The replayed source failed midway.
    Source(String),
    /// A pipeline thread could not be started or panicked.
    Thread(&'static str),
}

impl std::fmt::Display for PipelineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Analysis(e) => e.fmt(f),
            Self::Record { path, problem } => write!(f, "{}: {problem}", path.display()),
            Self::RecorderBehind { at_s, queued } => write!(
                f,
                "the recorder fell behind ({queued} blocks queued) at {at_s:.2} s: the session was stopped there; \
                 the recording is intact up to that time"
            ),
            Self::Source(e) => write!(f, "the source failed: {e}"),
            Self::Thread(which) => write!(f, "the {which} thread could not run"),
        }
    }
}

/// The analysis error is shown as this error's message (it is the whole story), so it is not
/// repeated as a source.
impl std::error::Error for PipelineError {}
