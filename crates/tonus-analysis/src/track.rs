//! A bounded track of values at a fixed step (the 10 Hz envelope, the 1 Hz median frequency):
//! the most recent values (the ring) plus pinned copies of the few fixed windows the report reads
//! at the end (the calibration and rest spans), so memory does not grow with the recording.
//!
//! Indices are absolute (values since the recording's start). What leaves the ring is gone unless
//! a pin holds it; [`crate::engine::Engine`] takes every per-contraction and per-phase figure from
//! the ring before it drops anything.

use crate::engine::HISTORY_S;

/// Most values a pin keeps (10 minutes at 10 Hz): a rest phase longer than that is represented by
/// its first 10 minutes.
pub(crate) const PIN_MAX: u64 = 6000;

/// A copy of the values in `[from, to)` (up to [`PIN_MAX`]), kept after they leave the ring.
#[derive(Debug, Clone)]
struct Pin {
    from: u64,
    to: u64,
    values: Vec<f64>,
}

impl Pin {
    fn end(&self) -> u64 {
        self.from + self.values.len() as u64
    }
}

/// See the module docs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Track {
    /// Values from index `start` on.
    values: Vec<f64>,
    start: u64,
    pins: Vec<Pin>,
}

/// The history index of time `t` (s): the value covering it.
pub(crate) fn index_of(t: f64) -> u64 {
    (t / HISTORY_S).max(0.0) as u64
}

impl Track {
    /// Appends the next value.
    #[inline]
    pub(crate) fn push(&mut self, v: f64) {
        let k = self.end();
        for p in &mut self.pins {
            if k >= p.from && k < p.to && p.end() == k {
                p.values.push(v);
            }
        }
        self.values.push(v);
    }

    /// Index one past the last value.
    pub(crate) fn end(&self) -> u64 {
        self.start + self.values.len() as u64
    }

    /// Index of the oldest value still in the ring.
    pub(crate) fn start(&self) -> u64 {
        self.start
    }

    /// The ring: the most recent values, oldest first.
    pub(crate) fn recent(&self) -> &[f64] {
        &self.values
    }

    /// Value at index `k`, if still held.
    #[inline]
    pub(crate) fn get(&self, k: u64) -> Option<f64> {
        k.checked_sub(self.start)
            .and_then(|i| self.values.get(i as usize))
            .copied()
    }

    /// Reserves room for `n` values.
    pub(crate) fn reserve(&mut self, n: usize) {
        self.values.reserve(n);
    }

    /// Keeps a copy of the values in `[from, to)` (at most [`PIN_MAX`]) after they leave the ring;
    /// values already pushed are copied from the ring. `to` may be `u64::MAX` until
    /// [`Track::close_pin`].
    pub(crate) fn pin(&mut self, from: u64, to: u64) {
        let from = from.max(self.start);
        let to = to.min(from.saturating_add(PIN_MAX));
        // From the ring, which holds everything from `from` on.
        let values = self.slice(from, to).to_vec();
        self.pins.push(Pin { from, to, values });
    }

    /// Ends the latest pin starting at `from` at `to` (the phase it holds has ended).
    pub(crate) fn close_pin(&mut self, from: u64, to: u64) {
        if let Some(p) = self.pins.iter_mut().rev().find(|p| p.from == from) {
            p.to = p.to.min(to).max(p.from);
            let keep = (p.to - p.from) as usize;
            p.values.truncate(keep);
        }
    }

    /// Drops the ring's values before index `k` (pins keep theirs).
    pub(crate) fn drop_before(&mut self, k: u64) {
        let n = k.saturating_sub(self.start).min(self.values.len() as u64);
        self.values.drain(..n as usize);
        self.start += n;
    }

    /// The values in `[i, j)`: from the ring, or from a pin that holds them all; otherwise the
    /// largest part held. Clamped at the track's end (a window reaching past it is cut there).
    pub(crate) fn slice(&self, i: u64, j: u64) -> &[f64] {
        let j = j.min(self.end());
        let i = i.min(self.end());
        if j <= i {
            return &[];
        }
        let stores = std::iter::once((self.start, &self.values[..]))
            .chain(self.pins.iter().map(|p| (p.from, &p.values[..])));
        let mut best: &[f64] = &[];
        for (from, values) in stores {
            let to = from + values.len() as u64;
            let (a, b) = (i.max(from), j.min(to));
            if b <= a {
                continue;
            }
            let part = &values[(a - from) as usize..(b - from) as usize];
            if a == i && b == j {
                return part;
            }
            if part.len() > best.len() {
                best = part;
            }
        }
        best
    }

    /// The values between two times (s), as [`Track::slice`].
    pub(crate) fn window(&self, a: f64, b: f64) -> &[f64] {
        self.slice(index_of(a), index_of(b))
    }
}

#[cfg(test)]
mod tests {
    use super::Track;

    fn track(n: u64) -> Track {
        let mut t = Track::default();
        for k in 0..n {
            t.push(k as f64);
        }
        t
    }

    #[test]
    fn windows_are_cut_at_the_end_and_read_by_absolute_index() {
        let mut t = track(100);
        assert_eq!(t.slice(95, 120), &[95.0, 96.0, 97.0, 98.0, 99.0]);
        assert_eq!(t.window(1.0, 1.25), &[10.0, 11.0]);
        t.drop_before(50);
        assert_eq!(t.start(), 50);
        assert_eq!(t.get(49), None);
        assert_eq!(t.get(50), Some(50.0));
        assert_eq!(t.slice(60, 62), &[60.0, 61.0]);
        // Partly dropped: the part still held.
        assert_eq!(t.slice(48, 52), &[50.0, 51.0]);
        assert!(t.slice(10, 20).is_empty());
    }

    #[test]
    fn pins_keep_their_span_after_the_ring_drops_it_and_close_at_the_phase_end() {
        let mut t = track(5);
        t.pin(3, u64::MAX);
        t.pin(20, 30);
        for k in 5..100 {
            t.push(k as f64);
        }
        t.close_pin(3, 8);
        t.drop_before(90);
        assert_eq!(t.slice(3, 8), &[3.0, 4.0, 5.0, 6.0, 7.0]);
        assert_eq!(t.slice(20, 30).len(), 10);
        assert_eq!(t.slice(25, 27), &[25.0, 26.0]);
        assert_eq!(t.slice(95, 97), &[95.0, 96.0]);
    }
}
