//! Everything the report reads around one contraction, taken from the tracks while they still hold
//! it (see [`crate::track`]): the contraction's own shape, the envelope after it, the other
//! channels during it, and the gap before it.

use crate::engine::{Engine, HISTORY_S};
use crate::report::mean;
use crate::track::{index_of, Track};

/// The figures of one contraction (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Capture {
    /// Largest 0.5 s mean of the envelope over the contraction (0 when shorter than 0.5 s).
    pub(crate) smooth_peak: f64,
    /// The %MVC numerator: the smoothed peak, or the mean when that is larger.
    pub(crate) pct_peak: f64,
    /// End of the plateau until 80 % released, s (10 when not within 10 s).
    pub(crate) release_s: f64,
    /// Coefficient of variation over the plateau.
    pub(crate) hold_cv: f64,
    /// Offset until back within rest + 2 SD, s.
    pub(crate) return_s: Option<f64>,
    /// Pelvic envelope: mean 1–3 s after the offset (incomplete relaxation).
    pub(crate) pelvic_after: f64,
    /// Pelvic envelope: mean of the first and of the last 2 s, 0.5 s inside (endurance decline).
    pub(crate) pelvic_first: f64,
    pub(crate) pelvic_last: f64,
    /// Pelvic envelope and pressure: means from 0.3 s after the onset to 0.3 s before the offset
    /// (pelvic activity and anal pressure while bearing down).
    pub(crate) pelvic_inner: f64,
    pub(crate) pressure_inner: f64,
    /// Abdominal envelope: mean from 0.5 s after the onset to 0.5 s before the offset (accessory).
    pub(crate) abdominal_inner: f64,
    /// The squeeze: pressure increment over rest within 5 s of the onset, and how long it stays
    /// above half of it, s.
    pub(crate) squeeze: Option<(f64, f64)>,
    /// Median-frequency slope over the hold, Hz/s (at least 5 s).
    pub(crate) mf_slope: Option<f64>,
    /// The previous contraction on this channel (its offset, s) and the lowest 0.5 s mean of the
    /// pelvic envelope between its offset and this onset (infinite when the gap is empty).
    pub(crate) gap: Option<(f64, f64)>,
}

/// Coefficient of variation (sample SD over mean) of the values `v` yields, 0 for fewer than two;
/// the same arithmetic as `sd(v) / mean(v)` over a collected slice, without collecting.
fn cv<I: Iterator<Item = f64>>(v: impl Fn() -> I) -> f64 {
    let n = v().count();
    if n < 2 {
        return 0.0;
    }
    let m = v().sum::<f64>() / n as f64;
    let ss = v().map(|x| (x - m) * (x - m)).sum::<f64>();
    (ss / (n - 1) as f64).sqrt() / m
}

/// Least-squares slope of `y` against its index.
fn slope(y: &[f64]) -> f64 {
    let n = y.len() as f64;
    let tm = (n - 1.0) / 2.0;
    let ym = mean(y);
    let num: f64 = y
        .iter()
        .enumerate()
        .map(|(i, v)| (i as f64 - tm) * (v - ym))
        .sum();
    let den: f64 = (0..y.len()).map(|i| (i as f64 - tm).powi(2)).sum();
    num / den
}

/// The squeeze on the pressure track `p` (see [`Capture::squeeze`]).
fn squeeze(p: &Track, rest: f64, onset_s: f64) -> Option<(f64, f64)> {
    let w = p.window(onset_s, onset_s + 5.0);
    let (k, peak) = w
        .iter()
        .copied()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    let increment = peak - rest;
    let half = rest + 0.5 * increment;
    let at = (index_of(onset_s) + k as u64).min(p.end());
    let after = p
        .slice(at, p.end())
        .iter()
        .take_while(|v| **v >= half)
        .count();
    let before = p
        .slice(p.start(), at)
        .iter()
        .rev()
        .take_while(|v| **v >= half)
        .count();
    Some((increment, (after + before) as f64 * HISTORY_S))
}

impl Engine {
    /// The figures of contraction `i` of channel `c`, from the tracks as they are now.
    pub(crate) fn capture(&self, c: usize, i: usize) -> Capture {
        let roles = self.roles();
        let ch = &self.channels[c];
        let d = &ch.contractions[i];
        let fs = ch.info.rate_hz;
        let (on, off) = (d.onset as f64 / fs, d.offset as f64 / fs);
        let h = ch.history.window(on, off);
        let smooth_peak = h.windows(5).map(mean).fold(0.0, f64::max);
        // Plateau: within 80 % of the rise; release: from its end until 80 % released (back within
        // 20 % of the rise above rest), which also measures residual tension.
        let high = d.rest + 0.8 * (d.peak - d.rest);
        let plateau = || h.iter().copied().filter(move |v| *v >= high);
        let last_high = h
            .iter()
            .rposition(|v| *v >= high)
            .map_or(on, |k| on + k as f64 * HISTORY_S);
        let released = d.rest + 0.2 * (d.peak - d.rest);
        let release_s = ch
            .history
            .window(last_high, last_high + 10.0)
            .iter()
            .position(|v| *v <= released)
            .map_or(10.0, |k| k as f64 * HISTORY_S);
        let (rest_mean, rest_sd) = self.rest(c).unwrap_or((0.0, 0.0));
        let return_s = ch
            .history
            .window(off, off + 10.0)
            .iter()
            .position(|v| *v <= rest_mean + 2.0 * rest_sd)
            .map(|k| k as f64 * HISTORY_S);
        let ph = &self.channels[roles.pelvic].history;
        let pressure = roles.pressure.map(|p| &self.channels[p].history);
        let gap = i.checked_sub(1).map(|j| {
            let prev = ch.contractions[j].offset as f64 / fs;
            let min = ph
                .window(prev, on)
                .chunks(5)
                .map(mean)
                .fold(f64::INFINITY, f64::min);
            (prev, min)
        });
        let mf_slope = ch.quality.as_ref().and_then(|q| {
            let (a, b) = (on + 1.0, off - 1.0);
            let (i, j) = (a.max(0.0).ceil() as u64, b.max(0.0).floor() as u64);
            let mf = q.median_hz.slice(i, j);
            (mf.len() >= 5 && mf.len() as u64 == j - i).then(|| slope(mf))
        });
        Capture {
            smooth_peak,
            pct_peak: smooth_peak.max(mean(h)),
            release_s,
            hold_cv: cv(plateau),
            return_s,
            pelvic_after: mean(ph.window(off + 1.0, off + 3.0)),
            pelvic_first: mean(ph.window(on + 0.5, on + 2.5)),
            pelvic_last: mean(ph.window(off - 2.5, off - 0.5)),
            pelvic_inner: mean(ph.window(on + 0.3, off - 0.3)),
            pressure_inner: pressure.map_or(0.0, |p| mean(p.window(on + 0.3, off - 0.3))),
            abdominal_inner: roles.abdominal.map_or(0.0, |a| {
                mean(self.channels[a].history.window(on + 0.5, off - 0.5))
            }),
            squeeze: pressure.and_then(|p| squeeze(p, self.pressure_rest(), on)),
            mf_slope,
            gap,
        }
    }
}
