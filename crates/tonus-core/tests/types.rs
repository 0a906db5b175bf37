//! Behaviour of the shared types: header parsing, units, blocks.

use tonus_core::{ChannelInfo, ChannelKind, HeaderError, SampleBlock, Unit, BLOCK_CAPACITY};

#[test]
fn headers_parse_into_name_unit_and_kind() {
    let cases = [
        ("pelvic[uV]", "pelvic", Unit::Microvolt, ChannelKind::Emg),
        (
            " abdominal [ mV ] ",
            "abdominal",
            Unit::Millivolt,
            ChannelKind::Emg,
        ),
        ("anal[mmHg]", "anal", Unit::MmHg, ChannelKind::Pressure),
        (
            "rectal[cmH2O]",
            "rectal",
            Unit::CmH2O,
            ChannelKind::Pressure,
        ),
        ("bladder[kPa]", "bladder", Unit::KPa, ChannelKind::Pressure),
        ("ch1[µV]", "ch1", Unit::Microvolt, ChannelKind::Emg),
    ];
    for (h, name, unit, kind) in cases {
        let c = ChannelInfo::from_header(h, 2000.0).unwrap();
        assert_eq!(
            (c.name.as_str(), c.unit, c.kind()),
            (name, unit, kind),
            "{h}"
        );
    }
    assert_eq!(
        ChannelInfo::from_header("anal[mmHg]", 1.0)
            .unwrap()
            .header(),
        "anal[mmHg]"
    );
}

#[test]
fn bad_headers_say_what_is_wrong() {
    assert_eq!(
        ChannelInfo::from_header("pelvic", 1.0),
        Err(HeaderError::MissingUnit)
    );
    assert_eq!(
        ChannelInfo::from_header("pelvic[uV", 1.0),
        Err(HeaderError::MissingUnit)
    );
    assert_eq!(
        ChannelInfo::from_header("[uV]", 1.0),
        Err(HeaderError::EmptyName)
    );
    let e = ChannelInfo::from_header("x[psi]", 1.0).unwrap_err();
    assert_eq!(e, HeaderError::UnknownUnit("psi".into()));
    assert!(e.to_string().contains("'psi'"));
    assert!("V".parse::<Unit>().is_err());
}

#[test]
fn units_round_trip_through_their_symbols_and_serde() {
    for u in Unit::ALL {
        assert_eq!(u.symbol().parse::<Unit>().unwrap(), u);
        let json = serde_json::to_string(&u).unwrap();
        assert_eq!(json, format!("\"{}\"", u.symbol()));
    }
}

#[test]
fn a_block_holds_per_channel_samples_up_to_capacity() {
    let mut b = SampleBlock::default();
    b.clear(3);
    assert!(b.is_empty());
    for i in 0..BLOCK_CAPACITY {
        assert!(b.push(0, i as f64));
    }
    assert!(!b.push(0, 1.0), "full channel refuses");
    assert!(b.push(2, 7.0));
    assert!(!b.push(3, 1.0), "channel out of range refuses");
    assert!(b.is_full());
    assert_eq!(b.samples(0).len(), BLOCK_CAPACITY);
    assert_eq!(b.samples(1), &[] as &[f64]);
    assert_eq!(b.samples(2), &[7.0]);
    assert_eq!(b.samples(9), &[] as &[f64]);
    b.samples_mut(2)[0] = 8.0;
    assert_eq!(b.samples(2), &[8.0]);
    b.clear(1);
    assert!(b.is_empty());
    assert_eq!(b.channels(), 1);
}
