//! Validation scenario bank: pelvic-floor sessions from a generator written apart from `tonus-sim`
//! (its own random streams, EMG noise, envelope model and people), each with the pattern the
//! analysis should suggest, over profiles × severities × device gains × rates × protocols.
//!
//! ```
//! use tonus_bank::{generate, Case, Profile, Severity};
//!
//! let case = Case {
//!     profile: Profile::Weak,
//!     severity: Severity::Marked,
//!     seed: 1,
//!     gain: 0.3,
//!     rate_hz: 1000.0,
//!     protocol: "glazer-mini",
//!     artifacts: vec![],
//! };
//! let session = generate(&case);
//! assert_eq!(session.recording.channels.len(), 3);
//! assert_eq!(case.profile.expected_pattern(), "weak");
//! ```
//!
//! The bank exists so the weak-or-tight judgement is checked on recordings nobody tuned it to:
//! `tests/bank.rs` asserts the agreement targets, and `cargo run -p tonus-bank --release --example
//! confusion` prints the confusion matrix recorded in VALIDATION.md.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod artifact;
mod bank;
mod noise;
mod person;
mod session;

pub use artifact::Artifact;
pub use bank::{cases, cases_from, run, run_all, Outcome, GAINS, PROTOCOLS, RATES};
pub use noise::{EmgNoise, Ou, Rng};
pub use person::{Person, Profile, Severity};
pub use session::{generate, generate_with, Case, Generated, PRESSURE_HZ};
