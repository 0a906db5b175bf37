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

/// `a·b + c` with one rounding: the hardware instruction where the caller is compiled with FMA
/// (the multiversioned kernels check before calling), `libm` without `std`.
#[inline(always)]
pub(crate) fn mul_add(a: f64, b: f64, c: f64) -> f64 {
    #[cfg(feature = "std")]
    {
        a.mul_add(b, c)
    }
    #[cfg(not(feature = "std"))]
    {
        libm::fma(a, b, c)
    }
}
