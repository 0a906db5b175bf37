//! `tonus analyze` on the committed simulated fixtures: the JSON follows DESIGN.md's output contract
//! and each profile's pattern equals the one its ground-truth file expects; text and CSV formats;
//! malformed input gives one located error; hum the automatic notch misses is flagged as such and
//! notched with `--notch`.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn analyze(file: &str, format: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tonus"))
        .args(["analyze", file, "--format", format])
        .current_dir(root())
        .output()
        .expect("run tonus")
}

#[test]
fn json_follows_the_output_contract_and_matches_the_truth_pattern() {
    for profile in ["normal", "overactive", "weak", "accessory"] {
        let out = analyze(&format!("fixtures/sim/{profile}.csv"), "json");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        for key in [
            "source",
            "quality",
            "contractions",
            "phases",
            "flags",
            "pattern",
        ] {
            assert!(report.get(key).is_some(), "{profile}: missing {key}");
        }
        assert!(report["source"]["duration_s"].as_f64().expect("duration") > 70.0);
        for c in report["contractions"].as_array().expect("contractions") {
            for key in [
                "channel", "onset_s", "peak_s", "offset_s", "peak", "mean", "pct_mvc",
            ] {
                assert!(c.get(key).is_some(), "contraction lacks {key}");
            }
        }
        for f in report["flags"].as_array().expect("flags") {
            for key in [
                "code", "start_s", "end_s", "severity", "evidence", "message",
            ] {
                assert!(f.get(key).is_some(), "flag lacks {key}");
            }
        }
        let truth: Value = serde_json::from_str(
            &std::fs::read_to_string(root().join(format!("fixtures/sim/{profile}.truth.json")))
                .expect("truth"),
        )
        .expect("truth JSON");
        assert_eq!(
            report["pattern"]["label"], truth["expected"]["pattern"],
            "{profile}"
        );
    }
}

#[test]
fn text_and_csv_formats() {
    let out = analyze("fixtures/sim/weak.csv", "text");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Pattern suggested: weak"), "{text}");
    assert!(text.contains("not a diagnosis"));
    // The assessment by domain, in the ICS words, each with its measurements.
    assert!(text.contains("Assessment by domain (ICS terms)"), "{text}");
    for line in [
        "Resting tone: normal.",
        "Voluntary contraction: weak.",
        "Relaxation after contraction: complete.",
        "Endurance: reduced.",
        "Coordination: normal.",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    let out = analyze("fixtures/sim/weak.csv", "csv");
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.starts_with("channel,phase,onset_s,peak_s,offset_s,peak,mean,pct_mvc"));
    assert!(csv.lines().count() > 5);
}

#[test]
fn malformed_input_gives_one_located_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("bad.csv");
    std::fs::write(&p, "t,pelvic[uV]\n0,1\n0.001,1,2\n").expect("write");
    let out = analyze(p.to_str().expect("path"), "json");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("bad.csv:3") && err.contains("ragged"), "{err}");
    std::fs::write(&p, "t,anal[mmHg]\n0,1\n0.001,1\n").expect("write");
    let err =
        String::from_utf8_lossy(&analyze(p.to_str().expect("path"), "json").stderr).into_owned();
    assert!(err.contains("no EMG channel"), "{err}");
    // A bad number 2.5 s in, found while the analysis streams the file: one line, the file named
    // once, with its line and column.
    let mut text = String::from("t,pelvic[uV]\n");
    for i in 0..5000 {
        let v = if i == 4999 {
            "x1".to_string()
        } else {
            format!("{}", i % 7)
        };
        text.push_str(&format!("{},{v}\n", i as f64 / 2000.0));
    }
    std::fs::write(&p, text).expect("write");
    let err =
        String::from_utf8_lossy(&analyze(p.to_str().expect("path"), "json").stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("bad.csv:5001: column 2"), "{err}");
    assert_eq!(err.matches("bad.csv").count(), 1, "{err}");
}

