//! A whole recording held in memory: channels, samples and markers.

use serde::{Deserialize, Serialize};

use crate::channel::ChannelInfo;

/// A label at a time, e.g. the start of a protocol phase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    /// Time in seconds from the recording start.
    pub time_s: f64,
    /// The label.
    pub label: String,
}

/// The label of a marker declaring that the recording does not follow on at that point (a device's
/// sample index jumped by more than a gap may be, or restarted where the loss cannot be known).
pub const DISCONTINUITY: &str = "discontinuity";

/// The label of a marker declaring `samples` lost just before it.
pub fn gap_label(samples: u64) -> String {
    format!("gap:{samples}")
}

/// The samples a `gap:N` label declares lost (`None`: not a gap marker).
pub fn gap_samples(label: &str) -> Option<u64> {
    label.strip_prefix("gap:")?.parse().ok()
}

impl Marker {
    /// A marker declaring `samples` lost just before `time_s` (`gap:N`).
    pub fn gap(time_s: f64, samples: u64) -> Self {
        Self {
            time_s,
            label: gap_label(samples),
        }
    }

    /// The samples this marker declares lost (`None`: not a gap marker).
    pub fn gap_samples(&self) -> Option<u64> {
        gap_samples(&self.label)
    }

    /// Whether a live session wrote this marker from its own analysis or as Tonus' own note
    /// (`contraction:…`, `flag:…`, `tonus:…`): a replay feeds the session everything else.
    pub fn is_annotation(&self) -> bool {
        ["contraction:", "flag:", "tonus:"]
            .iter()
            .any(|p| self.label.starts_with(p))
    }

    /// Whether this marker starts a protocol phase. Labels with a `:` are notes that do not: `gap:N`
    /// (lost samples), `mark:N` (the clinician's marks), `contraction:…` and `flag:…` (what a live
    /// session annotated), `tonus:end`.
    pub fn is_phase(&self) -> bool {
        !self.label.contains(':')
    }
}

/// A recording in memory, one sample vector per channel (channels may differ in rate and length).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recording {
    /// Channel descriptions, in column order.
    pub channels: Vec<ChannelInfo>,
    /// Samples per channel, in physical units.
    pub samples: Vec<Vec<f64>>,
    /// Markers in time order.
    pub markers: Vec<Marker>,
}

impl Recording {
    /// Reads a whole [`Replay`](crate::Replay) source into memory (its channels, markers and
    /// every sample).
    pub fn read_whole<R: crate::Replay>(source: &mut R) -> Result<Self, R::Error> {
        let channels = source.channels().to_vec();
        let markers = source.markers().to_vec();
        let mut samples = vec![Vec::new(); channels.len()];
        source.replay(None, &mut |c, chunk| {
            if let Some(s) = samples.get_mut(c) {
                s.extend_from_slice(chunk);
            }
        })?;
        Ok(Self {
            channels,
            samples,
            markers,
        })
    }

    /// Duration in seconds: the longest channel's sample count over its rate.
    pub fn duration_s(&self) -> f64 {
        self.channels
            .iter()
            .zip(&self.samples)
            .map(|(c, s)| s.len() as f64 / c.rate_hz)
            .fold(0.0, f64::max)
    }
}
