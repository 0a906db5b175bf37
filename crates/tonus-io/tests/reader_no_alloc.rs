//! The real-time contract of acquisition: once streaming, the reader thread (decode, convert, push
//! into the ring) allocates nothing per frame. This file holds one test, so the counting allocator
//! sees only this process's three threads: the virtual sensor (allocation-free per frame), the reader,
//! and the consumer below (which only pops).

use std::time::{Duration, Instant};

use tonus_io::serial::{Acquisition, AcquisitionConfig};
use tonus_sim::sensor::{self, SensorConfig};
use tonus_sim::{generate, ScenarioConfig};

#[global_allocator]
static GLOBAL: tonus_testkit::Counting = tonus_testkit::Counting;

#[test]
fn streaming_allocates_nothing_per_frame() {
    let config = ScenarioConfig {
        protocol: "glazer-mini".into(),
        seconds: Some(8.0),
        ..ScenarioConfig::default()
    };
    let recording = generate(&config).expect("session").recording;
    let sensor = sensor::start(
        recording,
        SensorConfig {
            speed: 2.0,
            ..SensorConfig::default()
        },
        None,
    )
    .expect("pty");
    let mut acq = Acquisition::start(AcquisitionConfig::new(sensor.path())).expect("acquisition");
    // Warm up: first frames, first Status, lazily initialised thread state.
    let warm = Instant::now();
    while warm.elapsed() < Duration::from_millis(1200) {
        while acq.pop().is_some() {}
        std::thread::sleep(Duration::from_millis(2));
    }
    let before = tonus_testkit::total_allocations();
    let blocks_before = acq.blocks_pushed();
    let window = Instant::now();
    let mut popped = 0u64;
    while window.elapsed() < Duration::from_millis(1000) {
        while acq.pop().is_some() {
            popped += 1;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let allocations = tonus_testkit::total_allocations() - before;
    let blocks = acq.blocks_pushed() - blocks_before;
    drop(acq);
    drop(sensor);
    assert!(
        blocks > 200 && popped > 200,
        "streamed {blocks} blocks in the window"
    );
    assert_eq!(
        allocations, 0,
        "{allocations} allocations while {blocks} blocks streamed"
    );
}
