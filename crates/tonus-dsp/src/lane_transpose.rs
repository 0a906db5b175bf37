//! Eight channels kept apart (one slice each) to eight frames of eight lanes and back, as an 8 × 8
//! transpose in AVX-512 registers: eight vector loads, 24 shuffles and the frames in registers one
//! way; 24 shuffles and eight vector stores the other, where element-by-element copies take 64
//! scalar stores.
//!
//! Only where the CPU has AVX-512F (checked at run time by [`Avx512::detect`]) and the standard
//! library is there to ask. The result is the same as the element copy (a transpose
//! moves values; tested).

use crate::avx512::Avx512;

impl Avx512 {
    /// Frame `i` of the result holds `input[l][at + i]` in lane `l`, for `i` in `0..8` (zeros
    /// from a slice shorter than `at + 8`, which callers rule out).
    #[inline(always)]
    pub(crate) fn load(self, input: &[&[f64]; 8], at: usize) -> [[f64; 8]; 8] {
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        {
            // SAFETY: `self` exists only where the CPU has AVX-512F (`detect`), the one
            // requirement of this `#[target_feature(enable = "avx512f")]` function; it reads
            // only what it bounds-checks.
            unsafe { avx512::load(input, at) }
        }
        #[cfg(not(all(feature = "std", target_arch = "x86_64")))]
        {
            let _ = (input, at);
            [[0.0; 8]; 8]
        }
    }

    /// Writes lane `l` of `frames[i]` to `output[l][at + i]`, for `i` in `0..8` (nothing to a
    /// slice shorter than `at + 8`, which callers rule out).
    #[inline(always)]
    pub(crate) fn store(self, frames: [[f64; 8]; 8], output: &mut [&mut [f64]; 8], at: usize) {
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        // SAFETY: as in `load`: AVX-512F is there (`detect`); it writes only what it
        // bounds-checks.
        unsafe {
            avx512::store(frames, output, at)
        }
        #[cfg(not(all(feature = "std", target_arch = "x86_64")))]
        let _ = (frames, output, at);
    }
}

#[cfg(all(feature = "std", target_arch = "x86_64"))]
mod avx512 {
    use core::arch::x86_64::{
        __m512d, _mm512_permutex2var_pd, _mm512_set_epi64, _mm512_unpackhi_pd, _mm512_unpacklo_pd,
    };

