//! The engine's per-sample path allocates nothing, including when it drops the oldest half of its
//! history (every 15 minutes): the contractions in it are measured, the artifact runs and phase
//! sums fed, the rings shortened, all in room reserved up front. A counting allocator watches 200 s
//! of a 34-minute session around the first drop (at minute 30), and catches a deliberate
//! allocation to show that it would see one.

mod common;

use tonus_analysis::{AnalysisConfig, Engine};
use tonus_testkit::allocations_during;

#[global_allocator]
static GLOBAL: tonus_testkit::Counting = tonus_testkit::Counting;

#[test]
fn dropping_history_allocates_nothing() {
    let rec = common::five_sessions_back_to_back();
    let mut engine = Engine::new(&rec.channels, AnalysisConfig::default()).expect("engine");
    engine.reserve(rec.duration_s());
    for m in &rec.markers {
        engine.mark(m.clone());
    }
    let block = 16;
    let mut at = 0;
    let mut feed_to = |engine: &mut Engine, t: f64| {
        let to = ((t * 1000.0) as usize).min(rec.samples[0].len());
        while at < to {
            let n = block.min(to - at);
            for (c, s) in rec.samples.iter().enumerate() {
                engine.process(c, &s[at..at + n]);
            }
            at += n;
        }
    };
    feed_to(&mut engine, 1700.0);
    let held = engine.view(0).expect("pelvic").history.len();
    assert_eq!(held, 17_000, "nothing dropped before minute 30");
    let n = allocations_during(|| feed_to(&mut engine, 1900.0));
    let held = engine.view(0).expect("pelvic").history.len();
    // Cut to the last 15 minutes at minute 30, then 100 s more.
    assert_eq!(held, 10_000, "the drop at minute 30 happened");
    assert_eq!(
        n, 0,
        "the engine allocated {n} times over 200 s around the drop"
    );
    // The counter is live: a deliberate allocation is seen.
    assert_eq!(
        allocations_during(|| drop(std::hint::black_box(vec![1u8; 64]))),
        1
    );
    // And the report still has every part's contractions.
    let report = engine.finish();
    assert!(report.contractions_on("pelvic").any(|c| c.onset_s < 410.0));
    assert!(report.contractions_on("pelvic").any(|c| c.onset_s > 1640.0));
}
