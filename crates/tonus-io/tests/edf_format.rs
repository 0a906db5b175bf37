//! EDF+/BDF+: round trips within one digital step with channels at their own rates and markers as
//! annotations; an interrupted recording reads up to its last whole second; malformed files give
//! one located error; and interop both ways with Python `edfio` (an independent implementation;
//! skipped with a message when python3 or edfio is missing — `.ci/run` installs it).

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use tonus_core::{ChannelInfo, Marker, Recording, Unit};
use tonus_io::edf::{read_edf, write_recording, Depth, EdfChannel, EdfError, EdfWriter};

fn session() -> Recording {
    let emg: Vec<f64> = (0..2000 * 5 + 700)
        .map(|i| {
            let t = i as f64 / 2000.0;
            40.0 * (2.0 * std::f64::consts::PI * 83.0 * t).sin() * (1.0 + t) + 2.0
        })
        .collect();
    let pressure: Vec<f64> = (0..100 * 5 + 35)
        .map(|i| 35.0 + (i as f64 / 100.0).powi(2))
        .collect();
    Recording {
        channels: vec![
            ChannelInfo {
                name: "pelvic".into(),
                unit: Unit::Microvolt,
                rate_hz: 2000.0,
            },
            ChannelInfo {
                name: "anal".into(),
                unit: Unit::MmHg,
                rate_hz: 100.0,
            },
        ],
        samples: vec![emg, pressure],
        markers: vec![
            Marker {
                time_s: 0.0,
                label: "pre_baseline".into(),
            },
            Marker {
                time_s: 2.5,
                label: "gap:3".into(),
            },
            Marker {
                time_s: 4.0125,
                label: "quick_flicks".into(),
            },
        ],
    }
}

fn assert_within_step(name: &str, got: &[f64], want: &[f64], step: f64) {
    assert_eq!(got.len(), want.len(), "{name}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= step * 0.5 + 1e-9 * w.abs(),
            "{name}[{i}]: {g} vs {w} (step {step})"
        );
    }
}

#[test]
fn round_trip_within_one_digital_step_edf_and_bdf() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = session();
    for depth in [Depth::Edf16, Depth::Bdf24] {
        let path = dir.path().join("s.edf");
        let records = write_recording(&path, &rec, depth).expect("write");
        assert_eq!(records, 6, "5.35 s in one-second records");
        let file = read_edf(&path).expect("read");
        assert_eq!(file.depth, depth);
        assert!(!file.interrupted);
        assert_eq!(file.recording.channels, rec.channels);
        assert_eq!(file.recording.markers, rec.markers);
        for (c, ch) in file.channels.iter().enumerate() {
            assert_within_step(
                &ch.info.name,
                &file.recording.samples[c],
                &rec.samples[c],
                ch.step(depth),
            );
        }
    }
}

#[test]
fn an_interrupted_recording_reads_up_to_its_last_whole_second() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("crash.edf");
    let rec = session();
    let channels: Vec<EdfChannel> = rec
        .channels
        .iter()
        .map(|c| EdfChannel::new(c.clone(), -200.0, 200.0))
        .collect();
    let mut w = EdfWriter::create(&path, &channels, Depth::Edf16).expect("create");
    w.annotate(0.0, "pre_baseline");
    w.push(0, &rec.samples[0][..7000]).expect("push");
    w.push(1, &rec.samples[1][..350]).expect("push");
    // The process dies here: no finish(). Nothing buffered beyond the OS-flushed records may matter.
    std::mem::forget(w);
    let file = read_edf(&path).expect("read");
    // The header's record count follows the records written, so the file is complete as it is,
    // for every reader (edfio and pyedflib below), with no end annotation.
    assert!(!file.interrupted);
    assert_eq!(file.records, 3);
    if let Some(out) = script(
        "edf_interop.py",
        "edfio, pyedflib",
        &[std::ffi::OsStr::new("read-both"), path.as_os_str()],
    ) {
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(v["edfio_records"], 3, "{v}");
        assert_eq!(v["pyedflib_samples"], 6000, "{v}");
    }
    // Killed between a record and its count: one whole record more than the header says.
    let mut bytes = std::fs::read(&path).expect("read");
    bytes[236..244].copy_from_slice(b"2       ");
    std::fs::write(&path, &bytes).expect("write");
    let file = read_edf(&path).expect("read");
    assert!(file.interrupted);
    assert_eq!(file.records, 3);
    assert_eq!(file.recording.samples[0].len(), 6000);
    assert_eq!(file.recording.samples[1].len(), 300);
    assert_within_step(
        "pelvic",
        &file.recording.samples[0],
        &rec.samples[0][..6000],
        400.0 / 65535.0,
    );
    assert_eq!(
        file.recording.markers,
        vec![Marker {
            time_s: 0.0,
            label: "pre_baseline".into()
        }]
    );
}

