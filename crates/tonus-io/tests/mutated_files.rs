//! Mutation testing of every reader (issue 21): 10,000 seeded mutants each of a CSV, an EDF+, a
//! BDF+ and a manometry export, opened through `open_recording` and read whole (CSV also with a
//! `--rate` drawn from absurd values). Each must give a recording or a clear error: no panic, no
//! abort (an allocation the size of a claimed header field), none slower than 2 s. A failing
//! mutant shrinks (proptest) to the smallest list of edits that breaks the reader.

use std::path::Path;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use tonus_core::{ChannelInfo, Marker, Recording, Unit};
use tonus_io::edf::{write_recording, Depth};

const MUTANTS: u32 = 10_000;
const SLOWEST: Duration = Duration::from_secs(2);

/// Text a file could claim that a reader must survive: huge, tiny, negative, not numbers, and the
/// separators and markers that change a file's shape.
const TOKENS: &[&str] = &[
    "1e300",
    "-1e300",
    "1e-300",
    "-5",
    "-1",
    "0",
    "0.0000001",
    "1e9",
    "99999999",
    "NaN",
    "inf",
    "-0",
    "4294967296",
    "18446744073709551616",
    "\n",
    "\r\n",
    "\t",
    ",",
    ";",
    "\0",
    "#",
    "é",
    "gap:2147483648",
    "gap:99999999999999",
    "gap:-3",
    "discontinuity",
    "tonus:end",
    "+0\x14\x14",
    "+1e300\x14",
    "TIME:",
    "Annotations:",
    "EDF Annotations",
    "BIOSEMI",
    "\u{FEFF}",
];

