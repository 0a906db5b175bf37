//! Helpers shared by tonus-dsp's integration tests.
#![allow(dead_code)]

use serde_json::Value;

/// The same generator as `scripts/scipy_reference.py::splitmix64`: uniform in [-1, 1).
pub fn splitmix64(seed: u64, n: usize) -> Vec<f64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            (z >> 11) as f64 * 2f64.powi(-53) * 2.0 - 1.0
        })
        .collect()
}

/// The shared test input: `splitmix64(seed) * 100 + 30`.
pub fn test_signal(seed: u64, n: usize) -> Vec<f64> {
    splitmix64(seed, n)
        .into_iter()
        .map(|v| v * 100.0 + 30.0)
        .collect()
}

/// Loads one committed SciPy vector file.
pub fn vectors(name: &str) -> Value {
    let path = format!("{}/tests/vectors/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {path}: {e}"))
}

/// A JSON array of numbers as a Vec.
pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

/// A JSON array of 6-number rows.
pub fn rows(v: &Value) -> Vec<[f64; 6]> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|r| {
            let f = floats(r);
            [f[0], f[1], f[2], f[3], f[4], f[5]]
        })
        .collect()
}

/// Root mean square of a slice.
pub fn rms(x: &[f64]) -> f64 {
    (x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64).sqrt()
}
