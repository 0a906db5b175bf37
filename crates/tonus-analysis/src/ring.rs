//! How long the engine holds its history, and what it takes from it before dropping it: memory
//! stays the same for a six-minute session and a ten-hour recording.
//!
//! Every track keeps at least [`RING_S`] seconds. When all of them hold twice that, the oldest
//! half goes: first each contraction starting in it (or within [`LOOKBACK_S`] after it) is
//! captured ([`crate::capture`]), and the whole-recording figures are fed ([`crate::streams`]).
//! A contraction is captured at least `RING_S − LOOKBACK_S` seconds after its onset, so its
//! detection (even deferred by the 10-minute calibration of an unmarked recording), its 10-s tail
//! and the gap before it are all still held. Nothing here allocates: the captures go into room
//! [`Engine::reserve`] made, the streams into room made at construction and at each phase marker.

use crate::engine::{Engine, HISTORY_S, KEPT_S};
use crate::track::index_of;

/// Seconds of history every track holds at least.
pub(crate) const RING_S: f64 = 900.0;

/// Seconds before the dropped part whose contractions are captured with it (the squeeze's rise and
/// the gap before a contraction reach back this far).
pub(crate) const LOOKBACK_S: f64 = 30.0;

// A contraction found when the deferred calibration ends (10 minutes in) is still held whole.
const _: () = assert!(RING_S - LOOKBACK_S >= KEPT_S as f64);

/// [`RING_S`] in history values.
pub(crate) fn ring_values(ring_s: f64) -> u64 {
    (ring_s / HISTORY_S).round() as u64
}

impl Engine {
    /// The newest index every track has reached.
    fn frontier(&self) -> u64 {
        self.channels
            .iter()
            .flat_map(|ch| {
                std::iter::once(ch.history.end())
                    .chain(ch.quality.as_ref().map(|q| q.lf_history.end()))
            })
            .min()
            .unwrap_or(0)
    }

    /// Drops the oldest half of the history once every track holds twice the ring (see the module
    /// docs).
    pub(crate) fn retire(&mut self) {
        let end = self.frontier();
        if end < self.evicted.saturating_add(2 * self.ring) {
            return;
        }
        let to = end - self.ring;
        let horizon = to + index_of(LOOKBACK_S);
        for c in 0..self.channels.len() {
            loop {
                let ch = &self.channels[c];
                let i = ch.captured.len();
                let Some(d) = ch.contractions.get(i) else {
                    break;
                };
                if index_of(d.onset as f64 / ch.info.rate_hz) >= horizon {
                    break;
                }
                let capture = self.capture(c, i);
                self.channels[c].captured.push(capture);
            }
        }
        let mut streams = std::mem::take(&mut self.streams);
        self.feed(&mut streams, Some(to));
        self.streams = streams;
        for ch in &mut self.channels {
            ch.history.drop_before(to);
            if let Some(q) = &mut ch.quality {
                q.lf_history.drop_before(to);
                q.median_hz.drop_before((to as f64 * HISTORY_S) as u64);
            }
        }
        self.evicted = to;
    }
}

#[cfg(test)]
mod tests {
    use tonus_core::Recording;
    use tonus_sim::{generate, ArtifactKind, Profile, ScenarioConfig};

    use crate::batch::replay_holding;
    use crate::{AnalysisConfig, Report};

    fn session(profile: Profile, seed: u64) -> Recording {
        let config = ScenarioConfig {
            profile,
            seed,
            rate_hz: 1000.0,
            artifacts: ArtifactKind::ALL.to_vec(),
            ..Default::default()
        };
        generate(&config).expect("session").recording
    }

    fn report(recording: &Recording, ring_s: f64) -> Report {
        replay_holding(&mut &*recording, AnalysisConfig::default(), None, ring_s).expect("report")
    }

    #[test]
    fn a_glazer_session_reports_the_same_holding_two_minutes_of_history_as_holding_all() {
        // Seven minutes with every artifact: a two-minute ring drops history three times.
        for profile in Profile::ALL {
            let recording = session(profile, 3);
            let all = report(&recording, 3600.0);
            assert!(!all.contractions.is_empty() && !all.flags.is_empty());
            assert_eq!(report(&recording, 120.0), all, "{profile:?}");
            // Shorter than the endurance hold and its tail: the figures change (the check above
            // can fail).
            assert_ne!(report(&recording, 30.0), all, "{profile:?}");
        }
    }

    #[test]
    fn an_unmarked_recording_reports_the_same_holding_ten_and_a_half_minutes_as_holding_all() {
        // Four sessions back to back without markers (28 minutes): detection waits for the
        // calibration on the first 10 minutes, and a 10.5-minute ring drops history once, at
        // minute 21, when the contractions of the first 11 minutes are captured.
        let parts: Vec<Recording> = (1..=4).map(|s| session(Profile::Overactive, s)).collect();
        let mut recording = parts[0].clone();
        recording.markers.clear();
        for part in &parts[1..] {
            for (all, more) in recording.samples.iter_mut().zip(&part.samples) {
                all.extend_from_slice(more);
            }
        }
        let all = report(&recording, 3600.0);
        assert!(all.contractions.len() > 20, "{}", all.contractions.len());
        assert_eq!(report(&recording, 630.0), all);
        // A ring shorter than the deferred calibration loses contractions found late.
        assert_ne!(report(&recording, 200.0), all);
    }
}
