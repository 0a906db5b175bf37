//! A recording that starts abruptly on a large, drifting DC offset and strong mains hum: the filters are
//! primed on its first second (`Engine::prime`), so their start-up ringing is taken neither for a
//! contraction nor for movement at the very start of a recording without markers. Truth: two
//! bursts, at 10 s and 20 s; each must be found (onset within 0.5 s), nothing else, and no
//! `motion_artifact`.

use tonus_analysis::{analyze, AnalysisConfig};
use tonus_core::{ChannelInfo, Recording};

#[test]
fn no_contraction_from_the_filters_starting_up() {
    let rate = 2000.0;
    let mut s: u64 = 0x2545_F491_4F6C_DD1D;
    let mut gauss = || {
        // Sum of four uniforms: mean 0, SD ≈ 1.15.
        (0..4)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                (s >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
            })
            .sum::<f64>()
    };
    let bursts = [10.0, 20.0];
    let x: Vec<f64> = (0..(30.0 * rate) as usize)
        .map(|i| {
            let t = i as f64 / rate;
            let level = if bursts.iter().any(|&b| t >= b && t < b + 3.0) {
                40.0
            } else {
                4.0
            };
            // Electrode offset drifting by 100 µV/s, 50 Hz hum, EMG-like noise.
            2000.0
                + 100.0 * t
                + 300.0 * (2.0 * std::f64::consts::PI * 50.0 * t).sin()
                + level * gauss()
        })
        .collect();
    let recording = Recording {
        channels: vec![ChannelInfo::from_header("pelvic[uV]", rate).expect("header")],
        samples: vec![x],
        markers: Vec::new(),
    };
    let report = analyze(&recording, AnalysisConfig::default()).expect("analysis");
    let onsets: Vec<f64> = report
        .contractions_on("pelvic")
        .map(|c| c.onset_s)
        .collect();
    assert_eq!(onsets.len(), bursts.len(), "onsets {onsets:?}");
    for (o, b) in onsets.iter().zip(bursts) {
        assert!(
            (o - b).abs() <= 0.5,
            "onset {o} for the burst at {b} s ({onsets:?})"
        );
    }
    // The movement band (1–10 Hz) is primed too: the DC step is no motion artifact.
    let motion: Vec<(f64, f64)> = report
        .flags
        .iter()
        .filter(|f| f.code == "motion_artifact")
        .map(|f| (f.start_s, f.end_s))
        .collect();
    assert!(motion.is_empty(), "motion_artifact at {motion:?}");
}
