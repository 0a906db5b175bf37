//! Activation shapes: raised-cosine ramps, holds, and decays, all in closed form.

use core::f64::consts::PI;

/// 0 before `start`, rising as a raised cosine to 1 over `ramp_s`.
pub(crate) fn ramp_up(t: f64, start: f64, ramp_s: f64) -> f64 {
    if t <= start {
        0.0
    } else if t >= start + ramp_s {
        1.0
    } else {
        0.5 - 0.5 * libm::cos(PI * (t - start) / ramp_s)
    }
}

/// Activation of a contraction: rise from `onset` over `rise_s`, hold until `release`, fall to 0 over
/// `release_s`.
pub(crate) fn activation(t: f64, onset: f64, rise_s: f64, release: f64, release_s: f64) -> f64 {
    ramp_up(t, onset, rise_s) * (1.0 - ramp_up(t, release, release_s))
}
