//! Deterministic pelvic-floor session generator: pelvic EMG, abdominal EMG and anal pressure following
//! a protocol script, for a chosen profile and artifacts, with the ground truth beside it.
//!
//! ```
//! use tonus_sim::{generate, Profile, ScenarioConfig};
//!
//! let config = ScenarioConfig { profile: Profile::Overactive, protocol: "glazer-mini".into(), ..ScenarioConfig::default() };
//! let session = generate(&config).unwrap();
//! assert_eq!(session.recording.channels.len(), 3);
//! assert!(session.truth.expected.flags.contains(&"unstable_rest".to_string()));
//! ```
//!
//! Same configuration, same bytes: every random number comes from a seeded xoshiro256++ stream and
//! every transcendental function from `libm`, so recordings (and the committed fixtures) regenerate
//! identically on any machine. Amplitudes, timings and their sources are in `profile.rs`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod artifact;
mod csv_out;
mod envelope;
mod faults;
mod noise;
mod profile;
mod scenario;
mod script;
pub mod sensor;
mod truth;

pub use artifact::{Artifact, ArtifactKind};
pub use csv_out::write_csv;
pub use faults::{ClockBehaviour, Faults};
pub use profile::{Profile, ProfileParams};
pub use scenario::{generate, ScenarioConfig, Session, SimError};
pub use script::{Script, SCRIPTS};
pub use truth::{ExpectedFindings, PhaseTruth, Truth, TruthContraction};
