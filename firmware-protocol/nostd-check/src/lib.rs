//! A `no_std` static library using the protocol's encoder and decoder with no allocator and its own
//! panic handler. If anything in `tonus-protocol`'s dependency graph used `std`, the build would fail
//! with a duplicate `panic_impl`; if anything allocated, linking this static library would fail for
//! want of a global allocator.
#![no_std]

use core::panic::PanicInfo;
use tonus_protocol::{encode_frame, Decoder, Message, MAX_WIRE_FRAME};

#[panic_handler]
fn panic(_: &PanicInfo<'_>) -> ! {
    loop {}
}

/// Encodes a Ping and decodes it again; returns the token seen, or 0.
#[no_mangle]
pub extern "C" fn tonus_roundtrip(token: u32) -> u32 {
    let mut wire = [0u8; MAX_WIRE_FRAME];
    let Ok(n) = encode_frame(1, &Message::Ping { token }, &mut wire) else {
        return 0;
    };
    let mut decoder = Decoder::new();
    let mut seen = 0;
    decoder.feed(&wire[..n], |frame| {
        if let Ok(Message::Ping { token }) = frame.message() {
            seen = token;
        }
    });
    seen
}
