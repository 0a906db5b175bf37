//! The real-time contract of the lane kernel: after construction, processing allocates nothing, in
//! every kernel (fused unit sections, plain sections, the one-lane wavefront) and every layout
//! (frames in place, frames out of place, channels kept apart).

use tonus_dsp::{butterworth, Band, ChainConfig, Mains, Preset};
use tonus_lanes::LaneChain;
use tonus_testkit::allocations_during;

#[global_allocator]
static GLOBAL: tonus_testkit::Counting = tonus_testkit::Counting;

#[test]
fn processing_after_construction_allocates_nothing() {
    let fs = 2000.0;
    let cfg = ChainConfig {
        mains: Some(Mains::Hz50),
        ..Preset::Emg.config()
    };
    // The fused kernel (band-pass and notch, unit sections) and the plain one (an odd order has a
    // first-order section); one lane runs the wavefront kernel.
    let mut unit_lanes = LaneChain::<8>::new(&cfg.design(fs).unwrap(), 200).unwrap();
    let odd = butterworth(5, Band::LowPass { cutoff_hz: 300.0 }, fs).unwrap();
    let mut plain_lanes = LaneChain::<8>::new(&odd, 200).unwrap();
    let mut one_lane = LaneChain::<1>::new(&cfg.design(fs).unwrap(), 200).unwrap();
    let mut lane_frames = vec![[0.0f64; 1]; 1024];
    let mut frames = vec![[0.0f64; 8]; 1024];
    let mut frames_out = vec![[0.0f64; 8]; 1024];
    let mut channels = vec![vec![0.0f64; 1024]; 16];
    let (mut data, mut out) = (vec![0.0f64; 1024], vec![0.0f64; 1024]);
    // Calls of 1, 32, 1024 and 7 frames in turn: every length the kernel treats apart.
    let lengths = [1usize, 32, 1024, 7].into_iter().cycle().take(200);
    let n = allocations_during(|| {
        for (round, len) in lengths.enumerate() {
            let wave = |i: usize| ((round * 1024 + i) as f64 * 0.37).sin() * 50.0;
            data[..len]
                .iter_mut()
                .zip(0..)
                .for_each(|(v, i)| *v = wave(i));
            frames[..len]
                .iter_mut()
                .zip(&data)
                .for_each(|(f, &x)| *f = [x; 8]);
            for lanes in [&mut unit_lanes, &mut plain_lanes] {
                lanes.process(&mut frames[..len]);
                lanes.process_into(&frames[..len], &mut frames_out[..len]);
                let (ins, outs) = channels.split_at_mut(8);
                let input: [&[f64]; 8] = core::array::from_fn(|c| &ins[c][..len]);
                let mut it = outs.iter_mut();
                let output: [&mut [f64]; 8] =
                    core::array::from_fn(|_| it.next().map_or(&mut [][..], |o| &mut o[..len]));
                lanes.process_channels(input, output);
            }
            one_lane.process(&mut lane_frames[..len]);
            one_lane.process_channels([&data[..len]], [&mut out[..len]]);
        }
    });
    assert_eq!(n, 0, "the lane kernel allocated {n} times");
}
