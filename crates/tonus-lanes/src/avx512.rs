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
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx512f") {
            return Some(Self { _detected: () });
        }
        None
    }

    /// Whether the hardware square root of eight lanes is slow enough that the lane kernel takes
    /// every other frame's roots from the multiply-add units (`lane_sqrt.rs`): on Intel
    /// processors (`vsqrtpd zmm` measured 7.0 ns a vector on a Xeon, longer than the rest of a
    /// 4-section frame), not on AMD's (a Zen 4 EPYC ran 8 lanes of the 7-section chain at
    /// 1150–1230 M samples/s on the hardware root alone against 1050 alternating). AMD's are told
    /// apart by SSE4a, which only AMD has implemented. Fixed per machine, so a machine's output
    /// does not change from run to run.
    pub(crate) fn slow_square_root(self) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            !std::arch::is_x86_feature_detected!("sse4a")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            true
        }
    }
}