#[test]
fn the_artifacts_fixture_raises_every_quality_flag() {
    let out = analyze("fixtures/sim/artifacts.csv", "json");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let codes: Vec<&str> = report["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .map(|f| f["code"].as_str().expect("code"))
        .collect();
    let truth: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("fixtures/sim/artifacts.truth.json")).expect("truth"),
    )
    .expect("truth JSON");
    for want in truth["expected"]["flags"].as_array().expect("flags") {
        assert!(
            codes.contains(&want.as_str().expect("code")),
            "missing {want}: {codes:?}"
        );
    }
    assert_eq!(report["pattern"]["label"], "within_reference");
}

#[test]
fn a_protocol_gives_phases_to_a_file_without_markers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bare = dir.path().join("bare.csv");
    // The weak fixture without its marker labels.
    let text = std::fs::read_to_string(root().join("fixtures/sim/weak.csv")).expect("fixture");
    let stripped: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l}\n")
            } else {
                format!("{},\n", l.rsplit_once(',').map_or(l, |x| x.0))
            }
        })
        .collect();
    std::fs::write(&bare, stripped).expect("write");
    let toml = dir.path().join("mini.toml");
    // glazer-mini as a user-written script (the simulator's timeline for the fixtures).
    std::fs::write(
        &toml,
        "name = \"mini\"\ndescription = \"glazer-mini\"\n\
         [[phases]]\nname = \"pre_baseline\"\nkind = \"rest\"\nseconds = 8\n\
         [[phases]]\nname = \"phasic\"\nkind = \"contractions\"\nreps = 3\non_s = 2\noff_s = 3\n\
         [[phases]]\nname = \"tonic\"\nkind = \"contractions\"\nreps = 2\non_s = 4\noff_s = 5\n\
         [[phases]]\nname = \"endurance\"\nkind = \"contractions\"\nreps = 1\non_s = 10\noff_s = 4\n\
         [[phases]]\nname = \"post_baseline\"\nkind = \"rest\"\nseconds = 8\n\
         [[phases]]\nname = \"push\"\nkind = \"push\"\nreps = 2\non_s = 3\noff_s = 5\n",
    )
    .expect("write toml");
    let out = Command::new(env!("CARGO_BIN_EXE_tonus"))
        .args([
            "analyze",
            bare.to_str().expect("path"),
            "--protocol",
            toml.to_str().expect("path"),
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let phases: Vec<&str> = report["phases"]
        .as_array()
        .expect("phases")
        .iter()
        .map(|p| p["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        phases,
        [
            "pre_baseline",
            "phasic",
            "tonic",
            "endurance",
            "post_baseline",
            "push"
        ]
    );
    assert_eq!(report["pattern"]["label"], "weak");
    let bad = Command::new(env!("CARGO_BIN_EXE_tonus"))
        .args([
            "analyze",
            bare.to_str().expect("path"),
            "--protocol",
            "glazzer",
        ])
        .output()
        .expect("run");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown protocol 'glazzer'"));
}

#[test]
fn a_folder_gives_one_json_per_recording_and_a_summary_row_each() {
    let data = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(data.path().join("week2")).expect("mkdir");
    for (from, to) in [
        ("normal", "normal.csv"),
        ("overactive", "week2/overactive.csv"),
    ] {
        std::fs::copy(
            root().join(format!("fixtures/sim/{from}.csv")),
            data.path().join(to),
        )
        .expect("copy");
    }
    std::fs::write(
        data.path().join("ragged.csv"),
        "t,emg[uV]\n0.0,1.0\n0.0005\n",
    )
    .expect("write");
    let mut outputs = Vec::new();
    for jobs in ["1", "2"] {
        let out_dir = tempfile::tempdir().expect("tempdir");
        let out = Command::new(env!("CARGO_BIN_EXE_tonus"))
            .args([
                "analyze",
                &data.path().display().to_string(),
                "--jobs",
                jobs,
                "--out",
            ])
            .arg(out_dir.path())
            .output()
            .expect("run tonus");
        // One bad file fails the command, after the others are analysed.
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("ragged.csv:3"), "{stderr}");
        let summary = std::fs::read_to_string(out_dir.path().join("summary.csv")).expect("summary");
        let rows: Vec<&str> = summary.lines().collect();
        assert_eq!(rows.len(), 4, "{summary}");
        assert!(rows[0].starts_with("file,status,"));
        assert!(
            rows[1].starts_with("normal.csv,ok,") && rows[1].contains(",within_reference,"),
            "{summary}"
        );
        assert!(
            rows[2].starts_with("ragged.csv,error,") && rows[2].contains("ragged.csv:3"),
            "{summary}"
        );
        assert!(
            rows[3].starts_with("week2/overactive.csv,ok,") && rows[3].contains(",overactive,"),
            "{summary}"
        );
        // Each JSON equals what single-file analysis prints.
        let mut reports = Vec::new();
        for (name, fixture) in [("normal", "normal"), ("week2/overactive", "overactive")] {
            let json = std::fs::read(out_dir.path().join(format!("{name}.json"))).expect("json");
            let single = analyze(&format!("fixtures/sim/{fixture}.csv"), "json");
            assert_eq!(json, single.stdout, "{name}");
            reports.push(json);
        }
        outputs.push(reports);
    }
    assert_eq!(
        outputs[0], outputs[1],
        "results depend on the number of threads"
    );
}

/// The hum flag's sentence for `file` analysed with `extra` arguments.
fn hum_message(file: &Path, extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tonus"))
        .arg("analyze")
        .arg(file)
        .args(extra)
        .output()
        .expect("run tonus");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    mains_message(&serde_json::from_slice(&out.stdout).expect("json"))
}

/// The `mains_interference` flag's sentence in a report (empty without the flag).
fn mains_message(report: &Value) -> String {
    report["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .find(|f| f["code"] == "mains_interference")
        .and_then(|f| f["message"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn hum_the_first_seconds_hide_is_flagged_and_notched_on_request() {
    // 50 Hz hum over noise for 20 s; the first second also carries a squeeze (broadband, 20x the
    // noise). The flag reads the median second of the first four and finds the hum; the automatic
    // notch decision reads the four seconds as one spectrum, where the squeeze hides it. The flag
    // says so and names the notch; `--notch 50` applies it.
    let (rate, mut s) = (2000.0, 0x9E37_79B9_7F4A_7C15u64);
    let mut uniform = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    };
    let mut csv = String::from("t,pelvic[uV]\n");
    for i in 0..(20.0 * rate) as usize {
        let t = i as f64 / rate;
        let noise: f64 = (0..4).map(|_| uniform()).sum();
        let squeeze = if t < 1.0 { 20.0 } else { 1.0 };
        let hum = (2.0 * std::f64::consts::PI * 50.0 * t).sin();
        csv += &format!("{t:.4},{:.5}\n", squeeze * noise + hum);
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("hum.csv");
    std::fs::write(&file, csv).expect("write");
    let auto = hum_message(&file, &[]);
    assert!(
        auto.contains("50 Hz hum") && auto.contains("did not notch it: a 50 Hz notch"),
        "{auto}"
    );
    let notched = hum_message(&file, &["--notch", "50"]);
    assert!(notched.contains("this analysis notched it"), "{notched}");
    // `tonus report` shows the same flag and takes the same option.
    let out = dir.path().join("report");
    let run = Command::new(env!("CARGO_BIN_EXE_tonus"))
        .arg("report")
        .arg(&file)
        .args(["--notch", "50", "-o"])
        .arg(&out)
        .output()
        .expect("run tonus");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report = std::fs::read(out.join("hum.json")).expect("report json");
    let flag = mains_message(&serde_json::from_slice(&report).expect("json"));
    assert!(flag.contains("this analysis notched it"), "{flag}");
    // `tonus replay` (the live session's engine over the file) takes it too.
    for (notch, says) in [
        (None, "did not notch it"),
        (Some("50"), "this analysis notched it"),
    ] {
        let out = dir
            .path()
            .join(format!("replay-{}", notch.unwrap_or("auto")));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tonus"));
        cmd.arg("replay").arg(&file).arg("--out").arg(&out);
        if let Some(hz) = notch {
            cmd.args(["--notch", hz]);
        }
        let run = cmd.output().expect("run tonus");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let report = std::fs::read(out.join("report.json")).expect("report json");
        let flag = mains_message(&serde_json::from_slice(&report).expect("json"));
        assert!(flag.contains(says), "replay --notch {notch:?}: {flag}");
    }
    let bad = Command::new(env!("CARGO_BIN_EXE_tonus"))
        .args(["analyze", "x.csv", "--notch", "55"])
        .output()
        .expect("run tonus");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("must be 50 or 60"));
}
