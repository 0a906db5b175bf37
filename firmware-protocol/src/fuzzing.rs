//! The body of the fuzz target, here so the ordinary test suite runs the same code on its own inputs.

use crate::decoder::Decoder;

/// Feeds `data` to a decoder in chunks whose sizes come from the data itself, and parses every frame
/// it yields. Must never panic, whatever the bytes.
pub fn decode_arbitrary(data: &[u8]) -> u64 {
    let mut decoder = Decoder::new();
    let chunk = usize::from(data.first().copied().unwrap_or(1)).max(1);
    let mut parsed = 0;
    for part in data.chunks(chunk) {
        decoder.feed(part, |frame| {
            if let Ok(msg) = frame.message() {
                parsed += 1;
                if let crate::Message::Samples(s) = &msg {
                    for block in &s.channels {
                        parsed += block.iter().count() as u64 & 1;
                    }
                }
            }
        });
    }
    // Random bytes almost never pass the CRC, so also give them to the parser directly.
    if let Some((&msg_type, body)) = data.split_first() {
        if let Ok(crate::Message::Samples(s)) = crate::Message::parse(msg_type, body) {
            parsed += s
                .channels
                .iter()
                .map(|b| b.iter().count() as u64)
                .sum::<u64>();
        } else {
            parsed += 1;
        }
    }
    parsed + decoder.stats().dropped()
}
