//! Contraction detection, metrics, over-contraction flags and the session pattern for pelvic-floor
//! recordings, from one streaming engine.
//!
//! ```
//! use tonus_analysis::{analyze, AnalysisConfig};
//! use tonus_sim::{generate, Profile, ScenarioConfig};
//!
//! let config = ScenarioConfig { profile: Profile::Overactive, protocol: "glazer-mini".into(), rate_hz: 1000.0, ..Default::default() };
//! let session = generate(&config).unwrap();
//! let report = analyze(&session.recording, AnalysisConfig::default()).unwrap();
//! assert_eq!(report.pattern.label, "overactive"); // a suggestion with reasons, never a diagnosis
//! ```
//!
//! Every threshold is relative to the person's own rest or maximum (CLINICAL.md §2); defaults and their
//! sources are in [`AnalysisConfig`]. The engine works sample by sample inside, so the result does not
//! depend on how the samples are cut into blocks.
//!
//! Memory and the real-time path: the engine holds the last 15–30 minutes of its 10 Hz tracks and
//! measures each contraction before its history is dropped, so memory does not grow with the
//! recording (only the list of contractions does). Once [`Engine::reserve`] has run,
//! [`Engine::process`] allocates nothing, the drop every 15 minutes included
//! (`tests/no_alloc.rs`); reports ([`Engine::finish`], [`Engine::report_now`]) allocate.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod assess;
mod batch;
mod build;
mod capture;
mod config;
mod detector;
mod domain;
mod engine;
mod manometry;
mod onset_fit;
mod phase_sums;
mod protocol;
mod quality;
mod report;
mod ring;
mod runs;
mod session;
mod streams;
mod track;

pub use batch::{analyze, analyze_replay, analyze_with, ReplayError};
pub use config::AnalysisConfig;
pub use detector::{Detected, Detector, Expect};
pub use domain::{Domain, DomainFinding, Measure, Rating};
pub use engine::{AnalysisError, ChannelView, Engine};
pub use manometry::analyze_manometry;
pub use protocol::{is_rest_phase, PhaseKind, PhaseSpec, Protocol, ProtocolError, BUILTINS};
pub use report::{
    Contraction, Flag, Pattern, Phase, Processing, Quality, Report, Source, SourceChannel,
};
pub use session::{Session, SessionConfig};
