//! Analysis streamed from an EDF+/BDF+ file (record by record, a pre-scan pass when there is no rest
//! phase) gives exactly the report of the same samples analysed in memory.

use tonus_analysis::{analyze, analyze_replay, AnalysisConfig};
use tonus_io::edf::{read_edf, write_recording, Depth, EdfSource};
use tonus_sim::{generate, Profile, ScenarioConfig};

#[test]
fn streamed_from_file_equals_in_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = ScenarioConfig {
        profile: Profile::Overactive,
        protocol: "glazer-mini".into(),
        ..Default::default()
    };
    let mut session = generate(&config).expect("session").recording;
    for with_markers in [true, false] {
        if !with_markers {
            session.markers.clear();
        }
        for depth in [Depth::Edf16, Depth::Bdf24] {
            let path = dir.path().join("s.bdf");
            write_recording(&path, &session, depth).expect("write");
            let in_memory = analyze(
                &read_edf(&path).expect("read").recording,
                AnalysisConfig::default(),
            )
            .expect("analysis");
            let mut source = EdfSource::open(&path).expect("open");
            let streamed =
                analyze_replay(&mut source, AnalysisConfig::default(), None).expect("analysis");
            assert!(!streamed.contractions.is_empty());
            assert_eq!(
                serde_json::to_string(&streamed).expect("json"),
                serde_json::to_string(&in_memory).expect("json"),
                "markers {with_markers}, {depth:?}"
            );
        }
    }
}
