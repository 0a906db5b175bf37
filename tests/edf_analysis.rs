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

/// Whether `program args…` ran and exited 0 (its error output shown when not).
fn ran(program: &str, args: &[&std::ffi::OsStr]) -> bool {
    match std::process::Command::new(program).args(args).output() {
        Ok(o) if o.status.success() => true,
        Ok(o) => {
            eprintln!("{program} {args:?}: {}", String::from_utf8_lossy(&o.stderr));
            false
        }
        Err(e) => {
            eprintln!("{program}: {e}");
            false
        }
    }
}

/// A plain EDF and a BDF+ written by other tools (edfio, pyedflib: `scripts/edf_variants.py`) are
/// accepted by `tonus analyze`, `tonus replay` and `tonus report`.
#[test]
fn analyze_replay_and_report_accept_files_written_by_other_tools() {
    let os = std::ffi::OsStr::new;
    if !ran("python3", &[os("-c"), os("import edfio, pyedflib")]) {
        eprintln!(
            "skipping: python3 with edfio and pyedflib is not installed (.ci/run installs them)"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/edf_variants.py");
    assert!(ran("python3", &[os(script), dir.path().as_os_str()]));
    for name in [
        "edfio_3_plain.edf",
        "pyedflib_2_plus.bdf",
        "pyedflib_8_plain.edf",
    ] {
        let file = dir.path().join(name);
        let out = dir.path().join(format!("{name}-out"));
        let (file, out) = (file.as_os_str(), out.as_os_str());
        for args in [
            [os("analyze"), file, os("--format"), os("json")].as_slice(),
            &[
                os("replay"),
                file,
                os("--speed"),
                os("max"),
                os("--out"),
                out,
            ],
            &[os("report"), file, os("-o"), out],
        ] {
            assert!(ran(env!("CARGO_BIN_EXE_tonus"), args), "{args:?}");
        }
    }
}
