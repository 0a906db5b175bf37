//! The report's figures that span the whole recording, fed value by value as history leaves the
//! ring (and, for a report, the rest of the ring at the end): artifact runs (movement, lift-off,
//! cough) and per-phase sums. A copy finishes the report; the original goes on.

use crate::engine::Engine;
use crate::phase_sums::PhaseSums;
use crate::runs::Runs;
use crate::track::{index_of, Track};

/// See the module docs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Streams {
    /// Per channel: movement (1–10 Hz level above 3× rest and 3× the envelope, 0.3–10 s) and
    /// lift-off (envelope below a fifth of rest for ≥ 0.5 s); started once the channel's rest is
    /// known.
    pub(crate) motion: Vec<Option<Runs>>,
    pub(crate) flat: Vec<Option<Runs>>,
    /// Pressure spikes with both EMG channels bursting (shorter than a second: CLINICAL.md §7),
    /// once the rests are known.
    pub(crate) cough: Option<Runs>,
    /// Per phase (in marker order): pelvic envelope and pressure sums, and the next index each
    /// feed expects.
    pub(crate) pelvic: Vec<PhaseSums>,
    pub(crate) pressure: Vec<PhaseSums>,
    pelvic_next: u64,
    pressure_next: u64,
}

/// Feeds `track`'s values from `*next` up to `upto` into the phase sums their index falls in.
fn feed_phases(
    sums: &mut Vec<PhaseSums>,
    spans: &[(u64, u64)],
    track: &Track,
    next: &mut u64,
    upto: u64,
) {
    sums.resize_with(spans.len(), PhaseSums::default);
    let upto = upto.min(track.end());
    let from = (*next).max(track.start());
    for (s, &(i, j)) in sums.iter_mut().zip(spans) {
        let (a, b) = (i.max(from), j.min(upto));
        for k in a..b {
            if let Some(v) = track.get(k) {
                s.push(v);
            }
        }
    }
    *next = (*next).max(upto);
}

impl Engine {
    /// Each phase's span in history indices (the last one open until `end_s`).
    pub(crate) fn phase_spans(&self, end_s: f64) -> Vec<(u64, u64)> {
        self.phases(end_s)
            .iter()
            .map(|(_, a, b)| {
                (
                    index_of(*a),
                    if b.is_finite() {
                        index_of(*b)
                    } else {
                        u64::MAX
                    },
                )
            })
            .collect()
    }

    /// Feeds `streams` every value before `upto` (or, with `None`, every value held: a report's
    /// end) that it has not seen.
    pub(crate) fn feed(&self, streams: &mut Streams, upto: Option<u64>) {
        let roles = self.roles();
        let n = self.channels.len();
        streams.motion.resize_with(n, || None);
        streams.flat.resize_with(n, || None);
        for (c, ch) in self.channels.iter().enumerate() {
            let (Some(q), Some((r, _))) = (&ch.quality, self.rest(c)) else {
                continue;
            };
            let env = &ch.history;
            let lf = &q.lf_history;
            let motion = streams.motion[c].get_or_insert_with(|| Runs::new(3, 100, lf.start()));
            let to = upto.unwrap_or(lf.end()).min(lf.end());
            for k in motion.next().max(lf.start())..to {
                let v = lf.get(k).unwrap_or(0.0);
                motion.push(v > 3.0 * r && env.get(k).is_some_and(|e| v > 3.0 * e), v);
            }
            let flat = streams.flat[c].get_or_insert_with(|| Runs::new(5, u64::MAX, env.start()));
            let to = upto.unwrap_or(env.end()).min(env.end());
            for k in flat.next().max(env.start())..to {
                let v = env.get(k).unwrap_or(0.0);
                flat.push(v < 0.2 * r, v);
            }
        }
        // Once the pelvic rest is known (a report's end takes whatever there is, as before).
        let ready = self.rest(roles.pelvic).is_some() || upto.is_none();
        if let (Some(p), Some(abd), true) = (roles.pressure, roles.abdominal, ready) {
            let rest = self.rest(roles.pelvic).map_or(0.0, |r| r.0);
            let abd_rest = self.rest(abd).map_or(0.0, |r| r.0);
            let prest = self.cough_rest();
            let (pr, ph, ah) = (
                &self.channels[p].history,
                &self.channels[roles.pelvic].history,
                &self.channels[abd].history,
            );
            let cough = streams
                .cough
                .get_or_insert_with(|| Runs::new(1, 9, pr.start()));
            let to = upto.unwrap_or(pr.end()).min(pr.end());
            for k in cough.next().max(pr.start())..to {
                let v = pr.get(k).unwrap_or(0.0);
                let spike = v > 1.5 * prest
                    && ph.get(k).is_some_and(|e| e > 4.0 * rest)
                    && ah.get(k).is_some_and(|e| e > 4.0 * abd_rest);
                cough.push(spike, v);
            }
        }
        let spans = self.phase_spans(f64::INFINITY);
        let ph = &self.channels[roles.pelvic].history;
        let end = upto.unwrap_or(u64::MAX);
        feed_phases(
            &mut streams.pelvic,
            &spans,
            ph,
            &mut streams.pelvic_next,
            end,
        );
        if let Some(p) = roles.pressure {
            let pr = &self.channels[p].history;
            feed_phases(
                &mut streams.pressure,
                &spans,
                pr,
                &mut streams.pressure_next,
                end,
            );
        }
    }
}
