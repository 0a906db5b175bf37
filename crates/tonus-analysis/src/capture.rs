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
    /// The release (see [`Release`]).
    pub(crate) release: Release,
    /// Offset until back within rest + 2 SD, s.
    pub(crate) return_s: Option<f64>,
    /// Pelvic envelope: mean over [`AFTER_S`] after the end of the plateau (incomplete relaxation).
    pub(crate) pelvic_after: f64,
    /// Pelvic envelope: mean of the first and of the last 2 s, 0.5 s inside (endurance decline).
    pub(crate) pelvic_first: f64,
    pub(crate) pelvic_last: f64,
    /// Pelvic envelope and pressure: means from 0.3 s after the onset to 0.3 s before the offset
    /// (pelvic activity and anal pressure while bearing down).
    pub(crate) pelvic_inner: f64,
    pub(crate) pressure_inner: f64,
    /// Abdominal envelope: median over the contraction (accessory; the median, as the channel's
    /// rest is, so heartbeats on it do not count, even in a one-second flick).
    pub(crate) abdominal_inner: f64,
    /// Envelope of this channel: mean over [`BEFORE_S`] before the onset (the level the
    /// contraction rose from).
    pub(crate) before: f64,
    /// The squeeze: pressure increment over rest within 5 s of the onset, and how long it stays
    /// above half of it, s.
    pub(crate) squeeze: Option<(f64, f64)>,
    /// Median-frequency slope over the hold, Hz/s (at least 5 s).
    pub(crate) mf_slope: Option<f64>,
    /// The previous contraction on this channel (its offset, s) and the lowest 0.5 s mean of the
    /// pelvic envelope between its offset and this onset (infinite when the gap is empty).
    pub(crate) gap: Option<(f64, f64)>,
}

/// Where the post-hold level is measured: from 1.5 to 3.5 s after the end of the plateau. A
/// release with a time constant of 0.15 s is long over by then; one of 1.5 s still shows
/// (CLINICAL.md §6.2 asks for the return to baseline within 3 s) \[design\].
pub(crate) const AFTER_S: (f64, f64) = (1.5, 3.5);

/// Where the level a contraction rose from is measured: from 0.5 to 0.1 s before its (fitted)
/// onset: short enough to miss the tail of a quick flick 1 s earlier, long enough to average
/// the envelope's noise over four values.
pub(crate) const BEFORE_S: (f64, f64) = (0.5, 0.1);

/// Median of `v` without allocating: of its first 2048 values (205 s of a 10 Hz track), in a
/// buffer on the stack (0 when empty).
pub(crate) fn median_of(v: &[f64]) -> f64 {
    let mut buf = [0.0; 2048];
    let n = v.len().min(buf.len());
    if n == 0 {
        return 0.0;
    }
    let b = &mut buf[..n];
    b.copy_from_slice(&v[..n]);
    let (_, m, _) = b.select_nth_unstable_by(n / 2, f64::total_cmp);
    let upper = *m;
    if n % 2 == 1 {
        return upper;
    }
    let lower = b[..n / 2].iter().copied().fold(f64::MIN, f64::max);
    0.5 * (lower + upper)
}

/// How a contraction let go, measured on its 10 Hz envelope track smoothed over 0.3 s (three
/// values, centred), so the noise of a 100 ms RMS envelope (±15–20 % at rest) neither ends the
/// plateau early nor holds the release back. The levels are relative to the contraction's own
/// end-of-plateau level and the calibrated rest, so the same release reads the same at any
/// amplitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Release {
    /// The plateau's level as it ended: the highest smoothed value in the last 1.5 s before the
    /// offset.
    pub(crate) level: f64,
    /// End of the plateau: the last time the smoothed envelope was within 80 % of that level's
    /// rise above rest, s.
    pub(crate) plateau_end_s: f64,
    /// From the end of the plateau until 80 % released (within 20 % of the rise above rest), s
    /// (10 when not within 10 s; poor reliability, Oleksy 2021).
    pub(crate) release_s: f64,
    /// Coefficient of variation of the envelope over the plateau (from the first to the last
    /// time within 80 % of the rise).
    pub(crate) hold_cv: f64,
    /// Mean of the envelope over the plateau.
    pub(crate) plateau_mean: f64,
}

/// The release of the contraction from `on` to `off` (s) on `track` over `rest` (see [`Release`]).
/// Allocates nothing (it runs as history is dropped, on the real-time path).
pub(crate) fn release(track: &Track, rest: f64, on: f64, off: f64) -> Release {
    let first = index_of(on);
    let last = index_of(off).max(first + 1);
    let v = track.slice(first, last + (10.0 / HISTORY_S) as u64 + 1);
    let inside = ((last - first) as usize).min(v.len());
    let smooth = |k: usize| {
        let (a, b) = (k.saturating_sub(1), (k + 2).min(v.len()));
        v[a..b].iter().sum::<f64>() / (b - a) as f64
    };
    let none = Release {
        level: rest,
        plateau_end_s: off,
        release_s: 0.0,
        hold_cv: 0.0,
        plateau_mean: rest,
    };
    if inside == 0 {
        return none;
    }
    let tail = inside.saturating_sub((1.5 / HISTORY_S) as usize);
    let level = (tail..inside).map(smooth).fold(f64::MIN, f64::max);
    let (high, low) = (rest + 0.8 * (level - rest), rest + 0.2 * (level - rest));
    let Some(end) = (0..inside).rev().find(|&k| smooth(k) >= high) else {
        return none;
    };
    let begin = (0..=end).find(|&k| smooth(k) >= high).unwrap_or(end);
    let release_s = (end..v.len())
        .find(|&k| smooth(k) <= low)
        .map_or(10.0, |k| (k - end) as f64 * HISTORY_S);
    Release {
        level,
        plateau_end_s: (first + end as u64) as f64 * HISTORY_S,
        release_s,
        hold_cv: cv(|| v[begin..=end].iter().copied()),
        plateau_mean: mean(&v[begin..=end]),
    }
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
        let (rest_mean, rest_sd) = self.rest(c).unwrap_or((d.rest, 0.0));
        let release = release(&ch.history, rest_mean, on, off);
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
            release,
            return_s,
            pelvic_after: mean(ph.window(
                release.plateau_end_s + AFTER_S.0,
                release.plateau_end_s + AFTER_S.1,
            )),
            pelvic_first: mean(ph.window(on + 0.5, on + 2.5)),
            pelvic_last: mean(ph.window(off - 2.5, off - 0.5)),
            pelvic_inner: mean(ph.window(on + 0.3, off - 0.3)),
            pressure_inner: pressure.map_or(0.0, |p| mean(p.window(on + 0.3, off - 0.3))),
            abdominal_inner: roles
                .abdominal
                .map_or(0.0, |a| median_of(self.channels[a].history.window(on, off))),
            before: mean(ch.history.window(on - BEFORE_S.0, on - BEFORE_S.1)),
            squeeze: pressure.and_then(|p| squeeze(p, self.pressure_rest(), on)),
            mf_slope,
            gap,
        }
    }
}
