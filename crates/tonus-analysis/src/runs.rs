//! Runs of consecutive history values where a condition holds (a flatline, a burst of movement, a
//! cough), found as the values go by: each run's span, its mean and its largest value.

use crate::engine::HISTORY_S;

/// A finished run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Run {
    /// Start and end, s.
    pub(crate) start_s: f64,
    pub(crate) end_s: f64,
    /// Mean and largest value over the run.
    pub(crate) mean: f64,
    pub(crate) max: f64,
}

/// Runs each finder has room for before it allocates (artifact episodes are rare).
pub(crate) const RUNS_RESERVED: usize = 64;

/// Finds runs of between `min` and `max` values (see the module docs).
#[derive(Debug, Clone)]
pub(crate) struct Runs {
    min: u64,
    max: u64,
    /// The open run: first index, sum, largest value.
    open: Option<(u64, f64, f64)>,
    /// Index of the next value.
    next: u64,
    pub(crate) done: Vec<Run>,
}

impl Runs {
    /// Runs of `min..=max` values, from index 0 on; room for [`RUNS_RESERVED`] of them.
    pub(crate) fn new(min: u64, max: u64) -> Self {
        Self {
            min,
            max,
            open: None,
            next: 0,
            done: Vec::with_capacity(RUNS_RESERVED),
        }
    }

    /// Index of the next value expected.
    pub(crate) fn next(&self) -> u64 {
        self.next
    }

    /// Skips to index `k` (values before it were never seen: an open run ends where they begin).
    pub(crate) fn skip_to(&mut self, k: u64) {
        if k > self.next {
            self.close(self.next);
            self.next = k;
        }
    }

    /// The next value, and whether the condition holds on it.
    #[inline]
    pub(crate) fn push(&mut self, on: bool, v: f64) {
        let k = self.next;
        self.next += 1;
        match (&mut self.open, on) {
            (Some((_, sum, max)), true) => {
                *sum += v;
                *max = max.max(v);
            }
            (None, true) => self.open = Some((k, v, v)),
            (Some(_), false) => self.close(k),
            (None, false) => {}
        }
    }

    /// Ends the open run (at the end of the track).
    pub(crate) fn finish(&mut self) {
        self.close(self.next);
    }

    fn close(&mut self, k: u64) {
        if let Some((s, sum, max)) = self.open.take() {
            let n = k - s;
            if n >= self.min && n <= self.max {
                self.done.push(Run {
                    start_s: s as f64 * HISTORY_S,
                    end_s: k as f64 * HISTORY_S,
                    mean: sum / n as f64,
                    max,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Runs;

    #[test]
    fn keeps_runs_within_the_length_limits_with_their_mean_and_peak() {
        let mut r = Runs::new(2, 3);
        r.skip_to(10);
        let xs = [
            0.0, 5.0, 7.0, 0.0, 1.0, 0.0, 2.0, 2.0, 2.0, 2.0, 0.0, 3.0, 4.0,
        ];
        for &x in &xs {
            r.push(x > 0.0, x);
        }
        r.finish();
        let spans: Vec<_> = r
            .done
            .iter()
            .map(|x| (x.start_s, x.end_s, x.mean, x.max))
            .collect();
        // 5,7 (kept), 1 (too short), 2,2,2,2 (too long), 3,4 open at the end (kept).
        let t = |k: f64| k * super::HISTORY_S;
        assert_eq!(
            spans,
            vec![(t(11.0), t(13.0), 6.0, 7.0), (t(21.0), t(23.0), 3.5, 4.0)]
        );
    }
}
