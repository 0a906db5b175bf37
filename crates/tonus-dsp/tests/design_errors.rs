//! Bad parameters give a typed error naming the parameter and its value.

use tonus_dsp::{
    butterworth, mains_notches, notch, Band, ChainConfig, DesignError, Mains, MovingRms, Preset,
    Sos, WelchPlan,
};

#[test]
fn cutoff_at_or_above_nyquist_is_named() {
    for f in [1000.0, 1200.0] {
        let e = butterworth(4, Band::LowPass { cutoff_hz: f }, 2000.0).unwrap_err();
        assert_eq!(
            e,
            DesignError::FrequencyOutOfRange {
                parameter: "cutoff_hz",
                value_hz: f,
                nyquist_hz: 1000.0
            }
        );
        assert!(e.to_string().contains("cutoff_hz") && e.to_string().contains(&f.to_string()));
    }
    let e = butterworth(
        2,
        Band::BandPass {
            low_hz: 20.0,
            high_hz: 1000.0,
        },
        2000.0,
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            DesignError::FrequencyOutOfRange {
                parameter: "high_hz",
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn order_zero_and_above_eight_are_rejected() {
    for order in [0, 9, 100] {
        let e = butterworth(order, Band::HighPass { cutoff_hz: 20.0 }, 2000.0).unwrap_err();
        assert_eq!(e, DesignError::InvalidOrder { order });
        assert!(e.to_string().contains(&format!("got {order}")));
    }
}

#[test]
fn nan_and_negative_values_are_rejected() {
    let e = butterworth(
        4,
        Band::LowPass {
            cutoff_hz: f64::NAN,
        },
        2000.0,
    )
    .unwrap_err();
    assert!(matches!(
        e,
        DesignError::FrequencyOutOfRange {
            parameter: "cutoff_hz",
            ..
        }
    ));
    assert!(e.to_string().contains("NaN"));
    let e = butterworth(4, Band::HighPass { cutoff_hz: -5.0 }, 2000.0).unwrap_err();
    assert!(e.to_string().contains("-5"));
    for rate in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let e = butterworth(4, Band::LowPass { cutoff_hz: 5.0 }, rate).unwrap_err();
        assert!(matches!(e, DesignError::InvalidRate { .. }), "{e}");
        assert!(e.to_string().contains("sample rate"));
    }
}

#[test]
fn band_edges_must_be_ordered() {
    let e = butterworth(
        4,
        Band::BandStop {
            low_hz: 60.0,
            high_hz: 40.0,
        },
        1000.0,
    )
    .unwrap_err();
    assert_eq!(
        e,
        DesignError::InvalidBand {
            low_hz: 60.0,
            high_hz: 40.0
        }
    );
}

#[test]
fn notch_q_must_be_positive_and_f0_below_nyquist() {
    for q in [0.0, -3.0, f64::NAN] {
        let e = notch(50.0, q, 1000.0).unwrap_err();
        assert!(matches!(e, DesignError::InvalidQ { .. }), "{e}");
        assert!(e.to_string().contains("q must be"));
    }
    let e = notch(60.0, 30.0, 100.0).unwrap_err();
    assert!(matches!(
        e,
        DesignError::FrequencyOutOfRange {
            parameter: "f0_hz",
            ..
        }
    ));
    // Harmonics stop below Nyquist: at 250 Hz only 50 and 100 Hz are notched.
    assert_eq!(
        mains_notches(Mains::Hz50, 30.0, 250.0, true).unwrap().len(),
        2
    );
    assert_eq!(
        mains_notches(Mains::Hz60, 30.0, 2000.0, true)
            .unwrap()
            .len(),
        16
    );
    assert_eq!(
        mains_notches(Mains::Hz60, 30.0, 2000.0, false)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn windows_and_short_signals_are_checked() {
    assert!(matches!(
        MovingRms::new(0),
        Err(DesignError::InvalidWindow { .. })
    ));
    let e = MovingRms::with_duration(0.0001, 1000.0).unwrap_err();
    assert!(e.to_string().contains("rms_window_s"));
    assert!(MovingRms::with_duration(f64::NAN, 1000.0).is_err());
    assert!(WelchPlan::new(0, 1000.0).is_err());
    let sos = butterworth(4, Band::LowPass { cutoff_hz: 5.0 }, 100.0).unwrap();
    let e = sos.filtfilt(&[1.0; 10]).unwrap_err();
    assert_eq!(
        e,
        DesignError::SignalTooShort {
            len: 10,
            needed_more_than: 15
        }
    );
    assert_eq!(Sos::default().filtfilt_padlen(), 3);
}

#[test]
fn presets_clip_the_upper_edge_and_fail_clearly_when_the_band_vanishes() {
    // emg at 1 kHz: upper edge 500 Hz is clipped to 450 Hz.
    let band = Preset::Emg.config().band(1000.0).unwrap();
    assert_eq!(
        band,
        Band::BandPass {
            low_hz: 20.0,
            high_hz: 450.0
        }
    );
    assert_eq!(Preset::Emg.config().design(2000.0).unwrap().len(), 4);
    // At 44 Hz the clipped upper edge (19.8 Hz) falls below the 20 Hz lower edge.
    let e = Preset::Emg.config().design(44.0).unwrap_err();
    assert!(matches!(e, DesignError::InvalidBand { .. }), "{e}");
    assert_eq!(
        "emg-ecg-safe".parse::<Preset>().unwrap(),
        Preset::EmgEcgSafe
    );
    assert!("emg2".parse::<Preset>().is_err());
    let cfg = ChainConfig {
        order: 9,
        ..Preset::Pressure.config()
    };
    assert_eq!(
        cfg.design(100.0).unwrap_err(),
        DesignError::InvalidOrder { order: 9 }
    );
}
