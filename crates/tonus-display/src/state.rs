//! What the display shows, kept up to date from snapshots and events.

use tonus_analysis::Protocol;
use tonus_core::{ChannelInfo, ChannelKind, Event, EventKind};
use tonus_pipeline::Snapshot;

use crate::cue::{cue, Cue};

/// A flag as the display lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct RaisedFlag {
    /// When it was raised, s.
    pub time_s: f64,
    /// Its code.
    pub code: tonus_core::FlagCode,
    /// `mild`, `moderate`, `marked`.
    pub severity: tonus_core::Severity,
    /// Its sentence.
    pub message: String,
}

/// The latest finished contraction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LastContraction {
    /// Channel index.
    pub channel: usize,
    /// Peak, channel unit.
    pub peak: f64,
    /// Peak as % of the maximum so far.
    pub pct_mvc: f64,
    /// Duration, s.
    pub duration_s: f64,
    /// Onset to peak, s.
    pub time_to_peak_s: f64,
}

/// Everything on screen.
#[derive(Debug, Clone)]
pub struct DisplayState {
    /// Where the samples come from (port, file, "simulated sensor").
    pub source: String,
    /// A note on the clock, e.g. "simulated sensor, clock ×5".
    pub clock_note: Option<String>,
    /// The channels.
    pub channels: Vec<ChannelInfo>,
    /// The protocol, for cues.
    pub protocol: Option<Protocol>,
    /// The latest snapshot (frozen while paused).
    pub snapshot: Snapshot,
    /// Flags raised, oldest first.
    pub flags: Vec<RaisedFlag>,
    /// The latest contraction.
    pub last: Option<LastContraction>,
    /// Contractions so far.
    pub contractions: usize,
    /// Mains frequency found, Hz.
    pub mains: Option<u32>,
    /// Marks made.
    pub marks: usize,
    /// Display frozen (acquisition and recording go on).
    pub paused: bool,
    /// Set when the session is over: the pattern.
    pub ended: Option<tonus_core::PatternLabel>,
    /// Set when the session is over: each domain's rating.
    pub domains: Vec<tonus_core::DomainRating>,
}

impl DisplayState {
    /// An empty display for these channels.
    pub fn new(source: &str, channels: &[ChannelInfo], protocol: Option<Protocol>) -> Self {
        Self {
            source: source.to_string(),
            clock_note: None,
            channels: channels.to_vec(),
            protocol,
            snapshot: Snapshot::default(),
            flags: Vec::new(),
            last: None,
            contractions: 0,
            mains: None,
            marks: 0,
            paused: false,
            ended: None,
            domains: Vec::new(),
        }
    }

    /// Takes the latest snapshot (ignored while paused).
    pub fn update(&mut self, snapshot: &Snapshot) {
        if !self.paused {
            self.snapshot.clone_from(snapshot);
        }
    }

    /// Takes one event.
    pub fn on_event(&mut self, e: &Event) {
        match &e.kind {
            EventKind::Flag {
                code,
                severity,
                message,
                ..
            } => self.flags.push(RaisedFlag {
                time_s: e.time_s,
                code: *code,
                severity: *severity,
                message: message.clone(),
            }),
            EventKind::Contraction {
                channel,
                onset_s,
                peak_s,
                offset_s,
                peak,
                pct_mvc,
                ..
            } => {
                self.contractions += 1;
                self.last = Some(LastContraction {
                    channel: *channel,
                    peak: *peak,
                    pct_mvc: *pct_mvc,
                    duration_s: offset_s - onset_s,
                    time_to_peak_s: peak_s - onset_s,
                });
            }
            EventKind::Mains { hz } => self.mains = Some(*hz),
            EventKind::Marker { label } if label.starts_with("mark:") => self.marks += 1,
            EventKind::End { pattern, domains } => {
                self.ended = Some(*pattern);
                self.domains = domains.clone();
            }
            _ => {}
        }
    }

    /// The cue of the moment.
    pub fn cue(&self) -> Option<Cue> {
        let p = self.protocol.as_ref()?;
        let phase = self.snapshot.phase.as_str();
        cue(p, phase, self.snapshot.phase_start_s, self.snapshot.time_s)
    }

    /// The EMG channels (the ones with a trace and a detector).
    pub fn emg_channels(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.channels.len().min(self.snapshot.channels))
            .filter(|&c| self.channels[c].kind() == ChannelKind::Emg)
    }

    /// Signal-quality words: gaps, lead-off, saturation, stall, mains.
    pub fn quality(&self) -> Vec<String> {
        let s = &self.snapshot;
        let mut out = Vec::new();
        if s.disconnected {
            out.push("DISCONNECTED (reconnecting)".to_string());
        } else if s.stalled {
            out.push("NO DATA (stalled)".to_string());
        }
        for (c, ch) in self.channels.iter().enumerate().take(8) {
            if s.lead_off & (1 << c) != 0 {
                out.push(format!("{}: electrode off", ch.name));
            }
            if s.saturation & (1 << c) != 0 {
                out.push(format!("{}: saturated", ch.name));
            }
        }
        if s.gap_samples > 0 {
            out.push(format!("{} samples lost (held, marked)", s.gap_samples));
        }
        if let Some(hz) = self.mains {
            out.push(format!("{hz} Hz mains hum: notch on"));
        }
        if out.is_empty() {
            out.push("signal OK".to_string());
        }
        out
    }

    /// One line for a log or a terminal that is not interactive.
    pub fn status_line(&self) -> String {
        let s = &self.snapshot;
        let mut line = format!("t={:.1} s", s.time_s);
        if !s.phase.as_str().is_empty() {
            line += &format!(" phase={}", s.phase.as_str());
        }
        if let Some(c) = self.cue() {
            line += &format!(" cue=\"{}\"", c.text());
        }
        for c in self.emg_channels() {
            let t = &s.traces[c];
            let unit = self.channels[c].unit.symbol();
            line += &format!(" {}={:.1}{unit}", self.channels[c].name, t.last);
            if let Some((m, sd)) = t.rest {
                line += &format!("(rest {m:.1}±{sd:.1})");
            }
            if t.active_since_s.is_some() {
                line += "*";
            }
        }
        line += &format!(" contractions={}", self.contractions);
        if !self.flags.is_empty() {
            let codes: Vec<&str> = self.flags.iter().map(|f| f.code.as_str()).collect();
            line += &format!(" flags={}", codes.join(","));
        }
        line += &format!(" quality={}", self.quality().join("; "));
        line
    }
}