    /// Rows to columns: `out[j]` holds element `j` of every `rows[i]`, in order of `i`.
    #[target_feature(enable = "avx512f")]
    #[inline]
    fn transpose(r: [__m512d; 8]) -> [__m512d; 8] {
        // Pairs of rows interleaved, then 128-bit pairs, then 256-bit halves.
        let a = [
            _mm512_unpacklo_pd(r[0], r[1]),
            _mm512_unpackhi_pd(r[0], r[1]),
            _mm512_unpacklo_pd(r[2], r[3]),
            _mm512_unpackhi_pd(r[2], r[3]),
            _mm512_unpacklo_pd(r[4], r[5]),
            _mm512_unpackhi_pd(r[4], r[5]),
            _mm512_unpacklo_pd(r[6], r[7]),
            _mm512_unpackhi_pd(r[6], r[7]),
        ];
        let lo128 = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0);
        let hi128 = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
        let b = [
            _mm512_permutex2var_pd(a[0], lo128, a[2]),
            _mm512_permutex2var_pd(a[1], lo128, a[3]),
            _mm512_permutex2var_pd(a[0], hi128, a[2]),
            _mm512_permutex2var_pd(a[1], hi128, a[3]),
            _mm512_permutex2var_pd(a[4], lo128, a[6]),
            _mm512_permutex2var_pd(a[5], lo128, a[7]),
            _mm512_permutex2var_pd(a[4], hi128, a[6]),
            _mm512_permutex2var_pd(a[5], hi128, a[7]),
        ];
        let lo256 = _mm512_set_epi64(11, 10, 9, 8, 3, 2, 1, 0);
        let hi256 = _mm512_set_epi64(15, 14, 13, 12, 7, 6, 5, 4);
        [
            _mm512_permutex2var_pd(b[0], lo256, b[4]),
            _mm512_permutex2var_pd(b[1], lo256, b[5]),
            _mm512_permutex2var_pd(b[2], lo256, b[6]),
            _mm512_permutex2var_pd(b[3], lo256, b[7]),
            _mm512_permutex2var_pd(b[0], hi256, b[4]),
            _mm512_permutex2var_pd(b[1], hi256, b[5]),
            _mm512_permutex2var_pd(b[2], hi256, b[6]),
            _mm512_permutex2var_pd(b[3], hi256, b[7]),
        ]
    }

    /// Eight consecutive values from `start` of `x` as one vector (zeros past its end, which
    /// the callers rule out).
    #[inline(always)]
    fn row(x: &[f64], start: usize) -> __m512d {
        let mut v = [0.0; 8];
        if let Some(s) = x.get(start..start + 8) {
            v.copy_from_slice(s);
        }
        bytemuck::cast(v)
    }

    #[target_feature(enable = "avx512f")]
    #[inline]
    pub(super) fn load(input: &[&[f64]; 8], at: usize) -> [[f64; 8]; 8] {
        let rows = [
            row(input[0], at),
            row(input[1], at),
            row(input[2], at),
            row(input[3], at),
            row(input[4], at),
            row(input[5], at),
            row(input[6], at),
            row(input[7], at),
        ];
        bytemuck::cast(transpose(rows))
    }

    #[target_feature(enable = "avx512f")]
    #[inline]
    pub(super) fn store(frames: [[f64; 8]; 8], output: &mut [&mut [f64]; 8], at: usize) {
        let rows: [__m512d; 8] = bytemuck::cast(frames);
        for (y, v) in output.iter_mut().zip(transpose(rows)) {
            if let Some(d) = y.get_mut(at..at + 8) {
                d.copy_from_slice(&bytemuck::cast::<__m512d, [f64; 8]>(v));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Eight rows to eight frames and back, against the element copy; on a CPU with AVX-512F the
    /// transpose is the one taken.
    #[test]
    fn load_and_store_move_every_value_to_its_lane() {
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        assert_eq!(
            Avx512::detect().is_some(),
            std::arch::is_x86_feature_detected!("avx512f")
        );
        let Some(simd) = Avx512::detect() else {
            return;
        };
        let n = 40;
        let channels: Vec<Vec<f64>> = (0..8)
            .map(|l| (0..n).map(|i| (l * 1000 + i) as f64).collect())
            .collect();
        let input: [&[f64]; 8] = core::array::from_fn(|l| &channels[l][..]);
        let frames = simd.load(&input, 24);
        for (i, f) in frames.iter().enumerate() {
            for (l, v) in f.iter().enumerate() {
                assert_eq!(*v, (l * 1000 + 24 + i) as f64, "frame {i}, lane {l}");
            }
        }
        let mut back: Vec<Vec<f64>> = vec![vec![-1.0; n]; 8];
        let mut it = back.iter_mut();
        let mut out: [&mut [f64]; 8] =
            core::array::from_fn(|_| it.next().map_or(&mut [][..], |v| &mut v[..]));
        simd.store(frames, &mut out, 24);
        // Past the end of a slice: nothing written.
        simd.store(frames, &mut out, n - 4);
        for (l, ch) in back.iter().enumerate() {
            for (i, v) in ch.iter().enumerate() {
                let want = if (24..32).contains(&i) {
                    channels[l][i]
                } else {
                    -1.0
                };
                assert_eq!(*v, want, "channel {l}, sample {i}");
            }
        }
        // Past the end of a slice: zeros read.
        assert_eq!(simd.load(&input, n - 4), [[0.0; 8]; 8]);
    }
}
