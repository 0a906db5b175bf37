//! Input asked into the cache ahead of the lane kernel: at eight lanes the kernel takes a 64-byte
//! frame every few nanoseconds, and from a long array in memory the processor's own prefetcher
//! did not keep up (a Zen 4 EPYC took 0.067 s for an hour of 8 channels as frames, the time of
//! the kernel in cache plus that of reading the array alone; 0.051 s with this).

/// How far ahead of the kernel its input is asked for, in bytes (64 frames of eight lanes; 4–32 KiB
/// measured the same).
const AHEAD_BYTES: usize = 4096;

/// Bytes in a cache line on the processors this is tuned for.
const LINE_BYTES: usize = 64;

/// Asks the cache for `x[i + AHEAD_BYTES / size]`, once per cache line's worth of elements
/// (where `i` is a multiple of it). A hint only: it reads and changes no value and never faults,
/// past the end of `x` too; it does nothing off x86-64 and under Miri.
#[inline(always)]
pub(crate) fn prefetch_ahead<T>(x: &[T], i: usize) {
    let size = core::mem::size_of::<T>().max(1);
    if !i.is_multiple_of((LINE_BYTES / size).max(1)) {
        return;
    }
    // Never dereferenced: only its address is handed to the prefetch.
    let p = x.as_ptr().wrapping_add(i.wrapping_add(AHEAD_BYTES / size));
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    // SAFETY: `prefetcht0` is an SSE instruction, which every x86-64 processor has; it neither
    // reads into a register nor writes, and does not fault for any address (Intel SDM,
    // PREFETCHh: "does not affect program behavior").
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(all(target_arch = "x86_64", not(miri))))]
    let _ = p;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Prefetching anywhere, far past the end of a slice and of an empty one included, is harmless
    /// and leaves the values alone.
    #[test]
    fn prefetching_past_the_end_changes_nothing() {
        let x: Vec<[f64; 8]> = (0..10).map(|i| [i as f64; 8]).collect();
        for i in [0, 1, 9, 10, 1000, usize::MAX / 2] {
            prefetch_ahead(&x, i);
        }
        prefetch_ahead::<f64>(&[], 0);
        assert!(x.iter().enumerate().all(|(i, f)| f == &[i as f64; 8]));
    }
}
