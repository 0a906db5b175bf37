//! What the display reads: the latest state of the session, published by the engine thread into a
//! triple buffer (latest wins, wait-free on both sides, no allocation), so a slow or paused
//! display never holds the engine up.

use std::time::Instant;

use tonus_analysis::Session;
use tonus_core::MAX_CHANNELS;

/// Points of envelope history in a snapshot: 30 s at 10 Hz.
pub const TRACE_POINTS: usize = 300;

/// One channel as the display draws it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChannelTrace {
    /// The last [`TRACE_POINTS`] envelope means (0.1 s each), oldest first; `len` are valid.
    pub points: [f32; TRACE_POINTS],
    /// Valid points.
    pub len: usize,
    /// The latest envelope (EMG) or filtered value (pressure).
    pub last: f64,
    /// Rest (mean, SD) once calibrated.
    pub rest: Option<(f64, f64)>,
    /// The onset threshold in use.
    pub threshold: Option<f64>,
    /// Onset of the contraction in progress, s.
    pub active_since_s: Option<f64>,
    /// Largest contraction peak so far (the %MVC reference).
    pub max_peak: f64,
}

impl Default for ChannelTrace {
    fn default() -> Self {
        Self {
            points: [0.0; TRACE_POINTS],
            len: 0,
            last: 0.0,
            rest: None,
            threshold: None,
            active_since_s: None,
            max_peak: 0.0,
        }
    }
}

/// A short label held inline (no allocation when copied).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Label {
    bytes: [u8; 32],
    len: u8,
}

impl Label {
    /// The label, cut at 32 bytes on a character boundary.
    pub fn new(s: &str) -> Self {
        let mut end = s.len().min(32);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        let mut bytes = [0; 32];
        bytes[..end].copy_from_slice(&s.as_bytes()[..end]);
        Self {
            bytes,
            len: end as u8,
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

/// The session's latest state.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Session time every channel has reached, s.
    pub time_s: f64,
    /// Channels in use.
    pub channels: usize,
    /// Per channel.
    pub traces: [ChannelTrace; MAX_CHANNELS],
    /// The phase in progress (empty before the first).
    pub phase: Label,
    /// When it started, s.
    pub phase_start_s: f64,
    /// Samples lost so far (largest over channels).
    pub gap_samples: u64,
    /// Device status: electrode off, per channel bit.
    pub lead_off: u8,
    /// Device status: saturated, per channel bit.
    pub saturation: u8,
    /// No bytes from the device for the stall timeout.
    pub stalled: bool,
    /// The port is gone (the reader is trying to reopen it).
    pub disconnected: bool,
    /// Blocks processed.
    pub blocks: u64,
    /// Sequence number of the last block processed.
    pub last_seq: u64,
    /// Device time of the last block processed, µs.
    pub last_device_time_us: u64,
    /// When the engine published this.
    pub published: Option<Instant>,
}

impl Default for Snapshot {
    fn default() -> Self {
        Self {
            time_s: 0.0,
            channels: 0,
            traces: [ChannelTrace::default(); MAX_CHANNELS],
            phase: Label::default(),
            phase_start_s: 0.0,
            gap_samples: 0,
            lead_off: 0,
            saturation: 0,
            stalled: false,
            disconnected: false,
            blocks: 0,
            last_seq: 0,
            last_device_time_us: 0,
            published: None,
        }
    }
}

impl Snapshot {
    /// Fills the analysis part from the session (no allocation).
    pub(crate) fn fill(&mut self, session: &Session) {
        self.channels = session.channels().len().min(MAX_CHANNELS);
        self.time_s = session.frontier();
        for (c, trace) in self.traces.iter_mut().enumerate().take(self.channels) {
            let Some(v) = session.view(c) else { continue };
            let tail = &v.history[v.history.len().saturating_sub(TRACE_POINTS)..];
            for (p, h) in trace.points.iter_mut().zip(tail) {
                *p = *h as f32;
            }
            trace.len = tail.len();
            trace.last = v.last;
            trace.rest = v.rest;
            trace.threshold = v.threshold;
            trace.active_since_s = v.active_since_s;
            trace.max_peak = v.max_peak;
        }
        match session.phase() {
            Some((name, start)) => {
                self.phase = Label::new(name);
                self.phase_start_s = start;
            }
            None => self.phase = Label::default(),
        }
    }
}
