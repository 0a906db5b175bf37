//! The endurance median-frequency slope against a signal whose answer is known: a tone falling
//! linearly from 150 to 90 Hz over a 60 s hold has a median frequency falling at 1 Hz/s.

use tonus_analysis::{analyze, AnalysisConfig};
use tonus_core::{ChannelInfo, Marker, Recording, Unit};

#[test]
fn a_falling_tone_gives_a_slope_of_minus_one_hertz_per_second() {
    let fs = 1000.0;
    let mut seed: u64 = 7;
    let mut noise = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    let n = (80.0 * fs) as usize;
    let mut phase = 0.0;
    let x: Vec<f64> = (0..n)
        .map(|i| {
            let t = i as f64 / fs;
            let rest = 6.0 * noise();
            if (10.0..70.0).contains(&t) {
                let f = 150.0 - (t - 10.0); // 150 → 90 Hz
                phase += 2.0 * std::f64::consts::PI * f / fs;
                rest + 40.0 * phase.sin()
            } else {
                rest
            }
        })
        .collect();
    let rec = Recording {
        channels: vec![ChannelInfo {
            name: "pelvic".into(),
            unit: Unit::Microvolt,
            rate_hz: fs,
        }],
        samples: vec![x],
        markers: vec![
            Marker {
                time_s: 0.0,
                label: "pre_baseline".into(),
            },
            Marker {
                time_s: 10.0,
                label: "endurance".into(),
            },
            Marker {
                time_s: 72.0,
                label: "post_baseline".into(),
            },
        ],
    };
    let report = analyze(&rec, AnalysisConfig::default()).expect("analysis");
    let endurance = report
        .phases
        .iter()
        .find(|p| p.name == "endurance")
        .expect("phase");
    let slope = endurance.metrics["median_frequency_slope_hz_per_s"];
    // 256-point Welch bins are 3.9 Hz wide; over ~58 one-second values the fitted slope is within 5 %.
    assert!((slope + 1.0).abs() < 0.05, "slope {slope} Hz/s");
    assert!(
        endurance.metrics["amplitude_decline_pct"].abs() < 5.0,
        "constant amplitude"
    );
}
