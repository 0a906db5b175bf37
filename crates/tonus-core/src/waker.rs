//! Waking a consumer thread when a producer has pushed: lock-free, set once.

use std::sync::{Arc, OnceLock};
use std::thread::Thread;

/// A handle a producer (reader thread) uses to wake its consumer (engine thread) after pushing
/// into a ring, so the consumer can sleep until there is work instead of polling. Cloning shares
/// it. Waking before a consumer is set does nothing; a wake before the consumer parks is kept
/// (`std::thread::park` returns at once), so no push is ever missed.
#[derive(Debug, Clone, Default)]
pub struct Waker(Arc<OnceLock<Thread>>);

impl Waker {
    /// A waker with no consumer yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the thread to wake (the first call wins).
    pub fn set(&self, thread: Thread) {
        let _ = self.0.set(thread);
    }

    /// Wakes the consumer, if set (an atomic operation; a system call only when it sleeps).
    pub fn wake(&self) {
        if let Some(t) = self.0.get() {
            t.unpark();
        }
    }
}
