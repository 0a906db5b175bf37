//! Test support for the Tonus crates: a counting global allocator, so a test can prove that a
//! real-time path allocates nothing.
//!
//! ```
//! #[global_allocator]
//! static GLOBAL: tonus_testkit::Counting = tonus_testkit::Counting;
//!
//! let mut v = Vec::with_capacity(16);
//! assert_eq!(tonus_testkit::allocations_during(|| v.push(1)), 0);
//! assert_eq!(tonus_testkit::allocations_during(|| drop(std::hint::black_box(vec![1u8; 8]))), 1);
//! ```
//!
//! Installed as the test binary's `#[global_allocator]`, it forwards every call to the system
//! allocator and counts allocations and reallocations: all threads' in [`total_allocations`], and
//! the calling thread's while [`allocations_during`] runs its closure. It also keeps the bytes
//! held, so [`peak_bytes_during`] can show that a streaming path's memory does not grow with its
//! input.

// No `#![forbid(unsafe_code)]` here: a global allocator implements the `unsafe` trait
// `GlobalAlloc`, forwarding each call to the system allocator unchanged.
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The counting allocator (install it with `#[global_allocator]`).
pub struct Counting;

static TOTAL: AtomicUsize = AtomicUsize::new(0);
static THREAD: AtomicUsize = AtomicUsize::new(0);
/// Bytes held now, and the most held since [`peak_bytes_during`] last reset it (all threads).
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn hold(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::SeqCst) + bytes;
    PEAK.fetch_max(live, Ordering::SeqCst);
}

fn release(bytes: usize) {
    LIVE.fetch_sub(bytes, Ordering::SeqCst);
}

fn count() {
    TOTAL.fetch_add(1, Ordering::SeqCst);
    // `try_with`: the thread-local may already be gone while a thread shuts down.
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        THREAD.fetch_add(1, Ordering::SeqCst);
    }
}

// SAFETY: forwards every call unchanged to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        hold(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        release(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        hold(new_size);
        release(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Allocations (and reallocations) made by the calling thread while `f` runs.
pub fn allocations_during(f: impl FnOnce()) -> usize {
    let before = THREAD.load(Ordering::SeqCst);
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    THREAD.load(Ordering::SeqCst) - before
}

/// Allocations (and reallocations) made by every thread of the process so far.
pub fn total_allocations() -> usize {
    TOTAL.load(Ordering::SeqCst)
}

/// The most bytes held at once (by every thread) while `f` runs, above what was held when it
/// started. Meaningful when nothing else runs meanwhile (one test per binary).
pub fn peak_bytes_during(f: impl FnOnce()) -> usize {
    let start = LIVE.load(Ordering::SeqCst);
    PEAK.store(start, Ordering::SeqCst);
    f();
    PEAK.load(Ordering::SeqCst).saturating_sub(start)
}
