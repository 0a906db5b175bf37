//! Square roots of eight lanes at the pace of the multiply-add units, for the lane kernel's
//! envelopes: an estimate of `1/√x` good to 14 bits (`vrsqrt14pd`), one Goldschmidt step (to about
//! 28 bits) and one Newton correction of the root (to about 55 bits): eight fused or plain vector
//! operations in all.
//!
//! The hardware square root is one unit shared by every lane: on an Intel Xeon with AVX-512 it
//! takes about 24 cycles per eight-lane vector, longer than the whole rest of an eight-channel
//! frame, and barely faster per value than the scalar instruction. The result here is within
//! 1 ulp of the correctly rounded root for normal inputs (tested against `f64::sqrt`), far inside
//! the fused kernel's own rounding; zero gives zero.

use crate::avx512::Avx512;

impl Avx512 {
    /// `√x` in every lane, for `x ≥ 0` (within 1 ulp of `f64::sqrt` for normal `x`; `0` for `0`).
    #[inline(always)]
    pub(crate) fn sqrt(self, x: [f64; 8]) -> [f64; 8] {
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: `self` exists only where the CPU has AVX-512F (`Avx512::detect`), the one
            // requirement of this `#[target_feature(enable = "avx512f")]` function, which touches
            // no memory.
            unsafe { avx512::sqrt(x) }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            x.map(crate::math::sqrt)
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use core::arch::x86_64::{
        _mm512_cmp_pd_mask, _mm512_fmadd_pd, _mm512_fnmadd_pd, _mm512_maskz_fmadd_pd,
        _mm512_mul_pd, _mm512_rsqrt14_pd, _mm512_set1_pd, _mm512_setzero_pd, _CMP_GT_OQ,
    };

    #[target_feature(enable = "avx512f")]
    #[inline]
    pub(super) fn sqrt(x: [f64; 8]) -> [f64; 8] {
        let x = bytemuck::cast(x);
        let half = _mm512_set1_pd(0.5);
        // y ≈ 1/√x to 2⁻¹⁴; g ≈ √x and h ≈ 1/(2√x) to the same.
        let y = _mm512_rsqrt14_pd(x);
        let g = _mm512_mul_pd(x, y);
        let h = _mm512_mul_pd(half, y);
        // Goldschmidt: r = ½ − g·h, then g and h to about 2⁻²⁸.
        let r = _mm512_fnmadd_pd(g, h, half);
        let g = _mm512_fmadd_pd(g, r, g);
        let h = _mm512_fmadd_pd(h, r, h);
        // Newton on the root: g + (x − g²)·h, to about 2⁻⁵⁵; zero where x is not positive (where
        // the estimate of 1/√0 is infinite and g·h would be NaN).
        let d = _mm512_fnmadd_pd(g, g, x);
        let positive = _mm512_cmp_pd_mask::<_CMP_GT_OQ>(x, _mm512_setzero_pd());
        bytemuck::cast(_mm512_maskz_fmadd_pd(positive, d, h, g))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the correctly rounded `f64::sqrt` over the whole normal range, at powers of two
    /// (where the estimate's error pattern repeats) and in between.
    #[test]
    fn roots_are_within_one_ulp_of_the_correctly_rounded_root() {
        let Some(simd) = Avx512::detect() else {
            return;
        };
        let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut worst = 0u64;
        for e in -1020..1020 {
            for _ in 0..64 {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                let m = 1.0 + (s >> 11) as f64 / (1u64 << 53) as f64;
                let x = [m * 2f64.powi(e); 8];
                for (got, want) in simd.sqrt(x).iter().zip(x.map(f64::sqrt)) {
                    worst = worst.max(got.to_bits().abs_diff(want.to_bits()));
                }
            }
        }
        assert!(worst <= 1, "worst difference {worst} ulp");
    }

    #[test]
    fn zero_gives_zero_and_denormals_stay_close() {
        let Some(simd) = Avx512::detect() else {
            return;
        };
        let x = [0.0, 5e-324, 1e-310, 2.2e-308, 1.0, 4.0, 0.25, 1e300];
        let got = simd.sqrt(x);
        assert_eq!(got[0], 0.0);
        for (g, v) in got.iter().zip(x).skip(1) {
            let want = v.sqrt();
            assert!(
                (g - want).abs() <= 1e-6 * want,
                "√{v:e}: {g:e} against {want:e}"
            );
        }
        assert_eq!(&got[4..7], &[1.0, 2.0, 0.5]);
    }
}