#[test]
fn malformed_files_give_one_located_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("s.edf");
    write_recording(&path, &session(), Depth::Edf16).expect("write");
    let good = std::fs::read(&path).expect("read");
    let check = |bytes: &[u8], needles: &[&str]| {
        std::fs::write(&path, bytes).expect("write");
        let err = read_edf(&path).expect_err("must fail").to_string();
        assert!(err.contains("s.edf"), "{err}");
        for n in needles {
            assert!(err.contains(n), "{err} lacks {n}");
        }
    };
    // Truncated header.
    check(
        &good[..200],
        &["byte 236", "number of data records", "ends at byte 200"],
    );
    // Wrong record count.
    let mut wrong = good.clone();
    wrong[236..244].copy_from_slice(b"9       ");
    check(&wrong, &["declares 9 data records"]);
    // Truncated data with a finished header.
    check(&good[..good.len() - 10], &["declares 6 data records"]);
    // A number field that is not a number.
    let mut bad = good.clone();
    bad[244..252].copy_from_slice(b"one     ");
    check(
        &bad,
        &[
            "byte 244",
            "duration of a data record",
            "'one' is not a number",
        ],
    );
    // Channels that cannot be stored.
    let mut rec = session();
    rec.channels[0].rate_hz = 2000.5;
    match write_recording(&path, &rec, Depth::Edf16) {
        Err(EdfError::Channel { channel, problem }) => {
            assert_eq!(channel, "pelvic");
            assert!(problem.contains("whole number"), "{problem}");
        }
        other => panic!("expected a channel error, got {other:?}"),
    }
}

/// Runs `scripts/NAME` with python3 when `modules` import (else says why it skips: `None`).
fn script(name: &str, modules: &str, args: &[&std::ffi::OsStr]) -> Option<std::process::Output> {
    let probe = Command::new("python3")
        .args(["-c", &format!("import {modules}")])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipping: python3 with {modules} is not installed (.ci/run installs them)");
        return None;
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts")
        .join(name);
    let out = Command::new("python3")
        .arg(path)
        .args(args)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(out)
}

fn python(args: &[&str]) -> Option<std::process::Output> {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    script("edf_interop.py", "edfio", &args)
}

#[test]
fn edfio_reads_our_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = session();
    for depth in [Depth::Edf16, Depth::Bdf24] {
        let path = dir.path().join(if depth == Depth::Edf16 {
            "s.edf"
        } else {
            "s.bdf"
        });
        write_recording(&path, &rec, depth).expect("write");
        let ours = read_edf(&path).expect("read");
        let Some(out) = python(&["read", path.to_str().expect("path")]) else {
            return;
        };
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let signals = v["signals"].as_array().expect("signals");
        assert_eq!(signals.len(), 2, "edfio hides the annotation signal");
        for (c, s) in signals.iter().enumerate() {
            let ch = &ours.channels[c];
            assert_eq!(s["label"], ch.info.name.as_str());
            assert_eq!(s["unit"], ch.info.unit.symbol());
            assert_eq!(s["rate"].as_f64(), Some(ch.info.rate_hz));
            let theirs: Vec<f64> = s["samples"]
                .as_array()
                .expect("samples")
                .iter()
                .map(|x| x.as_f64().expect("f64"))
                .collect();
            // edfio sees the padded last record; the data up to our end marker must agree.
            let n = rec.samples[c].len();
            assert_eq!(theirs.len(), 6 * ch.info.rate_hz as usize);
            assert_within_step(&ch.info.name, &theirs[..n], &rec.samples[c], ch.step(depth));
        }
        let texts: Vec<(f64, &str)> = v["annotations"]
            .as_array()
            .expect("annotations")
            .iter()
            .map(|a| {
                (
                    a["onset"].as_f64().expect("onset"),
                    a["text"].as_str().expect("text"),
                )
            })
            .collect();
        assert_eq!(
            texts,
            vec![
                (0.0, "pre_baseline"),
                (2.5, "gap:3"),
                (4.0125, "quick_flicks"),
                (5.35, "tonus:end")
            ]
        );
    }
}

