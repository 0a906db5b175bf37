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
    /// Pressure spikes with both EMG channels bursting, at most half a second (CLINICAL.md §7:
    /// a cough is a spike under a second; a quick flick with the abdomen joining in holds the
    /// same conditions for most of its second), once the rests are known.
    pub(crate) cough: Option<Runs>,
    /// Per phase (in marker order): pelvic envelope and pressure sums, and the next index each
    /// feed expects.
    pub(crate) pelvic: Vec<PhaseSums>,
    pub(crate) pressure: Vec<PhaseSums>,
    pelvic_next: u64,
    pressure_next: u64,
}

/// The longest cough run, in 10 Hz values (0.5 s) \[design\].
const COUGH_MAX_VALUES: u64 = 5;

/// Feeds `track`'s values from `*next` up to `upto` into the phase sums their index falls in.
fn feed_phases(
    sums: &mut [PhaseSums],
    spans: impl Iterator<Item = (u64, u64)>,
    track: &Track,
    next: &mut u64,
    upto: u64,
) {
    let upto = upto.min(track.end());
    let from = (*next).max(track.start());
    for (s, (i, j)) in sums.iter_mut().zip(spans) {
        let (a, b) = (i.max(from), j.min(upto));
        for k in a..b {
            if let Some(v) = track.get(k) {
                s.push(v);
            }
        }
    }
    *next = (*next).max(upto);
}

impl Streams {
    /// The streams of `engine`'s channels, with room reserved (feeding them allocates nothing).
    pub(crate) fn new(engine: &Engine) -> Self {
        let roles = engine.roles();
        let finders = |min, max| -> Vec<Option<Runs>> {
            engine
                .channels
                .iter()
                .map(|ch| ch.quality.as_ref().map(|_| Runs::new(min, max)))
                .collect()
        };
        Self {
            motion: finders(3, 100),
            flat: finders(5, u64::MAX),
            cough: (roles.pressure.is_some() && roles.abdominal.is_some())
                .then(|| Runs::new(1, COUGH_MAX_VALUES)),
            ..Self::default()
        }
    }

    /// Room for one more phase (at each phase marker).
    pub(crate) fn add_phase(&mut self) {
        self.pelvic.push(PhaseSums::default());
        self.pressure.push(PhaseSums::default());
    }
}

impl Engine {
    /// Each phase's span in history indices (the last one open).
    fn phase_indices(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.phase_spans_s(f64::INFINITY).map(|(_, a, b)| {
            (
                index_of(a),
                if b.is_finite() { index_of(b) } else { u64::MAX },
            )
        })
    }

    /// Feeds `streams` every value before `upto` (or, with `None`, every value held: a report's
    /// end) that it has not seen. Allocates nothing (room is reserved by [`Streams::new`] and
    /// [`Streams::add_phase`]) unless more than [`crate::runs::RUNS_RESERVED`] artifact runs
    /// close.
    pub(crate) fn feed(&self, streams: &mut Streams, upto: Option<u64>) {
        let roles = self.roles();
        for (c, ch) in self.channels.iter().enumerate() {
            let (Some(q), Some((r, _))) = (&ch.quality, self.rest(c)) else {
                continue;
            };
            let env = &ch.history;
            let lf = &q.lf_history;
            if let Some(Some(motion)) = streams.motion.get_mut(c) {
                motion.skip_to(lf.start());
                let to = upto.unwrap_or(lf.end()).min(lf.end());
                for k in motion.next()..to {
                    let v = lf.get(k).unwrap_or(0.0);
                    motion.push(v > 3.0 * r && env.get(k).is_some_and(|e| v > 3.0 * e), v);
                }
            }
            if let Some(Some(flat)) = streams.flat.get_mut(c) {
                flat.skip_to(env.start());
                let to = upto.unwrap_or(env.end()).min(env.end());
                for k in flat.next()..to {
                    let v = env.get(k).unwrap_or(0.0);
                    flat.push(v < 0.2 * r, v);
                }
            }
        }
        // Once the pelvic rest is known (a report's end takes whatever there is, as before).
        let ready = self.rest(roles.pelvic).is_some() || upto.is_none();
        if let (Some(p), Some(abd), Some(cough), true) = (
            roles.pressure,
            roles.abdominal,
            streams.cough.as_mut(),
            ready,
        ) {
            let rest = self.rest(roles.pelvic).map_or(0.0, |r| r.0);
            let abd_rest = self.rest(abd).map_or(0.0, |r| r.0);
            let prest = self.cough_rest();
            let (pr, ph, ah) = (
                &self.channels[p].history,
                &self.channels[roles.pelvic].history,
                &self.channels[abd].history,
            );
            cough.skip_to(pr.start());
            let to = upto.unwrap_or(pr.end()).min(pr.end());
            for k in cough.next()..to {
                let v = pr.get(k).unwrap_or(0.0);
                let spike = v > 1.5 * prest
                    && ph.get(k).is_some_and(|e| e > 4.0 * rest)
                    && ah.get(k).is_some_and(|e| e > 4.0 * abd_rest);
                cough.push(spike, v);
            }
        }
        let ph = &self.channels[roles.pelvic].history;
        let end = upto.unwrap_or(u64::MAX);
        let next = &mut streams.pelvic_next;
        feed_phases(&mut streams.pelvic, self.phase_indices(), ph, next, end);
        if let Some(p) = roles.pressure {
            let pr = &self.channels[p].history;
            let next = &mut streams.pressure_next;
            feed_phases(&mut streams.pressure, self.phase_indices(), pr, next, end);
        }
    }
}
