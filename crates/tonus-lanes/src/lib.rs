//! Several EMG channels filtered together, one channel per SIMD lane: the multi-channel kernel the
//! benchmarks measure (`benches/lanes_scaling.rs`, the peers' harness). The product (`live`,
//! `replay`, `analyze`) filters each channel with `tonus_dsp::ChannelChain` and never reaches it.
//!
//! ```
//! use tonus_dsp::{Preset};
//! use tonus_lanes::LaneChain;
//!
//! let sos = Preset::Emg.config().design(2000.0)?;
//! let mut lanes = LaneChain::<8>::new(&sos, 200)?; // eight channels, 100 ms RMS at 2 kHz
//! let mut frames = vec![[1.0_f64; 8]; 64];       // sample i of every channel side by side
//! lanes.process(&mut frames);                     // filtered and enveloped in place
//! assert!(frames.iter().flatten().all(|v| v.is_finite()));
//! # Ok::<(), tonus_dsp::DesignError>(())
//! ```
//!
//! Why it is its own crate: it holds all the `unsafe` code of the workspace (AVX-512 intrinsics
//! behind a token only run-time detection creates, `avx512.rs`; prefetch hints, `prefetch.rs`) and
//! the only use of `bytemuck`, and the 8-channel-lanes target that drove it is retired. Its figures
//! are in BENCHMARKS.md. Real-time contract: after construction, `process*` allocate nothing
//! (`tests/no_alloc.rs`) and give the same bits however a signal is cut into calls.
// No `#![forbid(unsafe_code)]` here: the AVX-512 intrinsics and prefetch hints are `unsafe` calls,
// each behind the `Avx512` token that only run-time detection creates (see `avx512.rs`).
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod avx512;
mod lane_io;
mod lane_sections;
mod lane_sqrt;
mod lane_transpose;
mod lanes;
mod math;
mod prefetch;

pub use lanes::LaneChain;
