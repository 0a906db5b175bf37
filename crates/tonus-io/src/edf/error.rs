//! Why an EDF+/BDF+ file cannot be written or read.

use std::path::PathBuf;

/// An EDF+/BDF+ error, naming the file and the byte offset or channel.
#[derive(Debug)]
pub enum EdfError {
    /// The operating system refused.
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// A header field is missing or malformed.
    Header {
        /// The file.
        path: PathBuf,
        /// Byte offset of the field.
        offset: u64,
        /// The field (e.g. `number of data records`, `signal 2 physical maximum`).
        field: String,
        /// What is wrong.
        problem: String,
    },
    /// The data records disagree with the header.
    Data {
        /// The file.
        path: PathBuf,
        /// Byte offset where the disagreement shows.
        offset: u64,
        /// What is wrong.
        problem: String,
    },
    /// A channel cannot be stored as asked.
    Channel {
        /// The channel's name.
        channel: String,
        /// What is wrong.
        problem: String,
    },
}

impl std::fmt::Display for EdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Io { path, .. } => write!(f, "{}", path.display()),
            Self::Header {
                path,
                offset,
                field,
                problem,
            } => {
                write!(
                    f,
                    "{}: byte {offset}: header field '{field}': {problem}",
                    path.display()
                )
            }
            Self::Data {
                path,
                offset,
                problem,
            } => {
                write!(f, "{}: byte {offset}: {problem}", path.display())
            }
            Self::Channel { channel, problem } => write!(f, "channel '{channel}': {problem}"),
        }
    }
}

/// The message already carries the I/O cause (as every error of this crate does), so no
/// `source` is given: a caller printing the chain would say it twice.
impl std::error::Error for EdfError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Wraps an I/O error with its file.
pub(crate) fn io(path: &std::path::Path) -> impl Fn(std::io::Error) -> EdfError + '_ {
    move |source| EdfError::Io {
        path: path.to_path_buf(),
        source,
    }
}
