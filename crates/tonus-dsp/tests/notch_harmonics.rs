//! Choosing which mains harmonics to notch: `Harmonics::ALL`/`NONE` reproduce `mains_notches`, and a
//! chosen set designs exactly the fundamental plus those multiples (each SciPy's `iirnotch`).

use tonus_dsp::{mains_notches, mains_notches_at, notch, ChainConfig, Harmonics, Mains};

#[test]
fn all_and_none_are_the_boolean_choices() {
    for mains in [Mains::Hz50, Mains::Hz60] {
        for rate in [250.0, 1000.0, 2000.0, 4000.0] {
            assert_eq!(
                mains_notches_at(mains, 30.0, rate, Harmonics::ALL).unwrap(),
                mains_notches(mains, 30.0, rate, true).unwrap()
            );
            assert_eq!(
                mains_notches_at(mains, 30.0, rate, Harmonics::NONE).unwrap(),
                mains_notches(mains, 30.0, rate, false).unwrap()
            );
        }
    }
}

#[test]
fn a_chosen_set_notches_the_fundamental_and_those_multiples_below_nyquist() {
    let which = Harmonics::only([3, 5, 40, 1, 0, 99]);
    assert!(which.contains(3) && which.contains(5) && which.contains(40));
    assert!(!which.contains(2) && !which.contains(1) && !which.contains(99));
    // At 2 kHz, 40 × 50 Hz = 2000 Hz is above Nyquist: fundamental, 150 and 250 Hz only.
    let sos = mains_notches_at(Mains::Hz50, 30.0, 2000.0, which).unwrap();
    let want: Vec<_> = [50.0, 150.0, 250.0]
        .iter()
        .map(|&f| notch(f, 30.0, 2000.0).unwrap())
        .collect();
    assert_eq!(sos.sections(), &want[..]);
}

#[test]
fn the_chain_config_designs_only_the_chosen_harmonics() {
    let config = ChainConfig {
        high_pass_hz: Some(20.0),
        low_pass_hz: Some(450.0),
        mains: Some(Mains::Hz60),
        notch_harmonics: Harmonics::only([2]),
        ..ChainConfig::default()
    };
    let sos = config.design(2000.0).unwrap();
    // Band-pass order 4: four sections, then 60 and 120 Hz.
    assert_eq!(sos.len(), 6);
    assert_eq!(sos.sections()[4], notch(60.0, 30.0, 2000.0).unwrap());
    assert_eq!(sos.sections()[5], notch(120.0, 30.0, 2000.0).unwrap());
}
