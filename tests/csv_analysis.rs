//! Analysis streamed from a CSV file (`CsvSource`: a quick pass for the markers, then a second of
//! every channel at a time) gives exactly the report of the same samples analysed in memory, as
//! parsed here independently of the reader.

use tonus_analysis::{analyze, analyze_replay, AnalysisConfig};
use tonus_core::{Marker, Recording};
use tonus_io::csv::CsvSource;
use tonus_sim::{generate, write_csv, Profile, ScenarioConfig};

/// The CSV as plain text: `t`, the channels, `marker`.
fn parse(text: &str, like: &Recording) -> Recording {
    let mut samples = vec![Vec::new(); like.channels.len()];
    let mut markers = Vec::new();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        for (s, c) in samples.iter_mut().zip(&cells[1..]) {
            s.push(c.parse::<f64>().expect("number"));
        }
        let marker = cells[cells.len() - 1];
        if !marker.is_empty() {
            markers.push(Marker {
                time_s: cells[0].parse().expect("time"),
                label: marker.to_string(),
            });
        }
    }
    Recording {
        channels: like.channels.clone(),
        samples,
        markers,
    }
}

#[test]
fn streamed_from_csv_equals_in_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = ScenarioConfig {
        profile: Profile::Overactive,
        protocol: "glazer-mini".into(),
        ..Default::default()
    };
    let mut session = generate(&config).expect("session");
    for with_markers in [true, false] {
        if !with_markers {
            session.recording.markers.clear();
        }
        let path = dir.path().join("s.csv");
        let mut bytes = Vec::new();
        write_csv(&session, &mut bytes).expect("csv");
        std::fs::write(&path, &bytes).expect("write");
        let text = String::from_utf8(bytes).expect("utf-8");
        let in_memory = analyze(&parse(&text, &session.recording), AnalysisConfig::default())
            .expect("analysis");
        let mut source = CsvSource::open(&path, None).expect("open");
        let streamed =
            analyze_replay(&mut source, AnalysisConfig::default(), None).expect("analysis");
        assert!(!streamed.contractions.is_empty());
        assert_eq!(
            serde_json::to_string(&streamed).expect("json"),
            serde_json::to_string(&in_memory).expect("json"),
            "markers {with_markers}"
        );
    }
}