#[derive(Debug, Clone)]
enum Edit {
    FlipBit(Index, u8),
    SetByte(Index, u8),
    Overwrite(Index, usize),
    Insert(Index, usize),
    Delete(Index, u8),
    Truncate(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    // Mostly edits in place, so that many mutants keep their shape and reach the data; some
    // that break it (deletions, truncation).
    prop_oneof![
        3 => (any::<Index>(), 0u8..8).prop_map(|(i, b)| Edit::FlipBit(i, b)),
        3 => (any::<Index>(), any::<u8>()).prop_map(|(i, v)| Edit::SetByte(i, v)),
        3 => (any::<Index>(), 0..TOKENS.len()).prop_map(|(i, t)| Edit::Overwrite(i, t)),
        2 => (any::<Index>(), 0..TOKENS.len()).prop_map(|(i, t)| Edit::Insert(i, t)),
        1 => (any::<Index>(), 1u8..16).prop_map(|(i, n)| Edit::Delete(i, n)),
        1 => any::<Index>().prop_map(Edit::Truncate),
    ]
}

fn apply(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for e in edits {
        if b.is_empty() {
            break;
        }
        match e {
            Edit::FlipBit(i, bit) => {
                let k = i.index(b.len());
                b[k] ^= 1 << bit;
            }
            Edit::SetByte(i, v) => {
                let k = i.index(b.len());
                b[k] = *v;
            }
            Edit::Overwrite(i, t) => {
                let k = i.index(b.len());
                let t = TOKENS[*t].as_bytes();
                let end = (k + t.len()).min(b.len());
                b[k..end].copy_from_slice(&t[..end - k]);
            }
            Edit::Insert(i, t) => {
                let k = i.index(b.len() + 1);
                b.splice(k..k, TOKENS[*t].bytes());
            }
            Edit::Delete(i, n) => {
                let k = i.index(b.len());
                let end = (k + usize::from(*n)).min(b.len());
                b.drain(k..end);
            }
            Edit::Truncate(i) => b.truncate(i.index(b.len() + 1)),
        }
    }
    b
}

/// Opens and reads `path` whole as the CLI does; returns how long it took and whether it read.
fn read(path: &Path, rate_hz: Option<f64>) -> (Duration, bool) {
    let t0 = Instant::now();
    let read = tonus_io::open_recording(path, rate_hz)
        .is_ok_and(|mut file| Recording::read_whole(&mut file).is_ok());
    (t0.elapsed(), read)
}

/// Runs `MUTANTS` seeded mutants of `seed` (written to a file named `name`) through the readers.
fn mutate(name: &str, seed: &[u8], salt: u8) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    let config = Config {
        cases: MUTANTS,
        failure_persistence: None,
        max_shrink_iters: 2000,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[salt; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let rates = prop_oneof![
        6 => Just(None),
        1 => Just(Some(1e9)),
        1 => Just(Some(1e-300)),
        1 => Just(Some(-1.0)),
        1 => Just(Some(f64::NAN)),
        1 => Just(Some(500.0)),
    ];
    let accepted = std::cell::Cell::new(0u32);
    let result = runner.run(
        &(prop::collection::vec(edit(), 1..4), rates),
        |(edits, rate)| {
            let bytes = apply(seed, &edits);
            std::fs::write(&path, &bytes).expect("write mutant");
            let (took, read) = read(&path, rate);
            accepted.set(accepted.get() + u32::from(read));
            prop_assert!(took < SLOWEST, "{name}: {took:?} for {edits:?}");
            Ok(())
        },
    );
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    // Mutants that all fail at the header would test nothing past it; mutants that all read
    // would test no error path. (Text formats are fragile: a comma or a newline anywhere
    // changes the shape, so only a few percent of CSV mutants read whole.)
    let share = f64::from(accepted.get()) / f64::from(MUTANTS);
    eprintln!("{name}: {:.1} % of mutants read whole", 100.0 * share);
    assert!(
        share > 0.01 && share < 0.9,
        "{name}: {:.1} % read",
        100.0 * share
    );
}

fn session() -> Recording {
    let rate = 250.0;
    let n = 500;
    Recording {
        channels: vec![
            ChannelInfo {
                name: "pelvic".into(),
                unit: Unit::Microvolt,
                rate_hz: rate,
            },
            ChannelInfo {
                name: "anal".into(),
                unit: Unit::MmHg,
                rate_hz: rate,
            },
        ],
        samples: vec![
            (0..n).map(|i| (i as f64 * 0.37).sin() * 20.0).collect(),
            (0..n).map(|i| 30.0 + i as f64 * 0.01).collect(),
        ],
        markers: vec![
            Marker {
                time_s: 0.0,
                label: "pre_baseline".into(),
            },
            Marker::gap(1.0, 3),
        ],
    }
}

fn csv_seed() -> Vec<u8> {
    let rec = session();
    let mut text = String::from("t,pelvic[uV],anal[mmHg],marker\n");
    for i in 0..rec.samples[0].len() {
        let marker = match i {
            0 => "pre_baseline",
            250 => "gap:3",
            _ => "",
        };
        // Three samples are missing before row 250 (its `gap:3`): time jumps there.
        let at = if i >= 250 { i + 3 } else { i };
        text += &format!(
            "{},{},{},{marker}\n",
            at as f64 / 250.0,
            rec.samples[0][i],
            rec.samples[1][i]
        );
    }
    text.into_bytes()
}

fn edf_seed(depth: Depth, name: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    write_recording(&path, &session(), depth).expect("seed file");
    std::fs::read(&path).expect("seed bytes")
}

/// A manometry export of the shape `hram.rs` reads (synthetic values).
fn manometry_seed() -> Vec<u8> {
    let mut text = String::from("TIME:\tB2\tB1\t10\t9\t8\t7\t6\t5\t4\t3\t2\t1\n");
    for i in 0..120 {
        let t = i as f64 * 0.54;
        text += &format!("{t:8.2}");
        for s in 0..12 {
            text += &format!("\t{:8.2}", 10.0 + s as f64 + (i as f64 * 0.1).sin());
        }
        text.push('\n');
    }
    text +=
        "\nAnnotations:\n   16.20\t# Squeeze 1\n   20.00\tRectal sensory high\n   -1.00\t# B2\n";
    text.into_bytes()
}

#[test]
fn ten_thousand_mutated_csv_files_give_a_recording_or_an_error() {
    mutate("mutant.csv", &csv_seed(), 1);
}

#[test]
fn ten_thousand_mutated_edf_files_give_a_recording_or_an_error() {
    mutate("mutant.edf", &edf_seed(Depth::Edf16, "seed.edf"), 2);
}

#[test]
fn ten_thousand_mutated_bdf_files_give_a_recording_or_an_error() {
    mutate("mutant.bdf", &edf_seed(Depth::Bdf24, "seed.bdf"), 3);
}

#[test]
fn ten_thousand_mutated_manometry_exports_give_a_recording_or_an_error() {
    mutate("mutant.txt", &manometry_seed(), 4);
}

/// The seeds themselves read (so the mutants start from files the readers accept).
#[test]
fn the_seeds_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in [
        ("s.csv", csv_seed()),
        ("s.edf", edf_seed(Depth::Edf16, "x.edf")),
        ("s.bdf", edf_seed(Depth::Bdf24, "x.bdf")),
        ("s.txt", manometry_seed()),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let mut file =
            tonus_io::open_recording(&path, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        let rec = Recording::read_whole(&mut file).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(rec.samples[0].len() >= 100, "{name}");
    }
}
