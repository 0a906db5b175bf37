//! Where a contraction's rise began, fitted to the EMG power of 10 ms blocks around the threshold
//! crossing: the start of a smooth rise, not where a smoothed envelope crossed a level.
//!
//! A recruited muscle's EMG amplitude leaves rest smoothly (zero slope at the start), so its first
//! few percent are buried in the noise and any level crossing is late by a share of the rise time;
//! a moving RMS adds its own delay, which depends on the shape of the rise. Instead, near the start
//! the amplitude is modelled as `rest` before `t0` and `rest + c·(t − t0)²` after it (the first
//! term of any smooth start), and `t0` is the least-squares fit to the blocks' amplitudes:
//! 1. The rise is located on the amplitude of 30 ms of blocks (three, centred): the upward
//!    crossing of 40 % of the rise (rest to the contraction's peak so far) at `t2`, and the last
//!    time before it at 10 % of the rise, `t1`, both at most 200 ms before the onset found by
//!    back-tracing the envelope (else that one stays: a rest creeping up to the contraction has
//!    no clear start). For a quadratic start `t0 = t1 − (t2 − t1)`.
//! 2. The model is fitted to the unsmoothed block amplitudes from `t1 − 6·(t2 − t1)` up to `t2`,
//!    each weighted by `1 / max(amplitude, rest)²` (the spread of a block's amplitude grows with
//!    it), for `t0` from `t1 − 3·(t2 − t1)` (at most 250 ms before `t1`) to `t1`, every 5 ms,
//!    then every 1 ms around the best; the best fit's `t0` is the onset.
//!
//! Against the ground truth of generated sessions (raised-cosine rises of 0.08–0.4 s), this is
//! within a few ms in the median where crossing the rest band and moving back half the RMS window
//! was 20–50 ms off (BENCHMARKS.md, session 8).

/// Fraction of the rise at which `t1` is taken.
const LOW: f64 = 0.1;
/// Fraction of the rise at which `t2` is taken.
const HIGH: f64 = 0.4;
/// Candidates reach back this many times `t2 − t1` before `t1`; the fitted blocks as far again.
const REACH: f64 = 3.0;
/// The fit never moves the onset more than this before `t1`, s.
const MAX_BACK_S: f64 = 0.25;
/// The rise is looked for from this long before the first estimate, s.
const SEARCH_BEFORE_S: f64 = 0.2;

/// Blocks of EMG power around a rise, oldest first, and what the detector knows of it.
pub(crate) struct Rise<'a> {
    /// Mean square of each block (µV²).
    pub power: &'a [f64],
    /// Sample at the centre of `power[0]`.
    pub first_centre: f64,
    /// Samples per block.
    pub step: f64,
    /// Sample rate, Hz.
    pub rate: f64,
    /// Rest amplitude (µV RMS) before the rise.
    pub rest: f64,
    /// The contraction's envelope peak so far (µV RMS).
    pub peak: f64,
    /// The onset estimated so far (sample): the rise is looked for from shortly before it.
    pub anchor: f64,
}

impl Rise<'_> {
    /// The fitted onset sample, or `None` when the blocks do not show a rise through 10 % and 40 %
    /// of it (then the caller keeps its estimate).
    pub(crate) fn onset(&self) -> Option<f64> {
        let n = self.power.len();
        let rise = self.peak - self.rest;
        let positive = |v: f64| v > 0.0; // false for NaN too
        if n < 3 || !positive(rise) || !positive(self.step) || !positive(self.rate) {
            return None;
        }
        let mut smooth = [0.0; 256];
        let smooth = smooth.get_mut(..n)?;
        for (k, s) in smooth.iter_mut().enumerate() {
            let near = &self.power[k.saturating_sub(1)..(k + 2).min(n)];
            *s = (near.iter().sum::<f64>() / near.len() as f64).sqrt();
        }
        let at = |k: usize| self.first_centre + k as f64 * self.step;
        let (low, high) = (self.rest + LOW * rise, self.rest + HIGH * rise);
        let from = self.anchor - SEARCH_BEFORE_S * self.rate;
        let k2 = (1..n).find(|&k| at(k) >= from && smooth[k - 1] < high && high <= smooth[k])?;
        let t2 = at(k2 - 1) + (high - smooth[k2 - 1]) / (smooth[k2] - smooth[k2 - 1]) * self.step;
        let k1 = (0..k2)
            .rev()
            .take_while(|&k| at(k) >= from)
            .find(|&k| smooth[k] <= low)?;
        let t1 = at(k1) + (low - smooth[k1]) / (smooth[k1 + 1] - smooth[k1]) * self.step;
        let span = t2 - t1;
        let reach = t1 - REACH * span;
        let earliest = reach.max(t1 - MAX_BACK_S * self.rate);
        let fit_from = reach - REACH * span;
        // The fitted blocks: centre (s from t1), amplitude and weight.
        let mut blocks = [(0.0, 0.0, 0.0); 256];
        let mut m = 0;
        for (k, &p) in self.power.iter().enumerate() {
            let t = at(k);
            if let (true, Some(b)) = (t >= fit_from && t <= t2, blocks.get_mut(m)) {
                let a = p.max(0.0).sqrt();
                *b = ((t - t1) / self.rate, a, 1.0 / a.max(self.rest).powi(2));
                m += 1;
            }
        }
        let blocks = &blocks[..m];
        // Every 5 ms, then every 1 ms within 5 ms of the best (times in s from t1).
        let coarse = best_fit(blocks, (earliest - t1) / self.rate, 0.0, 0.005)?;
        let fine = best_fit(
            blocks,
            (coarse - 0.005).max((earliest - t1) / self.rate),
            (coarse + 0.005).min(0.0),
            0.001,
        )?;
        Some(t1 + fine * self.rate)
    }
}

