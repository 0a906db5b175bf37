//! The pipeline's invariants (DESIGN.md): no sample lost, duplicated or shifted between the feed,
//! the analysis and the recording; live equals replay; a slow consumer never stalls the engine; a
//! recorder that falls behind stops the session loudly with its file intact.

mod common;

use std::time::Duration;

use common::{blocks, recording, VecFeed};
use tonus_analysis::{analyze, AnalysisConfig, Session, SessionConfig};
use tonus_core::{Event, Recording, SampleBlock};
use tonus_io::csv::read_recording;
use tonus_io::edf::read_edf;
use tonus_io::serial::DeviceChannel;
use tonus_pipeline::{
    FileRecorder, Pipeline, PipelineError, ReadBack, Recorder, ReplayFeed, Speed,
};
use tonus_sim::Profile;

fn session(rec: &Recording) -> Session {
    Session::new(&rec.channels, &rec.markers, None, SessionConfig::default()).expect("session")
}

/// The events and report of the session fed directly, without threads.
fn direct(rec: &Recording) -> (Vec<Event>, tonus_analysis::Report) {
    let mut s = session(rec);
    for (c, x) in rec.samples.iter().enumerate() {
        for chunk in x.chunks(1000) {
            s.push(c, chunk);
        }
    }
    let mut events = Vec::new();
    let report = s.finish(&mut events);
    (events, report)
}

fn device_channels(rec: &Recording) -> Vec<DeviceChannel> {
    rec.channels
        .iter()
        .map(|info| DeviceChannel {
            info: info.clone(),
            scale: 0.01,
            offset: 0.0,
            width: 3,
        })
        .collect()
}

#[test]
fn replay_through_the_threads_equals_the_session_and_batch() {
    let rec = recording(Profile::Overactive, 4);
    let (expected_events, expected_report) = direct(&rec);
    let mut builder = Pipeline::builder(
        Box::new(ReplayFeed::start(rec.clone(), Speed::Max)),
        session(&rec),
    );
    let events = builder.subscribe(100_000);
    let outcome = builder.start().expect("start").join().expect("join");
    let got: Vec<Event> = events.try_iter().collect();
    assert_eq!(got, expected_events);
    assert_eq!(outcome.report, expected_report);
    assert_eq!(
        outcome.report,
        analyze(&rec, AnalysisConfig::default()).expect("batch")
    );
    assert_eq!(outcome.stats.events_dropped, 0);
    assert_eq!(
        outcome.stats.samples,
        rec.samples.iter().map(|s| s.len() as u64).sum::<u64>()
    );
}

#[test]
fn every_sample_is_recorded_once_in_place() {
    let rec = recording(Profile::Overactive, 9);
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["s.csv", "s.bdf"] {
        let path = dir.path().join(name);
        let recorder =
            FileRecorder::create(&path, &device_channels(&rec), &rec.markers).expect("recorder");
        let read_back = recorder.read_back();
        // Uneven blocks, as a sensor's frames arrive. The feed is not paced (it runs many times
        // faster than real time), so the recorder's queue holds the whole session: on a loaded
        // machine a starved recorder thread would otherwise stop the session as behind, which is
        // the real-time guard, not what this test checks.
        let all = blocks(&rec, 37);
        let depth = all.len();
        let feed = VecFeed::new(rec.channels.clone(), all);
        let mut builder = Pipeline::builder(Box::new(feed), session(&rec));
        builder = builder
            .record(Box::new(recorder), read_back.clone())
            .recorder_queue(depth);
        let outcome = builder.start().expect("start").join().expect("join");
        assert_eq!(outcome.recorded, Some(rec.samples[0].len() as u64));
        let back = if name.ends_with(".csv") {
            read_recording(&path, None).expect("csv back")
        } else {
            read_edf(&path).expect("bdf back").recording
        };
        for (c, s) in rec.samples.iter().enumerate() {
            let mut want = s.clone();
            read_back.apply(c, &mut want);
            assert_eq!(back.samples[c], want, "{name}: channel {c}");
        }
        // The phases are in the file at their times; contractions and flags were annotated.
        for m in &rec.markers {
            assert!(
                back.markers
                    .iter()
                    .any(|b| b.label == m.label && (b.time_s - m.time_s).abs() < 1e-3),
                "{name}: marker {m:?} missing"
            );
        }
        if name.ends_with(".bdf") {
            let contractions = back
                .markers
                .iter()
                .filter(|m| m.label.starts_with("contraction:"))
                .count();
            assert!(contractions >= outcome.report.contractions.len());
            assert!(!outcome.report.flags.is_empty());
            for f in &outcome.report.flags {
                let label = format!("flag:{}", f.code);
                assert!(
                    back.markers.iter().any(|m| m.label == label),
                    "{name}: {label} not annotated"
                );
            }
        }
    }
}

#[test]
fn a_slow_subscriber_loses_events_not_samples() {
    let rec = recording(Profile::Overactive, 5);
    let (expected_events, expected_report) = direct(&rec);
    let feed = VecFeed::new(rec.channels.clone(), blocks(&rec, 16));
    let mut builder = Pipeline::builder(Box::new(feed), session(&rec));
    let stuck = builder.subscribe(1); // never read
    let reader = builder.subscribe(100_000);
    let outcome = builder.start().expect("start").join().expect("join");
    assert_eq!(outcome.report, expected_report);
    assert_eq!(reader.try_iter().collect::<Vec<_>>(), expected_events);
    assert_eq!(stuck.len(), 1);
    assert_eq!(
        outcome.stats.events_dropped,
        expected_events.len() as u64 - 1
    );
}

