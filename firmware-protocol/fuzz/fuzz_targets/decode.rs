//! Fuzz target: the streaming decoder and message parser on arbitrary bytes must never panic.
//! Run: `cd firmware-protocol && cargo fuzz run decode` (the same body runs in the test suite).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tonus_protocol::fuzzing::decode_arbitrary(data);
});
