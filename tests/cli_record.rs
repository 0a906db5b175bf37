//! `tonus sim` (virtual sensor on a pty) and `tonus record` as processes: the recording equals the
//! generated session sample for sample; Ctrl-C stops cleanly with the file complete; a bad port gives
//! one clear error.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tonus_core::Unit;
use tonus_io::csv::read_recording;
use tonus_sim::sensor::to_count;
use tonus_sim::{generate, Profile, ScenarioConfig};

fn tonus() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tonus"))
}

/// Starts `tonus sim --link LINK ...` and waits for the link to appear.
fn sim(link: &Path, seconds: &str) -> Child {
    let child = tonus()
        .args([
            "sim",
            "--protocol",
            "glazer-mini",
            "--seed",
            "3",
            "--seconds",
            seconds,
            "--link",
        ])
        .arg(link)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn sim");
    let t0 = Instant::now();
    while !link.exists() && t0.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

#[test]
fn a_recording_equals_the_simulated_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let link = dir.path().join("sensor");
    let out = dir.path().join("rec.csv");
    let mut sensor = sim(&link, "4");
    let status = tonus()
        .args(["record", "--seconds", "2", "--port"])
        .arg(&link)
        .arg("-o")
        .arg(&out)
        .status()
        .expect("record");
    assert!(status.success());
    let _ = sensor.kill();
    let _ = sensor.wait();
    let rec = read_recording(&out, None).expect("the recording reads back");
    let n = rec.samples[0].len();
    assert!((3800..=4400).contains(&n), "{n} samples in 2 s at 2 kHz");
    let config = ScenarioConfig {
        protocol: "glazer-mini".into(),
        seed: 3,
        seconds: Some(4.0),
        profile: Profile::Normal,
        ..Default::default()
    };
    let session = generate(&config).expect("session");
    for (c, ch) in session.recording.channels.iter().enumerate() {
        let (scale, offset) = if ch.unit == Unit::MmHg {
            (0.01f32, -5.0f32)
        } else {
            (0.023_437_5f32, 0.0f32)
        };
        for (i, got) in rec.samples[c].iter().enumerate() {
            let want = f64::from(offset)
                + f64::from(scale) * f64::from(to_count(session.recording.samples[c][i], ch.unit));
            assert_eq!(*got, want, "channel {c} sample {i}");
        }
    }
}

#[test]
fn ctrl_c_stops_recording_with_the_file_complete() {
    let dir = tempfile::tempdir().expect("tempdir");
    let link = dir.path().join("sensor");
    let out = dir.path().join("rec.csv");
    let mut sensor = sim(&link, "10");
    let rec = tonus()
        .args(["record", "--port"])
        .arg(&link)
        .arg("-o")
        .arg(&out)
        .stderr(Stdio::piped())
        .spawn()
        .expect("record");
    std::thread::sleep(Duration::from_millis(1500));
    let killed = Command::new("kill")
        .args(["-INT", &rec.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let output = rec.wait_with_output().expect("record exits");
    let _ = sensor.kill();
    let _ = sensor.wait();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("recorded"));
    let text = std::fs::read_to_string(&out).expect("file");
    assert!(text.ends_with('\n'), "last row complete");
    let back = read_recording(&out, None).expect("reads back");
    assert!(back.samples[0].len() > 1000);
}

#[test]
fn a_bad_port_gives_one_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = tonus()
        .args(["record", "--port", "/dev/no-such-tonus-port", "-o"])
        .arg(dir.path().join("x.csv"))
        .output()
        .expect("run");
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("/dev/no-such-tonus-port") && err.contains("cannot open"),
        "{err}"
    );
}

