//! The engine thread's per-sample path allocates nothing: a counting allocator watches the engine
//! loop while it processes 14 s of a session (two contractions start and end, their events go
//! to a subscriber, the display snapshot is published after every block), and catches a
//! deliberate allocation to show that it would see one.

mod common;

use std::sync::atomic::Ordering;

use common::{blocks, recording, VecFeed};
use tonus_analysis::{Session, SessionConfig};
use tonus_core::EventKind;
use tonus_pipeline::Pipeline;
use tonus_sim::Profile;
use tonus_testkit::allocations_during;

#[global_allocator]
static GLOBAL: tonus_testkit::Counting = tonus_testkit::Counting;

#[test]
fn the_engine_loop_allocates_nothing_per_sample() {
    // glazer-mini at 1 kHz: pre_baseline 0–8 s, phasic 8–23 s (flicks at 8, 13 and 18 s).
    let rec = recording(Profile::Normal, 2);
    let all = blocks(&rec, 16);
    let feed = VecFeed::new(rec.channels.clone(), all);
    let available = std::sync::Arc::clone(&feed.available);
    let session =
        Session::new(&rec.channels, &rec.markers, None, SessionConfig::default()).expect("session");
    let mut builder = Pipeline::builder(Box::new(feed), session);
    let events = builder.subscribe(4096);
    let (mut engine, mut display) = builder.into_loop();
    let block_at = |t: f64| (t * 1000.0 / 16.0) as usize;
    // Warm up to 8.5 s: mains head, calibration, the phasic phase's start.
    available.store(block_at(8.5), Ordering::SeqCst);
    engine.step();
    let before = events.len();
    // 8.5 s to 22.5 s, one block at a time as a live feed delivers them.
    let n = allocations_during(|| {
        for k in block_at(8.5)..block_at(22.5) {
            available.store(k + 1, Ordering::SeqCst);
            engine.step();
        }
    });
    let during: Vec<_> = events.try_iter().skip(before).collect();
    let ended = during
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Contraction { .. }))
        .count();
    assert!(ended >= 2, "the window holds contractions: {during:?}");
    assert!(display.read().blocks as usize >= block_at(22.5) - 1);
    assert_eq!(
        n, 0,
        "the engine loop allocated {n} times over 14 s of samples"
    );
    // The counter is live: a deliberate allocation is seen.
    assert_eq!(
        allocations_during(|| drop(std::hint::black_box(vec![1u8; 64]))),
        1
    );
}
