//! Batch analysis of a finished recording: mains detection on the first seconds, then the
//! streaming engine over every sample (without a rest phase, it calibrates on the first 10 minutes
//! before detecting in them). Works on any [`Replay`] source, so a file is read in chunks instead
//! of being held in memory.

use tonus_core::{ChannelInfo, ChannelKind, Marker, Recording, Replay};
use tonus_dsp::{Harmonics, Mains};

use crate::config::AnalysisConfig;
use crate::engine::{AnalysisError, Engine};
use crate::protocol::Protocol;
use crate::quality::{self, HeadSpectrum};
use crate::report::Report;
use crate::ring::RING_S;

/// Why a replayed recording cannot be analysed.
#[derive(Debug)]
pub enum ReplayError<E> {
    /// The analysis cannot run on these channels.
    Analysis(AnalysisError),
    /// The source failed while being read.
    Source(E),
}

impl<E: std::fmt::Display> std::fmt::Display for ReplayError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Analysis(e) => e.fmt(f),
            Self::Source(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error> std::error::Error for ReplayError<E> {}

/// Runs the engine over a whole recording (markers first, then every channel). Without markers,
/// phases come from `protocol`'s timing; contractions are cued at each repetition of the protocol's
/// contraction phases, or (without a protocol) at the start of `phasic`, `tonic` and `endurance`.
pub fn analyze_with(
    recording: &Recording,
    config: AnalysisConfig,
    protocol: Option<&Protocol>,
) -> Result<Report, AnalysisError> {
    analyze_replay(&mut &*recording, config, protocol).map_err(|e| match e {
        ReplayError::Analysis(e) => e,
        ReplayError::Source(never) => match never {},
    })
}

/// [`analyze_with`] without a protocol: phases and cues from the recording's markers.
pub fn analyze(recording: &Recording, config: AnalysisConfig) -> Result<Report, AnalysisError> {
    analyze_with(recording, config, None)
}

/// [`analyze_with`] over any [`Replay`] source, reading it in chunks (once, plus its first seconds
/// for mains detection): memory does not grow with the recording's length (the engine holds the
/// last 15 to 30 minutes of its 10 Hz histories; see `ring.rs`), apart from the contractions found.
pub fn analyze_replay<R: Replay>(
    source: &mut R,
    config: AnalysisConfig,
    protocol: Option<&Protocol>,
) -> Result<Report, ReplayError<R::Error>> {
    replay_holding(source, config, protocol, RING_S)
}

/// [`analyze_replay`] with an engine holding `ring_s` seconds of history.
pub(crate) fn replay_holding<R: Replay>(
    source: &mut R,
    config: AnalysisConfig,
    protocol: Option<&Protocol>,
    ring_s: f64,
) -> Result<Report, ReplayError<R::Error>> {
    let channels = source.channels().to_vec();
    let mut config = config;
    let heads = heads(source, &channels).map_err(ReplayError::Source)?;
    if config.mains.is_none() {
        if let Some((mains, harmonics)) = mains_in(&channels, &heads) {
            config.mains = Some(mains);
            config.mains_harmonics = harmonics;
        }
    }
    let mut engine = Engine::new(&channels, config)
        .map_err(ReplayError::Analysis)?
        .holding(ring_s);
    for (c, head) in heads.iter().enumerate() {
        engine.prime(c, head);
    }
    if let Some(seconds) = source.duration_s() {
        // Histories sized once (growing them by doubling leaves the allocator holding up to three
        // times what they need); they never hold more than twice the ring, so neither does the
        // reservation (nor the contraction lists' room, which follows the same seconds).
        engine.reserve(seconds.min(2.0 * ring_s));
    }
    let mut markers = source.markers().to_vec();
    let has_phases = markers.iter().any(Marker::is_phase);
    if let (false, Some(p)) = (has_phases, protocol) {
        markers.extend(p.markers());
        markers.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    }
    let cues = cues(&markers, protocol);
    let calibrated_by_phase = markers.iter().any(|m| m.label == "pre_baseline");
    for m in markers {
        engine.mark(m);
    }
    if !calibrated_by_phase {
        // No rest phase: each EMG channel calibrates on its first 10 minutes, then detects.
        engine.defer_detection();
    }
    for c in cues {
        engine.cue(c);
    }
    source
        .replay(None, &mut |c, chunk| engine.process(c, chunk))
        .map_err(ReplayError::Source)?;
    if !calibrated_by_phase {
        engine.detect_deferred();
    }
    Ok(engine.finish())
}

/// Contraction cues: each protocol repetition, or the start of the contraction phases.
pub(crate) fn cues(markers: &[Marker], protocol: Option<&Protocol>) -> Vec<f64> {
    match protocol {
        Some(p) => {
            // Each protocol phase starts at the next unused marker of its name (names may repeat).
            let mut used = vec![false; markers.len()];
            let starts: Vec<Option<f64>> = p
                .phases
                .iter()
                .map(|ph| {
                    let i =
                        (0..markers.len()).find(|&i| !used[i] && markers[i].label == ph.name)?;
                    used[i] = true;
                    Some(markers[i].time_s)
                })
                .collect();
            p.cues(&starts)
        }
        None => markers
            .iter()
            .filter(|m| matches!(m.label.as_str(), "phasic" | "tonic" | "endurance"))
            .map(|m| m.time_s)
            .collect(),
    }
}

/// The first [`quality::MAINS_S`] seconds of each channel: read once to look for mains hum (on
/// the EMG channels) and to prime the filters.
fn heads<R: Replay>(source: &mut R, channels: &[ChannelInfo]) -> Result<Vec<Vec<f64>>, R::Error> {
    let mut heads: Vec<Vec<f64>> = vec![Vec::new(); channels.len()];
    source.replay(Some(quality::MAINS_S), &mut |c, chunk| {
        if let (Some(ch), Some(head)) = (channels.get(c), heads.get_mut(c)) {
            let cap = (quality::MAINS_S * ch.rate_hz) as usize;
            let room = cap.saturating_sub(head.len());
            head.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
    })?;
    Ok(heads)
}

/// Mains hum in these first samples of the EMG channels (more than 10 dB above its neighbours),
/// and the harmonics that carry hum on any EMG channel (see [`HeadSpectrum::hum_harmonics`]).
pub(crate) fn mains_in<H: AsRef<[f64]>>(
    channels: &[ChannelInfo],
    heads: &[H],
) -> Option<(Mains, Harmonics)> {
    let spectra: Vec<HeadSpectrum> = channels
        .iter()
        .zip(heads.iter().map(AsRef::as_ref))
        .filter(|(c, _)| c.kind() == ChannelKind::Emg)
        .filter_map(|(c, head)| HeadSpectrum::of(head, c.rate_hz))
        .collect();
    let mains = spectra
        .iter()
        .filter_map(HeadSpectrum::mains_ratio)
        .filter(|(ratio, _)| *ratio > 10.0)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, f)| if f == 60.0 { Mains::Hz60 } else { Mains::Hz50 })?;
    let multiples = spectra
        .iter()
        .flat_map(|s| s.hum_harmonics(mains.hz()))
        .collect::<Vec<u32>>();
    Some((mains, Harmonics::only(multiples)))
}
