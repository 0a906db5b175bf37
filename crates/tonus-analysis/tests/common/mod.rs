//! Recordings shared by the long-session tests.

use tonus_core::{Marker, Recording};
use tonus_sim::{generate, ArtifactKind, Profile, ScenarioConfig};

/// Five overactive Glazer sessions (seeds 1–5, 1 kHz, with coughs and movement) back to back: 34
/// minutes, phases repeated at their shifted times.
pub fn five_sessions_back_to_back() -> Recording {
    let parts: Vec<Recording> = (1..=5)
        .map(|seed| {
            let config = ScenarioConfig {
                profile: Profile::Overactive,
                seed,
                rate_hz: 1000.0,
                artifacts: vec![ArtifactKind::CoughArtifact, ArtifactKind::MotionArtifact],
                ..Default::default()
            };
            generate(&config).expect("session").recording
        })
        .collect();
    let mut rec = parts[0].clone();
    for part in &parts[1..] {
        let offset = rec.duration_s();
        rec.markers.extend(part.markers.iter().map(|m| Marker {
            time_s: m.time_s + offset,
            label: m.label.clone(),
        }));
        for (all, more) in rec.samples.iter_mut().zip(&part.samples) {
            all.extend_from_slice(more);
        }
    }
    rec
}
