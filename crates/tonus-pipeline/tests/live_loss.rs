//! A live session that loses samples (an engine slowed until the reader's ring overflows) reports
//! exactly what `tonus analyze` reports of the file it saved: the same `signal_gap` flags, the same
//! contractions, the same metrics. Loss is declared, never hidden, live as in replay.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tonus_analysis::{Protocol, Session, SessionConfig};
use tonus_core::FlagCode;
use tonus_core::{Marker, SampleBlock};
use tonus_io::serial::{AcqStats, Acquisition, AcquisitionConfig};
use tonus_pipeline::{
    analyze_file, Feed, FeedStatus, FileAnalysis, FileRecorder, Pipeline, SerialFeed,
};
use tonus_sim::sensor::{self, SensorConfig};
use tonus_sim::{generate, Profile, ScenarioConfig};

/// A serial feed whose consumer freezes for `pause` after every `every` blocks, as an engine on
/// a machine too busy to schedule it would.
struct SlowedFeed {
    inner: SerialFeed,
    every: u64,
    pause: Duration,
    popped: u64,
}

impl Feed for SlowedFeed {
    fn channels(&self) -> &[tonus_core::ChannelInfo] {
        self.inner.channels()
    }
    fn pop(&mut self) -> Option<SampleBlock> {
        let block = self.inner.pop()?;
        self.popped += 1;
        if self.popped.is_multiple_of(self.every) {
            std::thread::sleep(self.pause);
        }
        Some(block)
    }
    fn ended(&self) -> bool {
        self.inner.ended()
    }
    fn poll_status(&mut self) -> Option<FeedStatus> {
        self.inner.poll_status()
    }
    fn stop(&mut self) {
        self.inner.stop();
    }
    fn link_stats(&self) -> Option<AcqStats> {
        self.inner.link_stats()
    }
}

#[test]
fn a_live_session_that_loses_samples_reports_what_analyze_of_its_file_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let protocol = Protocol::load("glazer-mini").expect("protocol");
    let scenario = ScenarioConfig {
        profile: Profile::Overactive,
        protocol: "glazer-mini".into(),
        seed: 11,
        ..ScenarioConfig::default()
    };
    let recording = generate(&scenario).expect("session").recording;
    let speed = 5.0;
    let sensor = sensor::start(
        recording,
        SensorConfig {
            speed,
            ..SensorConfig::default()
        },
        None,
    )
    .expect("virtual sensor");
    let mut config = AcquisitionConfig::new(sensor.path());
    config.ring_blocks = 32; // a quarter of a second at this speed: the pauses below overflow it
    let acq = Acquisition::start(config).expect("acquisition");
    let identity = acq.identity().clone();
    let channels: Vec<_> = identity.channels.iter().map(|c| c.info.clone()).collect();
    let markers = protocol.markers();
    let session = Session::new(
        &channels,
        &markers,
        Some(&protocol),
        SessionConfig::default(),
    )
    .expect("session");
    let path = dir.path().join("recording.bdf");
    let mut notes = vec![Marker {
        time_s: 0.0,
        label: format!("tonus:protocol={}", protocol.name),
    }];
    notes.extend(markers.iter().cloned());
    let recorder = FileRecorder::create(&path, &identity.channels, &notes).expect("recorder");
    let read_back = recorder.read_back();
    let feed = SlowedFeed {
        inner: SerialFeed::new(acq),
        every: 700,
        pause: Duration::from_millis(600),
        popped: 0,
    };
    let pipeline = Pipeline::builder(Box::new(feed), session)
        .record(Box::new(recorder), read_back)
        .start()
        .expect("start");
    let total: f64 = protocol.phases.iter().map(Protocol::phase_seconds).sum();
    let started = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    while started.elapsed().as_secs_f64() < total / speed + 0.5 && !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(50));
    }
    pipeline.stop();
    let outcome = pipeline.join().expect("join");
    let _ = sensor.stop();
    let link = outcome.stats.link.expect("link stats");
    assert!(
        link.ring_overruns > 0,
        "the slowed engine lost nothing: {link:?}"
    );
    let lost = link.gap_samples[0];
    assert!(lost > 0);
    let offline = analyze_file(&path, &FileAnalysis::default()).expect("analyze the saved file");
    let live = &outcome.report;
    let gaps = |r: &tonus_analysis::Report| {
        r.flags
            .iter()
            .filter(|f| f.code == FlagCode::SignalGap)
            .count()
    };
    assert!(gaps(live) > 0, "the live report hides the loss");
    assert_eq!(gaps(live), gaps(&offline));
    assert_eq!(live.flags, offline.flags);
    assert_eq!(live.contractions, offline.contractions);
    assert_eq!(live, &offline);
}
