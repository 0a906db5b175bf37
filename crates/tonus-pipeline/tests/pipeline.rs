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
        // Uneven blocks, as a sensor's frames arrive.
        let feed = VecFeed::new(rec.channels.clone(), blocks(&rec, 37));
        let mut builder = Pipeline::builder(Box::new(feed), session(&rec));
        builder = builder.record(Box::new(recorder), read_back.clone());
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
    assert!(n > 0 && n % 64 == 0, "whole blocks: {n}");
    assert!(
        (n as f64 / 1000.0 - at_s).abs() <= 0.064 * 10.0,
        "{n} samples vs stop at {at_s}"
    );
    for (c, s) in rec.samples.iter().enumerate() {
        assert_eq!(back.samples[c][..], s[..n], "channel {c}");
    }
}
