//! Helpers shared by tonus-dsp's integration tests.

use serde_json::Value;

mod signal;

pub use signal::test_signal;

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
