//! Proof that the CPU has AVX-512F, asked once per call of a kernel: the lane kernel's transposes
//! (`lane_transpose.rs`) and square roots (`lane_sqrt.rs`) are methods of [`Avx512`], so they run
//! only where it exists.

/// Proof that the CPU has AVX-512F: made only by [`Avx512::detect`], so its methods can run the
/// AVX-512 code safely.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Avx512 {
    _detected: (),
}

impl Avx512 {
    /// `Some` where the CPU has AVX-512F (never without the standard library to ask, or off
    /// x86-64).
    pub(crate) fn detect() -> Option<Self> {
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        if std::arch::is_x86_feature_detected!("avx512f") {
            return Some(Self { _detected: () });
        }
        None
    }
}