/// The `t0` in `[from, to]`, `tick` apart, whose fit to `blocks` leaves the least error.
fn best_fit(blocks: &[(f64, f64, f64)], from: f64, to: f64, tick: f64) -> Option<f64> {
    let mut best: Option<(f64, f64)> = None;
    let mut k = 0.0;
    loop {
        let t0 = from + k * tick;
        if t0 > to + 1e-12 {
            return best.map(|(_, t0)| t0);
        }
        if let Some(r) = residual(blocks, t0) {
            if best.is_none_or(|(b, _)| r < b) {
                best = Some((r, t0));
            }
        }
        k += 1.0;
    }
}

/// Weighted squared error of the best `a = c0 + c1·max(t − t0, 0)²` over `blocks` (centre,
/// amplitude, weight), times in seconds from `t1` (squares of moderate size).
fn residual(blocks: &[(f64, f64, f64)], t0: f64) -> Option<f64> {
    let (mut sw, mut sq, mut sqq, mut sa, mut sqa, mut saa) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for &(t, a, w) in blocks {
        let d = (t - t0).max(0.0);
        let q = d * d;
        sw += w;
        sq += w * q;
        sqq += w * q * q;
        sa += w * a;
        sqa += w * q * a;
        saa += w * a * a;
    }
    let det = sw * sqq - sq * sq;
    if !(det.is_finite() && det > 0.0) {
        return None;
    }
    let c0 = (sa * sqq - sq * sqa) / det;
    let c1 = (sw * sqa - sq * sa) / det;
    Some(saa - c0 * sa - c1 * sqa)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic standard normal values (Box–Muller on a 64-bit LCG).
    fn normals(n: usize, seed: u64) -> Vec<f64> {
        let mut s = seed;
        let mut uniform = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        };
        (0..n)
            .map(|_| {
                let (u, v) = (uniform(), uniform());
                (-2.0 * u.ln()).sqrt() * (2.0 * core::f64::consts::PI * v).cos()
            })
            .collect()
    }

    /// 10 ms block powers of Gaussian noise whose amplitude rises from `rest` to `peak` as a raised
    /// cosine over `rise_s` from `onset_s` (2 kHz, as the engine's blocks), and the fitted onset in
    /// seconds.
    fn fitted(rest: f64, peak: f64, onset_s: f64, rise_s: f64, seed: u64) -> Option<f64> {
        let rate = 2000.0;
        let step = 20usize;
        let noise = normals(2560, seed);
        let amplitude = |t: f64| {
            let u = ((t - onset_s) / rise_s).clamp(0.0, 1.0);
            rest + (peak - rest) * 0.5 * (1.0 - (core::f64::consts::PI * u).cos())
        };
        let power: Vec<f64> = noise
            .chunks(step)
            .enumerate()
            .map(|(b, c)| {
                c.iter()
                    .enumerate()
                    .map(|(j, z)| (z * amplitude((b * step + j) as f64 / rate)).powi(2))
                    .sum::<f64>()
                    / step as f64
            })
            .collect();
        Rise {
            power: &power,
            first_centre: 9.5,
            step: step as f64,
            rate,
            rest,
            peak,
            anchor: (onset_s + 0.05) * rate,
        }
        .onset()
        .map(|s| s / rate)
    }

    #[test]
    fn a_smooth_rise_is_found_where_it_starts() {
        // Over 40 noise draws per shape, the median error is a few ms and no fit is far off;
        // crossing 10 % of the rise would be 20 % of the rise time late.
        for (rise_s, peak) in [(0.08, 50.0), (0.2, 45.0), (0.4, 11.0)] {
            let mut errors: Vec<f64> = (0..40)
                .map(|seed| {
                    let t0 = fitted(2.5, peak, 0.6, rise_s, seed).expect("a rise");
                    (t0 - 0.6) * 1000.0
                })
                .collect();
            errors.sort_by(f64::total_cmp);
            let median = errors[20];
            let late = 1000.0 * rise_s * (1.0 - 2.0 * LOW).acos() / core::f64::consts::PI;
            assert!(
                median.abs() < 0.25 * late,
                "rise {rise_s} s: median error {median:.1} ms (10 % crossing: +{late:.0} ms)"
            );
            assert!(
                errors[2] > -80.0 && errors[37] < 80.0,
                "rise {rise_s} s: {errors:?}"
            );
        }
    }

    #[test]
    fn no_rise_no_onset() {
        let flat = vec![4.0; 100];
        let rise = Rise {
            power: &flat,
            first_centre: 4.5,
            step: 10.0,
            rate: 1000.0,
            rest: 2.0,
            peak: 2.0,
            anchor: 500.0,
        };
        assert_eq!(rise.onset(), None);
        let below = Rise { peak: 10.0, ..rise };
        assert_eq!(below.onset(), None, "never reaches 40 % of the rise");
    }
}