#[test]
fn we_read_what_edfio_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("edfio.edf");
    if python(&["write", path.to_str().expect("path")]).is_none() {
        return;
    }
    let file = read_edf(&path).expect("read");
    let r = &file.recording;
    assert_eq!(
        r.channels[0],
        ChannelInfo {
            name: "pelvic".into(),
            unit: Unit::Microvolt,
            rate_hz: 2000.0
        }
    );
    assert_eq!(
        r.channels[1],
        ChannelInfo {
            name: "anal".into(),
            unit: Unit::MmHg,
            rate_hz: 100.0
        }
    );
    let pelvic: Vec<f64> = (0..6000)
        .map(|i| 80.0 * (2.0 * std::f64::consts::PI * 7.0 * i as f64 / 2000.0).sin() + 3.0)
        .collect();
    let anal: Vec<f64> = (0..300).map(|i| 40.0 + 20.0 * i as f64 / 100.0).collect();
    assert_within_step(
        "pelvic",
        &r.samples[0],
        &pelvic,
        file.channels[0].step(file.depth),
    );
    assert_within_step(
        "anal",
        &r.samples[1],
        &anal,
        file.channels[1].step(file.depth),
    );
    assert_eq!(
        r.markers,
        vec![
            Marker {
                time_s: 0.5,
                label: "pre_baseline".into()
            },
            Marker {
                time_s: 1.25,
                label: "squeeze".into()
            }
        ]
    );
}

#[test]
fn no_header_or_data_corruption_panics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("s.edf");
    let mut rec = session();
    for s in &mut rec.samples {
        s.truncate(300);
    }
    write_recording(&path, &rec, Depth::Edf16).expect("write");
    let good = std::fs::read(&path).expect("read");
    let header = 256 * 4;
    // Every header byte, and a stride of data bytes (annotations included), set to awkward values.
    for at in (0..header).chain((header..good.len()).step_by(7)) {
        for v in [b'9', b'-', 0xFF, 0x00, b' '] {
            let mut bytes = good.clone();
            bytes[at] = v;
            std::fs::write(&path, &bytes).expect("write");
            let _ = read_edf(&path); // an error or a file, never a panic
        }
    }
    for len in (0..good.len()).step_by(13) {
        std::fs::write(&path, &good[..len]).expect("write");
        let _ = read_edf(&path);
    }
}

#[test]
fn lost_samples_are_held_at_their_time_and_annotated_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("gap.bdf");
    let info = |name: &str| ChannelInfo {
        name: name.into(),
        unit: Unit::Microvolt,
        rate_hz: 100.0,
    };
    let channels = [
        EdfChannel::new(info("a"), -100.0, 100.0),
        EdfChannel::new(info("b"), -100.0, 100.0),
    ];
    let mut w = EdfWriter::create(&path, &channels, Depth::Bdf24).expect("create");
    let x: Vec<f64> = (0..180).map(|i| (i as f64 * 0.3).sin() * 50.0).collect();
    for c in 0..2 {
        w.push(c, &x[..150]).expect("push");
    }
    // A frame lost on both channels: 20 samples each, annotated once.
    for c in 0..2 {
        w.push_gap(c, 20).expect("gap");
        w.push(c, &x[150..]).expect("push");
    }
    w.finish().expect("finish");
    let file = read_edf(&path).expect("read");
    assert_eq!(
        file.recording.markers,
        vec![Marker {
            time_s: 1.7,
            label: "gap:20".into()
        }]
    );
    let step = file.channels[0].step(Depth::Bdf24);
    for s in &file.recording.samples {
        assert_eq!(s.len(), 200);
        let mut want = x[..150].to_vec();
        want.extend(std::iter::repeat_n(x[149], 20));
        want.extend_from_slice(&x[150..]);
        assert_within_step("held", s, &want, step);
    }
}

/// Plain EDF and BDF (no annotation signal), EDF+ and BDF+ with and without annotations, one to
/// eight signals at mixed rates, as edfio and pyedflib write them (`scripts/edf_variants.py`): read
/// with the same samples (within a millionth of a digital step) and annotations as the writing
/// library reads back.
#[test]
fn we_read_what_edfio_and_pyedflib_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    if script(
        "edf_variants.py",
        "edfio, pyedflib",
        &[dir.path().as_os_str()],
    )
    .is_none()
    {
        return;
    }
    let mut files: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "edf" || e == "bdf"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 32);
    for path in files {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        let ours = read_edf(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let json = std::fs::read(path.with_file_name(format!("{name}.json"))).expect("json");
        let theirs: Value = serde_json::from_slice(&json).expect("JSON");
        let signals = theirs["signals"].as_array().expect("signals");
        assert_eq!(ours.channels.len(), signals.len(), "{name}");
        for (ch, (s, got)) in ours
            .channels
            .iter()
            .zip(signals.iter().zip(&ours.recording.samples))
        {
            assert_eq!(s["label"], ch.info.name.as_str(), "{name}");
            assert_eq!(s["rate"].as_f64(), Some(ch.info.rate_hz), "{name}");
            let want: Vec<f64> = s["samples"]
                .as_array()
                .expect("samples")
                .iter()
                .map(|x| x.as_f64().expect("f64"))
                .collect();
            assert_eq!(got.len(), want.len(), "{name} {}", ch.info.name);
            let tol = 1e-6 * ch.step(ours.depth);
            for (k, (a, b)) in got.iter().zip(&want).enumerate() {
                assert!(
                    (a - b).abs() <= tol,
                    "{name} {} sample {k}: {a} vs {b}",
                    ch.info.name
                );
            }
        }
        let want: Vec<(f64, String)> = theirs["annotations"]
            .as_array()
            .expect("annotations")
            .iter()
            .map(|a| {
                (
                    a["onset"].as_f64().expect("onset"),
                    a["text"].as_str().expect("text").to_string(),
                )
            })
            .collect();
        let got: Vec<(f64, String)> = ours
            .recording
            .markers
            .iter()
            .map(|m| (m.time_s, m.label.clone()))
            .collect();
        assert_eq!(got, want, "{name}");
    }
}

