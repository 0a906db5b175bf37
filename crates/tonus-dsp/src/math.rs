//! Square root for the hot path: the LLVM intrinsic with `std` (vectorisable), `libm` without.
//! Both are IEEE correctly rounded, so results are identical either way.

#[inline(always)]
pub(crate) fn sqrt(x: f64) -> f64 {
    #[cfg(feature = "std")]
    {
        x.sqrt()
    }
    #[cfg(not(feature = "std"))]
    {
        libm::sqrt(x)
    }
}
