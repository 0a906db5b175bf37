//! The real-time contract: after construction, processing a block allocates nothing.
//!
//! A counting global allocator wraps the system one; each test builds its processors, then counts the
//! allocations its own thread makes while processing many blocks, and requires zero. (Counting per
//! thread keeps the test harness's other threads out of the figure.)

use std::sync::Mutex;

use tonus_testkit::allocations_during;

use tonus_dsp::{
    BlockRms, BlockSos, ChainConfig, ChannelChain, LinearEnvelope, Mains, MovingRms, Preset,
    WelchPlan,
};

#[global_allocator]
static GLOBAL: tonus_testkit::Counting = tonus_testkit::Counting;

/// The tests run one at a time (each counts only its own thread, but they share the counter).
static SERIAL: Mutex<()> = Mutex::new(());

#[test]
fn processing_blocks_after_construction_allocates_nothing() {
    let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let fs = 2000.0;
    let cfg = ChainConfig {
        mains: Some(Mains::Hz50),
        ..Preset::Emg.config()
    };
    let mut emg = ChannelChain::new(&cfg, fs).unwrap();
    let mut pressure = ChannelChain::new(&Preset::Pressure.config(), 100.0).unwrap();
    let mut rms = MovingRms::with_duration(0.1, fs).unwrap();
    let mut env = LinearEnvelope::new(6.0, 2, fs).unwrap();
    let cascade = BlockSos::new(&cfg.design(fs).unwrap());
    let mut cascade_state = cascade.new_state();
    let mut block_rms = BlockRms::with_duration(0.1, fs).unwrap();
    let mut out64 = vec![0.0f64; 1024];
    let mut data64 = vec![0.0f64; 1024];
    let mut env64 = vec![0.0f64; 1024];
    let mut data32 = vec![0.0f32; 1024];
    let mut env32 = vec![0.0f32; 1024];
    let n = allocations_during(|| {
        for round in 0..200 {
            let len = [1usize, 32, 1024, 7][round % 4];
            for (i, v) in data64[..len].iter_mut().enumerate() {
                *v = ((round * 1024 + i) as f64 * 0.37).sin() * 50.0;
            }
            cascade.process(&mut cascade_state, &data64[..len], &mut out64[..len]);
            block_rms.process(&out64[..len], &mut env64[..len]);
            emg.process(&mut data64[..len], &mut env64[..len]);
            emg.filter(&mut data32[..len]);
            pressure.process(&mut data32[..len], &mut env32[..len]);
            rms.process_in_place(&mut data64[..len]);
            env.process_in_place(&mut data64[..len]);
        }
    });
    assert_eq!(n, 0, "the per-block path allocated {n} times");
}

#[test]
fn a_welch_plan_allocates_nothing_per_spectrum() {
    let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut plan = WelchPlan::new(256, 2000.0).unwrap();
    let x: Vec<f64> = (0..4096).map(|i| (i as f64 * 0.1).sin()).collect();
    let mut psd = vec![0.0; plan.bins()];
    let n = allocations_during(|| {
        for _ in 0..50 {
            plan.psd(&x, &mut psd);
        }
    });
    assert_eq!(n, 0, "a Welch spectrum allocated {n} times");
    assert!(psd.iter().any(|p| *p > 0.0));
}

#[test]
fn the_counter_sees_allocations() {
    // Guards against a counter that never counts (which would make the tests above vacuous).
    let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let n = allocations_during(|| {
        let v: Vec<u8> = std::hint::black_box(Vec::with_capacity(64));
        drop(v);
    });
    assert!(n >= 1);
}
