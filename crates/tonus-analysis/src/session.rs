//! A session as live and replay run it: samples of every channel in (any cutting, any arrival
//! order between channels), time-ordered events out, the report at the end.
//!
//! The engine is advanced along the *frontier*, the time every channel has reached, and stopped
//! exactly at each marker's time: there the marker's event is emitted and, at a phase marker, the
//! flags are evaluated on everything before it. Detector events are ordered by the sample time that
//! decided them. So the events depend only on the samples and markers, never on how they arrived:
//! a live session and the replay of its recording give identical events and the same report.
//!
//! Before the engine starts, the first [`SessionConfig::mains_head_s`] seconds are held to look for
//! mains hum (as batch analysis does on a file's first seconds); the notch is then on from the
//! first sample. Give [`AnalysisConfig::mains`] to skip the wait.

use tonus_core::{ChannelInfo, DomainRating, Event, EventKind, Marker};

use crate::batch::{cues, mains_in};
use crate::config::AnalysisConfig;
use crate::engine::{AnalysisError, ChannelView, Engine};
use crate::protocol::Protocol;
use crate::quality::MAINS_S;
use crate::report::Report;

/// How a session runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SessionConfig {
    /// The analysis thresholds.
    pub analysis: AnalysisConfig,
    /// Seconds held at the start to look for mains hum when `analysis.mains` is `None`.
    pub mains_head_s: f64,
    /// Seconds of session for which the engine reserves room up front: its history (bounded: at
    /// most 30 minutes whatever this says) and the contractions of that many seconds (longer
    /// sessions work, with an occasional reallocation of the contraction list past this length).
    pub reserve_s: f64,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            analysis: AnalysisConfig::default(),
            mains_head_s: MAINS_S,
            reserve_s: 2.0 * 3600.0,
        }
    }
}

/// A running session (see the module docs).
pub struct Session {
    channels: Vec<ChannelInfo>,
    config: SessionConfig,
    protocol: Option<Protocol>,
    engine: Option<Engine>,
    /// Samples received and not yet processed, per channel.
    staged: Vec<Vec<f64>>,
    /// Samples processed, per channel.
    done: Vec<u64>,
    /// The last sample received per channel (what a gap holds).
    last: Vec<f64>,
    /// Every marker, in time order; those before `next_marker` have been emitted.
    markers: Vec<Marker>,
    next_marker: usize,
    /// The last `gap:N` marker added by [`Session::push_gap`]: (its time, N).
    last_gap: Option<(f64, u64)>,
    /// Flags already emitted: (code, start in ms).
    raised: Vec<(tonus_core::FlagCode, i64)>,
    /// Events decided and not yet taken.
    pending: Vec<Event>,
    /// Engine events of the current slice, before ordering.
    slice: Vec<Event>,
}

/// Sample count of a channel at `rate` before time `t` (the index of the first sample at or after it).
fn index_at(t: f64, rate: f64) -> u64 {
    (t * rate - 1e-9).ceil().max(0.0) as u64
}

impl Session {
    /// A session over these channels; `markers` are the phases known up front (a protocol's timing,
    /// or a recording's annotations), `protocol` gives the contraction cues.
    pub fn new(
        channels: &[ChannelInfo],
        markers: &[Marker],
        protocol: Option<&Protocol>,
        config: SessionConfig,
    ) -> Result<Self, AnalysisError> {
        // Checked now rather than when the engine starts after the mains head.
        drop(Engine::new(channels, config.analysis)?);
        let head = if config.analysis.mains.is_some() {
            0.0
        } else {
            config.mains_head_s.max(0.0)
        };
        let mut markers = markers.to_vec();
        markers.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
        Ok(Self {
            staged: channels
                .iter()
                .map(|c| Vec::with_capacity(((head + 2.0) * c.rate_hz) as usize + 1024))
                .collect(),
            done: vec![0; channels.len()],
            last: vec![0.0; channels.len()],
            channels: channels.to_vec(),
            config: SessionConfig {
                mains_head_s: head,
                ..config
            },
            protocol: protocol.cloned(),
            engine: None,
            markers,
            next_marker: 0,
            last_gap: None,
            raised: Vec::new(),
            pending: Vec::with_capacity(256),
            slice: Vec::with_capacity(256),
        })
    }

    /// The channels.
    pub fn channels(&self) -> &[ChannelInfo] {
        &self.channels
    }