/// EDF+D: records that follow on from each other read as EDF+C; a record that starts elsewhere is
/// a discontinuity, refused with the record, its start and what to do.
#[test]
fn edf_plus_d_reads_when_continuous_and_is_refused_with_a_gap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("d.edf");
    write_recording(&path, &session(), Depth::Edf16).expect("write");
    let mut bytes = std::fs::read(&path).expect("read");
    bytes[192..197].copy_from_slice(b"EDF+D");
    std::fs::write(&path, &bytes).expect("write");
    let continuous = read_edf(&path).expect("a continuous EDF+D reads");
    assert_eq!(
        continuous.recording.samples[0].len(),
        session().samples[0].len()
    );
    // The second record's time-keeping TAL says it starts at 5 s instead of 1 s.
    let header = 256 * 4;
    let record = (bytes.len() - header) / continuous.records as usize;
    let tal_at = header + record + (2000 + 100) * 2;
    assert_eq!(&bytes[tal_at..tal_at + 2], b"+1");
    bytes[tal_at + 1] = b'5';
    std::fs::write(&path, &bytes).expect("write");
    match read_edf(&path) {
        Err(EdfError::Data { problem, .. }) => {
            assert!(problem.contains("record 2 starts at 5 s"), "{problem}");
            assert!(
                problem.contains("EDF+D") && problem.contains("EDF+C"),
                "{problem}"
            );
        }
        other => panic!("expected a discontinuity error, got {other:?}"),
    }
}

/// `repair`: a file whose header says `-1` (or a wrong count) and which ends in an unfinished
/// record becomes a copy with its whole records and the right count, which our reader, edfio and
/// pyedflib open; the original is untouched.
#[test]
fn repair_mends_a_header_that_disagrees_with_the_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken.edf");
    write_recording(&path, &session(), Depth::Edf16).expect("write");
    let whole = read_edf(&path).expect("read").records;
    let mut bytes = std::fs::read(&path).expect("read");
    bytes[236..244].copy_from_slice(b"9       ");
    bytes.extend_from_slice(&[7u8; 100]);
    std::fs::write(&path, &bytes).expect("write");
    assert!(
        read_edf(&path).is_err(),
        "a count of 9 with partial data is refused"
    );
    let fixed = dir.path().join("fixed.edf");
    let r = tonus_io::edf::repair(&path, &fixed).expect("repair");
    assert_eq!((r.declared, r.records, r.partial_bytes), (9, whole, 100));
    assert_eq!(
        std::fs::read(&path).expect("read"),
        bytes,
        "the original is kept"
    );
    let file = read_edf(&fixed).expect("the copy reads");
    assert_eq!(file.records, whole);
    assert_eq!(file.recording.samples[0].len(), session().samples[0].len());
    if let Some(out) = script(
        "edf_interop.py",
        "edfio, pyedflib",
        &[std::ffi::OsStr::new("read-both"), fixed.as_os_str()],
    ) {
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(v["edfio_records"], whole, "{v}");
    }
}

/// A recorder killed inside a record leaves a right count and part of the next record: every whole
/// record reads and the file says it was interrupted.
#[test]
fn a_file_ending_inside_a_record_reads_its_whole_records() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("killed.edf");
    write_recording(&path, &session(), Depth::Edf16).expect("write");
    let whole = read_edf(&path).expect("read");
    assert!(!whole.interrupted);
    let mut bytes = std::fs::read(&path).expect("read");
    bytes.extend_from_slice(&[7u8; 100]);
    std::fs::write(&path, &bytes).expect("write");
    let file = read_edf(&path).expect("reads");
    assert!(file.interrupted);
    assert_eq!(file.records, whole.records);
    assert_eq!(file.recording.samples, whole.recording.samples);
}
