//! The limits on what a device or a file may claim. Past them a claim is refused with an error that
//! names it (files) or declared a discontinuity (a live device): it never sizes an allocation, a
//! loop or a wait.

/// The highest sample rate accepted, Hz (EMG is sampled at 1–4 kHz; 100 kHz is far above any
/// biosignal amplifier's).
pub const MAX_RATE_HZ: f64 = 100_000.0;

/// The lowest sample rate accepted, Hz.
pub const MIN_RATE_HZ: f64 = 0.1;

/// The longest run of lost samples a recording may declare (a `gap:N`), and the longest jump in a
/// device's sample index taken as lost samples, s. A longer one is refused in a file and is a
/// discontinuity live.
pub const MAX_GAP_S: f64 = 600.0;

/// The largest magnitude a sample may have in its physical unit (1 kV in µV; a pressure of 10⁹).
pub const MAX_ABS_VALUE: f64 = 1e9;

/// Whether `rate_hz` lies within [`MIN_RATE_HZ`]..=[`MAX_RATE_HZ`].
pub fn rate_ok(rate_hz: f64) -> bool {
    (MIN_RATE_HZ..=MAX_RATE_HZ).contains(&rate_hz)
}

/// The most samples a gap may declare at `rate_hz` ([`MAX_GAP_S`] of them).
pub fn max_gap_samples(rate_hz: f64) -> u64 {
    (MAX_GAP_S * rate_hz).ceil() as u64
}
