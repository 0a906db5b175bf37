//! The arithmetic the kernel shares with `tonus-dsp`'s per-sample filters (the same operations, so
//! the plain kernel gives their bits): correctly rounded square roots and fused multiply-adds.

use tonus_dsp::DesignError;

/// The square root (the LLVM intrinsic: vectorisable, IEEE correctly rounded).
#[inline(always)]
pub(crate) fn sqrt(x: f64) -> f64 {
    x.sqrt()
}

/// `a·b + c` with one rounding (the hardware instruction where the caller is compiled with FMA).
#[inline(always)]
pub(crate) fn mul_add(a: f64, b: f64, c: f64) -> f64 {
    a.mul_add(b, c)
}

/// An RMS window must hold at least one sample (checked as `tonus_dsp::MovingRms` checks it).
pub(crate) fn check_window(window: usize) -> Result<(), DesignError> {
    tonus_dsp::MovingRms::new(window).map(drop)
}
