//! Fuzz target: `open_recording` and a whole read of arbitrary bytes as a .edf file must give a
//! recording or an error, never a panic or an abort. Run: `cd crates/tonus-io && cargo fuzz run
//! read_edf` (the test suite runs 10,000 seeded mutants of the same path: tests/mutated_files.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("tonus-fuzz-{}.edf", std::process::id()));
    if std::fs::write(&path, data).is_ok() {
        if let Ok(mut file) = tonus_io::open_recording(&path, None) {
            let _ = tonus_core::Recording::read_whole(&mut file);
        }
    }
});
