//! EDF+ (16-bit) and BDF+ (24-bit) recordings: a streaming, crash-safe writer and a reader, with
//! annotations for phases, gaps and events, and channels kept at their own rates.
//!
//! ```no_run
//! use tonus_core::{ChannelInfo, Unit};
//! use tonus_io::edf::{Depth, EdfChannel, EdfWriter, read_edf};
//!
//! let emg = ChannelInfo { name: "pelvic".into(), unit: Unit::Microvolt, rate_hz: 2000.0 };
//! let channels = [EdfChannel::new(emg, -500.0, 500.0)];
//! let mut writer = EdfWriter::create("session.edf".as_ref(), &channels, Depth::Edf16)?;
//! writer.annotate(0.0, "pre_baseline");
//! writer.push(0, &[1.5, -2.0, 0.25])?;
//! writer.finish()?;
//! let file = read_edf("session.edf".as_ref())?;
//! assert_eq!(file.recording.samples[0].len(), 3);
//! # Ok::<(), tonus_io::edf::EdfError>(())
//! ```
//!
//! # Layout (EDF+ specification, Kemp & Olivan 2003; BDF+ as EDF+ with 24-bit samples)
//! Data records of one second each; each channel contributes `rate` samples per record (rates must
//! be whole numbers of hertz), followed by an `EDF Annotations` (`BDF Annotations`) signal holding
//! the record's time-keeping TAL and any annotations. The file is `EDF+C` (continuous): lost samples
//! are annotated `gap:N` as in the CSV contract.
//!
//! # Crash safety
//! The header is written first with the record count `-1` (allowed by the specification while
//! recording); each record is flushed to the operating system as it completes and the count is
//! updated after it, so after a `kill -9` the file holds every whole second recorded and says so:
//! edfio, pyedflib and EDFbrowser open it as it is. [`EdfWriter::finish`] pads the last partial
//! second with its final value, annotates the true end (`tonus:end`) and writes the count. The
//! reader accepts `-1` (it counts whole records in the file) and one whole record beyond the count
//! (killed between a record and its count), and drops the padding after `tonus:end`; any other
//! count that disagrees with the file size is an error, which [`repair`] mends in a copy.

mod error;
mod header;
mod reader;
mod repair;
mod tal;
mod writer;

pub use error::EdfError;
pub use header::{Depth, EdfChannel};
pub use reader::{read_edf, EdfFile, EdfSource};
pub use repair::{repair, Repaired};
pub use writer::{write_recording, EdfWriter};

/// Annotation label marking where the recorded data end (the rest of the last record is padding).
pub const END_LABEL: &str = "tonus:end";
