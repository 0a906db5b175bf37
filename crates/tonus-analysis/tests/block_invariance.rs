//! The engine gives identical reports whatever block sizes the samples arrive in (live blocks of 1,
//! 7 or 64 samples, or whole channels at once).

use tonus_analysis::{analyze, AnalysisConfig, Engine};
use tonus_sim::{generate, Profile, ScenarioConfig};

#[test]
fn reports_are_identical_for_any_block_sizes() {
    let config = ScenarioConfig {
        profile: Profile::Overactive,
        protocol: "glazer-mini".into(),
        seed: 5,
        rate_hz: 1000.0,
        ..Default::default()
    };
    let rec = generate(&config).expect("session").recording;
    let whole = serde_json::to_string(&analyze(&rec, AnalysisConfig::default()).expect("analysis"))
        .expect("json");
    for block in [1usize, 7, 64, 1000] {
        let mut engine = Engine::new(&rec.channels, AnalysisConfig::default()).expect("engine");
        // As `analyze` does: the filters primed on each channel's first second.
        for (c, s) in rec.samples.iter().enumerate() {
            engine.prime(c, s);
        }
        for m in &rec.markers {
            engine.mark(m.clone());
            // As `analyze` does without a protocol: a cue at each contraction phase's start.
            if matches!(m.label.as_str(), "phasic" | "tonic" | "endurance") {
                engine.cue(m.time_s);
            }
        }
        let n = rec.samples[0].len();
        let mut start = 0;
        // Interleave channels block by block, as a live source delivers them.
        while start < n {
            let end = (start + block).min(n);
            for (c, s) in rec.samples.iter().enumerate() {
                engine.process(c, &s[start..end]);
            }
            start = end;
        }
        let cut = serde_json::to_string(&engine.finish()).expect("json");
        assert!(cut == whole, "block size {block} changed the report");
    }
}