    /// Takes samples of channel `c` (physical units) and advances as far as every channel allows.
    pub fn push(&mut self, c: usize, samples: &[f64]) {
        let Some(staged) = self.staged.get_mut(c) else {
            return;
        };
        staged.extend_from_slice(samples);
        if let Some(&x) = samples.last() {
            self.last[c] = x;
        }
        self.advance(false);
    }

    /// Records `n` lost samples of channel `c`: they are held at the last value (so later samples
    /// keep their true time) and a [`EventKind::Gap`] is emitted at their time.
    pub fn push_gap(&mut self, c: usize, n: u64) {
        if n == 0 || c >= self.channels.len() {
            return;
        }
        let rate = self.channels[c].rate_hz;
        let at = self.done[c] + self.staged[c].len() as u64;
        let time_s = at as f64 / rate;
        let value = self.last[c];
        self.staged[c].extend(std::iter::repeat_n(value, n as usize));
        // The `gap:N` marker a recording of this session carries (at the gap's end, once for
        // channels losing the same span), so the report flags it as a replay of the file does.
        let end_s = (at + n) as f64 / rate;
        if self.last_gap != Some((end_s, n)) {
            self.last_gap = Some((end_s, n));
            self.insert_marker(Marker::gap(end_s, n));
        }
        self.pending.push(Event {
            time_s,
            kind: EventKind::Gap {
                channel: c,
                samples: n,
            },
        });
    }

    /// Adds a marker at the frontier (a clinician's mark, or a phase started by hand); returns its
    /// time. Phase markers added this way count from the next sample.
    pub fn mark(&mut self, label: &str) -> f64 {
        let t = self.frontier();
        self.insert_marker(Marker {
            time_s: t,
            label: label.to_string(),
        });
        self.advance(false);
        t
    }

    /// Inserts a marker in time order among those not yet emitted; a running engine is told of
    /// a note (gap, discontinuity, mark) at once.
    fn insert_marker(&mut self, marker: Marker) {
        if let (Some(engine), false) = (self.engine.as_mut(), marker.is_phase()) {
            engine.mark(marker.clone());
        }
        let at = self.markers[self.next_marker..]
            .iter()
            .position(|m| m.time_s > marker.time_s)
            .map_or(self.markers.len(), |k| self.next_marker + k);
        self.markers.insert(at, marker);
    }

    /// The time every channel has reached, s.
    pub fn frontier(&self) -> f64 {
        self.staged_s()
    }

    fn staged_s(&self) -> f64 {
        self.channels
            .iter()
            .enumerate()
            .map(|(c, ch)| (self.done[c] + self.staged[c].len() as u64) as f64 / ch.rate_hz)
            .fold(f64::INFINITY, f64::min)
    }

    /// Moves the events decided so far into `out`, in time order.
    pub fn take_events(&mut self, out: &mut Vec<Event>) {
        out.append(&mut self.pending);
    }

