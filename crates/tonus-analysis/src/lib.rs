//! Contraction detection, metrics, over-contraction flags and the session pattern for pelvic-floor
//! recordings, from one streaming engine.
//!
//! ```
//! use tonus_analysis::{analyze, AnalysisConfig};
//! use tonus_sim::{generate, Profile, ScenarioConfig};
//!
//! let config = ScenarioConfig { profile: Profile::Overactive, protocol: "glazer-mini".into(), rate_hz: 1000.0, ..Default::default() };
//! let session = generate(&config).unwrap();
//! let report = analyze(&session.recording, AnalysisConfig::default()).unwrap();
//! assert_eq!(report.pattern.label, "overactive"); // a suggestion with reasons, never a diagnosis
//! ```
//!
//! Every threshold is relative to the person's own rest or maximum (CLINICAL.md §2); defaults and their
//! sources are in [`AnalysisConfig`]. The engine works sample by sample inside, so the result does not
//! depend on how the samples are cut into blocks.
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod config;
mod detector;
mod engine;
mod manometry;
mod protocol;
mod quality;
mod report;

pub use config::AnalysisConfig;
pub use detector::{Detected, Detector};
pub use engine::{AnalysisError, Engine};
pub use manometry::analyze_manometry;
pub use protocol::{PhaseKind, PhaseSpec, Protocol, ProtocolError, BUILTINS};
pub use report::{Contraction, Flag, Pattern, Phase, Quality, Report, Source, SourceChannel};

use tonus_core::Recording;

/// Runs the engine over a whole recording (markers first, then every channel). Without markers,
/// phases come from `protocol`'s timing; contractions are cued at each repetition of the protocol's
/// contraction phases, or (without a protocol) at the start of `phasic`, `tonic` and `endurance`.
pub fn analyze_with(
    recording: &Recording,
    config: AnalysisConfig,
    protocol: Option<&Protocol>,
) -> Result<Report, AnalysisError> {
    let mut config = config;
    if config.mains.is_none() {
        config.mains = detect_mains(recording);
    }
    let mut engine = Engine::new(&recording.channels, config)?;
    let has_phases = recording
        .markers
        .iter()
        .any(|m| !m.label.starts_with("gap:"));
    let mut markers = recording.markers.clone();
    if let (false, Some(p)) = (has_phases, protocol) {
        markers.extend(p.markers());
        markers.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    }
    let cues = match protocol {
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
    };
    let calibrated_by_phase = markers.iter().any(|m| m.label == "pre_baseline");
    for m in markers {
        engine.mark(m);
    }
    if !calibrated_by_phase {
        // No rest phase: calibrate each EMG channel on its whole envelope first (trimmed robust
        // statistics), so contractions in the first seconds are detected too.
        for (c, (ch, samples)) in recording
            .channels
            .iter()
            .zip(&recording.samples)
            .enumerate()
        {
            if ch.kind() != tonus_core::ChannelKind::Emg {
                continue;
            }
            let mut chain_config = tonus_dsp::Preset::Emg.config();
            chain_config.mains = config.mains;
            let Ok(mut chain) = tonus_dsp::ChannelChain::new(&chain_config, ch.rate_hz) else {
                continue;
            };
            let step = ((ch.rate_hz / 100.0).round() as usize).max(1);
            let settle = (config.settle_s * ch.rate_hz) as usize;
            let mut values = Vec::with_capacity(samples.len() / step + 1);
            let (mut buf, mut env) = ([0.0; 256], [0.0; 256]);
            for (k, chunk) in samples.chunks(256).enumerate() {
                let (b, e) = (&mut buf[..chunk.len()], &mut env[..chunk.len()]);
                b.copy_from_slice(chunk);
                chain.process(b, e);
                values.extend(
                    e.iter()
                        .enumerate()
                        .filter(|(i, _)| (k * 256 + i) % step == 0 && k * 256 + i >= settle)
                        .map(|(_, v)| *v),
                );
            }
            if values.len() >= 2 {
                let (m, sd) = Detector::robust_rest(&mut values);
                engine.preset_rest(c, m, sd);
            }
        }
    }
    for c in cues {
        engine.cue(c);
    }
    for (c, samples) in recording.samples.iter().enumerate() {
        engine.process(c, samples);
    }
    Ok(engine.finish())
}

/// Mains hum in the first seconds of any EMG channel (more than 10 dB above its neighbours).
fn detect_mains(recording: &Recording) -> Option<tonus_dsp::Mains> {
    recording
        .channels
        .iter()
        .zip(&recording.samples)
        .filter(|(c, _)| c.kind() == tonus_core::ChannelKind::Emg)
        .filter_map(|(c, s)| {
            let head = &s[..s.len().min((quality::MAINS_S * c.rate_hz) as usize)];
            quality::mains_ratio(head, c.rate_hz)
        })
        .filter(|(ratio, _)| *ratio > 10.0)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, f)| {
            if f == 60.0 {
                tonus_dsp::Mains::Hz60
            } else {
                tonus_dsp::Mains::Hz50
            }
        })
}

/// [`analyze_with`] without a protocol: phases and cues from the recording's markers.
pub fn analyze(recording: &Recording, config: AnalysisConfig) -> Result<Report, AnalysisError> {
    analyze_with(recording, config, None)
}
