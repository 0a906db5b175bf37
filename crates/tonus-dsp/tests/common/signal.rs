//! The deterministic test signal, shared with `scripts/scipy_reference.py`.

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