    /// Channel `c`'s live state (after the mains head).
    pub fn view(&self, c: usize) -> Option<ChannelView<'_>> {
        self.engine.as_ref()?.view(c)
    }

    /// The phase in progress at the frontier: its name and start time.
    pub fn phase(&self) -> Option<(&str, f64)> {
        self.markers[..self.next_marker]
            .iter()
            .rev()
            .find(|m| m.is_phase())
            .map(|m| (m.label.as_str(), m.time_s))
    }

    /// Every marker, in time order.
    pub fn markers(&self) -> &[Marker] {
        &self.markers
    }

    /// Processes everything received, emits the remaining markers, the final flags and an
    /// [`EventKind::End`], and returns the report.
    pub fn finish(mut self, out: &mut Vec<Event>) -> Report {
        self.advance(true);
        let end = self
            .channels
            .iter()
            .zip(&self.done)
            .map(|(ch, &n)| n as f64 / ch.rate_hz)
            .fold(0.0, f64::max);
        let mut engine = match self.engine.take() {
            Some(e) => e,
            None => self.start_engine(end),
        };
        // Markers after the last sample still start (empty) phases.
        while let Some(m) = self.markers.get(self.next_marker).cloned() {
            self.next_marker += 1;
            self.marker_event(&mut engine, &m, false);
        }
        let report = engine.finish();
        self.raise(&report, end);
        self.pending.push(Event {
            time_s: end,
            kind: EventKind::End {
                pattern: report.pattern.label,
                domains: report
                    .domains
                    .iter()
                    .map(|d| DomainRating {
                        domain: d.domain.as_str().into(),
                        rating: d.rating.as_str().into(),
                    })
                    .collect(),
            },
        });
        out.append(&mut self.pending);
        report
    }

    fn start_engine(&mut self, at: f64) -> Engine {
        let mut analysis = self.config.analysis;
        let heads: Vec<&[f64]> = self
            .channels
            .iter()
            .zip(&self.staged)
            .map(|(ch, s)| &s[..((self.config.mains_head_s * ch.rate_hz) as usize).min(s.len())])
            .collect();
        if analysis.mains.is_none() {
            if let Some((m, harmonics)) = mains_in(&self.channels, &heads) {
                analysis.mains = Some(m);
                analysis.mains_harmonics = harmonics;
                self.pending.push(Event {
                    time_s: at,
                    kind: EventKind::Mains { hz: m.hz() as u32 },
                });
            }
        }
        // The channels were accepted by `new`, and a notch is designable wherever the band-pass is.
        let mut engine = match Engine::new(&self.channels, analysis) {
            Ok(e) => e,
            Err(_) => {
                analysis.mains = None;
                Engine::new(&self.channels, analysis).unwrap_or_else(|_| unreachable!())
            }
        };
        for (c, head) in heads.iter().enumerate() {
            engine.prime(c, head);
        }
        engine.emit_events(256);
        engine.reserve(self.config.reserve_s);
        // Every marker, as a batch analysis of the recording gives them (gaps and discontinuities
        // are flagged from theirs).
        for m in &self.markers {
            engine.mark(m.clone());
        }
        for q in cues(&self.markers, self.protocol.as_ref()) {
            engine.cue(q);
        }
        engine
    }

    /// Processes along the frontier (everything, at the end), stopping at each marker.
    fn advance(&mut self, to_end: bool) {
        if self.channels.is_empty() {
            return;
        }
        let mut engine = match self.engine.take() {
            Some(e) => e,
            None => {
                let reached = self.staged_s();
                if !to_end && reached < self.config.mains_head_s {
                    return;
                }
                self.start_engine(self.config.mains_head_s.min(reached))
            }
        };
        loop {
            let frontier = self.staged_s();
            let next = self.markers.get(self.next_marker).map(|m| m.time_s);
            let stop = match next {
                Some(t) if t <= frontier => t,
                _ => frontier,
            };
            for c in 0..self.channels.len() {
                let rate = self.channels[c].rate_hz;
                let avail = self.done[c] + self.staged[c].len() as u64;
                let target = if to_end && next.is_none_or(|t| t > frontier) {
                    avail
                } else {
                    index_at(stop, rate).min(avail)
                };
                let n = target.saturating_sub(self.done[c]) as usize;
                if n > 0 {
                    engine.process(c, &self.staged[c][..n]);
                    self.staged[c].drain(..n);
                    self.done[c] = target;
                }
            }
            engine.take_events(&mut self.slice);
            self.slice.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
            self.pending.append(&mut self.slice);
            match next {
                Some(t) if t <= frontier => {
                    let m = self.markers[self.next_marker].clone();
                    self.next_marker += 1;
                    self.marker_event(&mut engine, &m, true);
                }
                _ => break,
            }
        }
        self.engine = Some(engine);
    }

    /// Emits a marker's event; at a phase marker (after the first), evaluates the flags first.
    fn marker_event(&mut self, engine: &mut Engine, m: &Marker, evaluate: bool) {
        if m.is_phase() {
            let first = !self.markers[..self.next_marker - 1]
                .iter()
                .any(Marker::is_phase);
            if evaluate && !first {
                let report = engine.report_now();
                self.raise(&report, m.time_s);
            }
            self.pending.push(Event {
                time_s: m.time_s,
                kind: EventKind::PhaseStart {
                    name: m.label.clone(),
                },
            });
        } else {
            self.pending.push(Event {
                time_s: m.time_s,
                kind: EventKind::Marker {
                    label: m.label.clone(),
                },
            });
        }
    }

    /// Emits the report's flags not raised before.
    fn raise(&mut self, report: &Report, at: f64) {
        for f in &report.flags {
            let key = (f.code, (f.start_s * 1000.0).round() as i64);
            if self.raised.contains(&key) {
                continue;
            }
            self.raised.push(key);
            self.pending.push(Event {
                time_s: at,
                kind: EventKind::Flag {
                    code: f.code,
                    start_s: f.start_s,
                    end_s: f.end_s,
                    severity: f.severity,
                    evidence: f.evidence.clone(),
                    threshold: f.threshold,
                    message: f.message.clone(),
                },
            });
        }
    }
}