/// Runs `tonus record` against a pty whose other end is driven by `device`; returns stderr.
fn record_against(device: impl FnOnce(serialport::TTYPort) + Send + 'static) -> (bool, String) {
    let (master, slave) = serialport::TTYPort::pair().expect("pty");
    let path = serialport::SerialPort::name(&slave).expect("name");
    let dev = std::thread::spawn(move || device(master));
    let dir = tempfile::tempdir().expect("tempdir");
    let o = tonus()
        .args(["record", "--port", &path, "-o"])
        .arg(dir.path().join("x.csv"))
        .output()
        .expect("run");
    let _ = dev.join();
    drop(slave);
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn a_device_that_never_answers_gives_one_clear_error() {
    let (ok, err) = record_against(|_master| std::thread::sleep(Duration::from_millis(2500)));
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no Tonus device answered"), "{err}");
}

#[test]
fn a_device_of_another_protocol_version_gives_one_clear_error() {
    use std::io::{Read, Write};
    let (ok, err) = record_against(|mut master| {
        let _ = serialport::SerialPort::set_timeout(&mut master, Duration::from_millis(50));
        let mut buf = [0u8; 64];
        for _ in 0..60 {
            if master.read(&mut buf).map(|n| n > 0).unwrap_or(false) {
                let mut out = [0u8; tonus_protocol::MAX_WIRE_FRAME];
                let msg = tonus_protocol::Message::Pong { token: 0 };
                let n = tonus_protocol::encode_frame_with_version(2, 0, &msg, &mut out)
                    .expect("encodes");
                let _ = master.write_all(&out[..n]);
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(300));
    });
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("protocol v2") && err.contains("v1"), "{err}");
}

#[test]
fn a_bdf_recording_killed_mid_session_holds_every_whole_second() {
    let dir = tempfile::tempdir().expect("tempdir");
    let link = dir.path().join("sensor");
    let out = dir.path().join("rec.bdf");
    let mut sensor = sim(&link, "30");
    let mut recorder = tonus()
        .args(["record", "--port"])
        .arg(&link)
        .arg("-o")
        .arg(&out)
        .stderr(Stdio::null())
        .spawn()
        .expect("record");
    std::thread::sleep(Duration::from_millis(3500));
    recorder.kill().expect("SIGKILL"); // no chance to finish the file
    let _ = recorder.wait();
    let _ = sensor.kill();
    let _ = sensor.wait();
    let file = tonus_io::edf::read_edf(&out).expect("the interrupted file reads");
    // The header's record count is rewritten after every record, so the file is either
    // consistent or one record ahead of its header (`interrupted`); both read in full.
    let seconds = file.records as usize;
    // Started within the 3.5 s; everything up to at most one second before the kill is there.
    assert!((2..=4).contains(&seconds), "{seconds} whole seconds");
    let config = ScenarioConfig {
        protocol: "glazer-mini".into(),
        seed: 3,
        seconds: Some(30.0),
        profile: Profile::Normal,
        ..Default::default()
    };
    let session = generate(&config).expect("session");
    for (c, ch) in session.recording.channels.iter().enumerate() {
        let rate = ch.rate_hz as usize;
        assert_eq!(
            file.recording.samples[c].len(),
            seconds * rate,
            "channel {c}"
        );
        let (scale, offset) = if ch.unit == Unit::MmHg {
            (f64::from(0.01f32), -5.0)
        } else {
            (0.023_437_5, 0.0)
        };
        let step = file.channels[c].step(file.depth);
        for (i, got) in file.recording.samples[c].iter().enumerate() {
            let want =
                offset + scale * f64::from(to_count(session.recording.samples[c][i], ch.unit));
            assert!(
                (got - want).abs() <= 0.5 * step + 1e-9,
                "channel {c} sample {i}: {got} vs {want}"
            );
        }
    }
}

#[test]
fn edf_refuses_a_24_bit_channel_it_would_truncate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = tonus()
        .args(["record", "--simulated", "normal", "--seconds", "1", "-o"])
        .arg(dir.path().join("rec.edf"))
        .output()
        .expect("record");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("24-bit") && err.contains(".bdf"), "{err}");
}

#[test]
fn a_simulated_session_records_its_phases_and_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("session.csv");
    let run = tonus()
        .args([
            "record",
            "--simulated",
            "overactive",
            "--protocol",
            "glazer-mini",
            "--speed",
            "8",
            "--report",
            "-o",
        ])
        .arg(&out)
        .output()
        .expect("record");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let config = ScenarioConfig {
        protocol: "glazer-mini".into(),
        profile: Profile::Overactive,
        ..Default::default()
    };
    let session = generate(&config).expect("session");
    let rec = read_recording(&out, None).expect("the recording reads back");
    // The whole script, and its phases at their times (to one sample).
    assert_eq!(rec.samples[0].len(), session.recording.samples[0].len());
    assert_eq!(rec.markers.len(), session.recording.markers.len());
    for (got, want) in rec.markers.iter().zip(&session.recording.markers) {
        assert_eq!(got.label, want.label);
        assert!(
            (got.time_s - want.time_s).abs() <= 1.0 / 2000.0,
            "{got:?} vs {want:?}"
        );
    }
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("session.report.json")).expect("report"),
    )
    .expect("JSON");
    assert_eq!(
        report["pattern"]["label"],
        session.truth.expected.pattern.as_str()
    );
    let summary = String::from_utf8_lossy(&run.stdout);
    assert!(
        summary.contains("Pattern suggested: overactive"),
        "{summary}"
    );
}