/// A recorder that takes 5 ms per block: far slower than the feed.
struct Slow(FileRecorder);

impl Recorder for Slow {
    fn write_block(&mut self, block: &SampleBlock) -> Result<(), PipelineError> {
        std::thread::sleep(Duration::from_millis(5));
        self.0.write_block(block)
    }
    fn annotate(&mut self, time_s: f64, label: &str) -> Result<(), PipelineError> {
        self.0.annotate(time_s, label)
    }
    fn finish(self: Box<Self>) -> Result<u64, PipelineError> {
        Box::new(self.0).finish()
    }
}

#[test]
fn a_recorder_that_falls_behind_stops_the_session_with_its_file_intact() {
    let rec = recording(Profile::Normal, 6);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("slow.csv");
    let recorder = FileRecorder::create(&path, &device_channels(&rec), &[]).expect("recorder");
    let feed = VecFeed::new(rec.channels.clone(), blocks(&rec, 64));
    let builder = Pipeline::builder(Box::new(feed), session(&rec))
        .record(Box::new(Slow(recorder)), ReadBack::default())
        .recorder_queue(8);
    let err = builder
        .start()
        .expect("start")
        .join()
        .expect_err("must stop");
    let PipelineError::RecorderBehind { at_s, queued } = err else {
        panic!("wrong error: {err}");
    };
    assert_eq!(queued, 8);
    assert!(at_s < rec.duration_s());
    assert!(err.to_string().contains("intact"), "{err}");
    // The file holds an exact prefix of the samples, up to the stop.
    let back = read_recording(&path, None).expect("file readable");
    let n = back.samples[0].len();
    assert!(n > 0 && n.is_multiple_of(64), "whole blocks: {n}");
    assert!(
        (n as f64 / 1000.0 - at_s).abs() <= 0.064 * 10.0,
        "{n} samples vs stop at {at_s}"
    );
    for (c, s) in rec.samples.iter().enumerate() {
        assert_eq!(back.samples[c][..], s[..n], "channel {c}");
    }
}

#[test]
fn a_mark_is_an_event_and_an_annotation_and_replays_the_same() {
    let rec = recording(Profile::Normal, 8);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("marked.bdf");
    let recorder =
        FileRecorder::create(&path, &device_channels(&rec), &rec.markers).expect("recorder");
    let read_back = recorder.read_back();
    let mut builder = Pipeline::builder(
        Box::new(ReplayFeed::start(rec.clone(), Speed::Times(20.0))),
        session(&rec),
    )
    .record(Box::new(recorder), read_back);
    let events = builder.subscribe(100_000);
    let pipeline = builder.start().expect("start");
    std::thread::sleep(Duration::from_millis(500)); // about 10 s of session
    let t = pipeline.mark().expect("mark while running");
    assert!(t > 1.0 && t < rec.duration_s(), "{t}");
    pipeline.join().expect("join");
    let live: Vec<Event> = events.try_iter().collect();
    assert!(live.iter().any(|e| e.time_s == t
        && matches!(&e.kind, tonus_core::EventKind::Marker { label } if label == "mark:1")));
    // The file holds the mark; replaying the file (its input markers) gives the same events.
    let file = read_edf(&path).expect("bdf").recording;
    assert!(file
        .markers
        .iter()
        .any(|m| m.label == "mark:1" && (m.time_s - t).abs() < 1e-3));
    let inputs: Vec<_> = file
        .markers
        .iter()
        .filter(|m| !m.label.starts_with("contraction:") && !m.label.starts_with("flag:"))
        .filter(|m| !m.label.starts_with("tonus:"))
        .cloned()
        .collect();
    let mut replay =
        Session::new(&file.channels, &inputs, None, SessionConfig::default()).expect("session");
    for (c, x) in file.samples.iter().enumerate() {
        replay.push(c, x);
    }
    let mut again = Vec::new();
    replay.finish(&mut again);
    // EDF+ stores annotation times to the 0.1 ms; the mark's event time is the only difference.
    let norm = |v: &[Event]| -> Vec<String> {
        v.iter()
            .map(|e| match &e.kind {
                tonus_core::EventKind::Marker { label } => format!("{label}@{:.3}", e.time_s),
                _ => format!("{e:?}"),
            })
            .collect()
    };
    assert_eq!(norm(&again), norm(&live));
}

#[test]
fn channels_at_different_rates_go_through_at_their_own_rates() {
    // Pressure at 100 Hz beside EMG at 1 kHz, as many manometry-plus-EMG devices send.
    let mut rec = recording(Profile::Overactive, 12);
    rec.samples[2] = rec.samples[2].iter().step_by(10).copied().collect();
    rec.channels[2].rate_hz = 100.0;
    let (expected_events, expected_report) = direct(&rec);
    let mut builder = Pipeline::builder(
        Box::new(ReplayFeed::start(rec.clone(), Speed::Max)),
        session(&rec),
    );
    let events = builder.subscribe(100_000);
    let outcome = builder.start().expect("start").join().expect("join");
    assert_eq!(events.try_iter().collect::<Vec<_>>(), expected_events);
    assert_eq!(outcome.report, expected_report);
    assert_eq!(
        outcome.report,
        analyze(&rec, AnalysisConfig::default()).expect("batch")
    );
    assert!(outcome
        .report
        .phases
        .iter()
        .any(|p| p.metrics.contains_key("squeeze_increment")));
}
