//! Eight channels kept apart (one slice each) to frames of eight lanes and back, eight frames at a
//! time as an 8 × 8 transpose in AVX-512 registers: eight vector loads, 24 shuffles and eight
//! vector stores per direction, where element-by-element copies take 64 scalar stores.
//!
//! Only where the CPU has AVX-512F (checked at run time) and the standard library is there to ask;
//! [`gather`] and [`scatter`] return `false` otherwise and the caller copies element by element.
//! The result is the same either way (a transpose moves values; tested against the element copy).

/// Fills `frames` (a multiple of 8) with `input[l][start + i]` in lane `l` of frame `i`; `false`
/// (nothing written) when the CPU lacks AVX-512F or a slice is too short.
pub(crate) fn gather(input: &[&[f64]; 8], start: usize, frames: &mut [[f64; 8]]) -> bool {
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    if frames.len().is_multiple_of(8)
        && input.iter().all(|x| x.len() >= start + frames.len())
        && std::arch::is_x86_feature_detected!("avx512f")
    {
        // SAFETY: the CPU has AVX-512F (checked just above), the one requirement of a
        // `#[target_feature(enable = "avx512f")]` function; it reads only what it bounds-checks.
        unsafe { avx512::gather(input, start, frames) };
        return true;
    }
    let _ = (input, start, frames);
    false
}

/// Writes lane `l` of frame `i` to `output[l][start + i]` for every frame of `frames` (a multiple
/// of 8); `false` (nothing written) when the CPU lacks AVX-512F or a slice is too short.
pub(crate) fn scatter(frames: &[[f64; 8]], output: &mut [&mut [f64]; 8], start: usize) -> bool {
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    if frames.len().is_multiple_of(8)
        && output.iter().all(|y| y.len() >= start + frames.len())
        && std::arch::is_x86_feature_detected!("avx512f")
    {
        // SAFETY: as in `gather`: AVX-512F is there (checked just above).
        unsafe { avx512::scatter(frames, output, start) };
        return true;
    }
    let _ = (frames, output, start);
    false
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
    /// the callers' length checks rule out).
    #[inline(always)]
    fn load(x: &[f64], start: usize) -> __m512d {
        let mut v = [0.0; 8];
        if let Some(s) = x.get(start..start + 8) {
            v.copy_from_slice(s);
        }
        bytemuck::cast(v)
    }

    #[target_feature(enable = "avx512f")]
    pub(super) fn gather(input: &[&[f64]; 8], start: usize, frames: &mut [[f64; 8]]) {
        for (b, block) in frames.chunks_exact_mut(8).enumerate() {
            let at = start + 8 * b;
            let rows = [
                load(input[0], at),
                load(input[1], at),
                load(input[2], at),
                load(input[3], at),
                load(input[4], at),
                load(input[5], at),
                load(input[6], at),
                load(input[7], at),
            ];
            for (f, v) in block.iter_mut().zip(transpose(rows)) {
                *f = bytemuck::cast(v);
            }
        }
    }

    #[target_feature(enable = "avx512f")]
    pub(super) fn scatter(frames: &[[f64; 8]], output: &mut [&mut [f64]; 8], start: usize) {
        for (b, block) in frames.chunks_exact(8).enumerate() {
            let at = start + 8 * b;
            let rows = [
                bytemuck::cast(block[0]),
                bytemuck::cast(block[1]),
                bytemuck::cast(block[2]),
                bytemuck::cast(block[3]),
                bytemuck::cast(block[4]),
                bytemuck::cast(block[5]),
                bytemuck::cast(block[6]),
                bytemuck::cast(block[7]),
            ];
            for (y, v) in output.iter_mut().zip(transpose(rows)) {
                if let Some(d) = y.get_mut(at..at + 8) {
                    d.copy_from_slice(&bytemuck::cast::<__m512d, [f64; 8]>(v));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever the CPU, the frames are the element-by-element copy, and back again; on a CPU
    /// with AVX-512F the transposing path is the one taken.
    #[test]
    fn gather_and_scatter_move_every_value_to_its_lane() {
        let n = 200;
        let channels: Vec<Vec<f64>> = (0..8)
            .map(|l| (0..n).map(|i| (l * 1000 + i) as f64).collect())
            .collect();
        let input: [&[f64]; 8] = core::array::from_fn(|l| &channels[l][..]);
        let mut frames = [[0.0; 8]; 64];
        let fast = gather(&input, 24, &mut frames);
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        assert_eq!(fast, std::arch::is_x86_feature_detected!("avx512f"));
        if !fast {
            return;
        }
        for (i, f) in frames.iter().enumerate() {
            for (l, v) in f.iter().enumerate() {
                assert_eq!(*v, (l * 1000 + 24 + i) as f64, "frame {i}, lane {l}");
            }
        }
        let mut back: Vec<Vec<f64>> = vec![vec![-1.0; n]; 8];
        let mut it = back.iter_mut();
        let mut out: [&mut [f64]; 8] =
            core::array::from_fn(|_| it.next().map_or(&mut [][..], |v| &mut v[..]));
        assert!(scatter(&frames, &mut out, 24));
        for (l, ch) in back.iter().enumerate() {
            for (i, v) in ch.iter().enumerate() {
                let want = if (24..88).contains(&i) {
                    channels[l][i]
                } else {
                    -1.0
                };
                assert_eq!(*v, want, "channel {l}, sample {i}");
            }
        }
        // Too short a slice, or frames not a multiple of 8: nothing done.
        assert!(!gather(&input, n - 60, &mut frames));
        assert!(!gather(&input, 0, &mut frames[..12]));
    }
}
