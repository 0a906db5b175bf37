//! The event stream written to a file (`--events`): JSON lines, one event each, on a thread of
//! its own fed by a bounded subscription, so writing never holds the engine back.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use crossbeam_channel::Receiver;
use tonus_core::Event;

/// The event file could not be created or written.
#[derive(Debug, thiserror::Error)]
#[error("{}: cannot write the event stream", path.display())]
pub struct EventFileError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

/// The event stream (`--events`): every event as a JSON line into a file, on its own thread.
pub struct EventFile {
    path: PathBuf,
    thread: JoinHandle<std::io::Result<u64>>,
}

impl EventFile {
    /// Creates `path` and writes every event `events` delivers into it until the pipeline ends.
    pub fn start(path: &Path, events: Receiver<Event>) -> Result<Self, EventFileError> {
        let failed = |source| EventFileError {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::create(path).map_err(failed)?;
        let thread = std::thread::Builder::new()
            .name("tonus-events".into())
            .spawn(move || {
                let mut out = std::io::BufWriter::new(file);
                let mut n = 0;
                for e in events {
                    serde_json::to_writer(&mut out, &e).map_err(std::io::Error::other)?;
                    out.write_all(b"\n")?;
                    n += 1;
                }
                out.flush()?;
                Ok(n)
            })
            .map_err(failed)?;
        Ok(Self {
            path: path.to_path_buf(),
            thread,
        })
    }

    /// Waits for the stream to end; returns the file and the lines written.
    pub fn finish(self) -> Result<(PathBuf, u64), EventFileError> {
        let failed = |source| EventFileError {
            path: self.path.clone(),
            source,
        };
        let n = self
            .thread
            .join()
            .map_err(|_| failed(std::io::Error::other("the event writer panicked")))?
            .map_err(failed)?;
        Ok((self.path, n))
    }
}
