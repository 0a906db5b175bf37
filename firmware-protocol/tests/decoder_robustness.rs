//! The decoder on hostile input: random bytes, and valid streams with bit flips, cuts and insertions.
//! It must never panic, never deliver a frame that was not sent, and lose nothing but the frames the
//! damage touched.

use proptest::prelude::*;
use tonus_protocol::fuzzing::decode_arbitrary;
use tonus_protocol::{
    encode_frame, Decoder, Message, SampleBlock, SampleData, Samples, Status, MAX_WIRE_FRAME,
};

/// A valid message from a few random numbers.
fn message(kind: u8, a: u32, counts: &[i32]) -> Message<'_> {
    match kind % 4 {
        0 => Message::Ping { token: a },
        1 => Message::Status(Status {
            flags: a as u8,
            lead_off: (a >> 8) as u8,
            saturation: 0,
            battery_pct: 50,
            dropped_samples: a,
        }),
        2 => Message::Pong { token: !a },
        _ => {
            let mut channels = heapless::Vec::new();
            let _ = channels.push(SampleBlock {
                first_index: a,
                width: 4,
                data: SampleData::Counts(counts),
            });
            Message::Samples(Samples {
                device_time_us: u64::from(a),
                channels,
            })
        }
    }
}

/// Encodes frames with seq 0.. and returns the stream and each frame's byte range.
fn stream(specs: &[(u8, u32)], counts: &[i32]) -> (Vec<u8>, Vec<(usize, usize)>) {
    let mut out = Vec::new();
    let mut ranges = Vec::new();
    let mut buf = [0u8; MAX_WIRE_FRAME];
    for (seq, (kind, a)) in specs.iter().enumerate() {
        let n = encode_frame(seq as u32, &message(*kind, *a, counts), &mut buf).expect("encodes");
        ranges.push((out.len(), out.len() + n));
        out.extend_from_slice(&buf[..n]);
    }
    (out, ranges)
}

/// Decodes `bytes` in chunks of `chunk`; returns (seq, body) of every frame delivered.
fn decode(bytes: &[u8], chunk: usize) -> (Vec<(u32, Vec<u8>)>, Decoder) {
    let mut d = Decoder::new();
    let mut got = Vec::new();
    for part in bytes.chunks(chunk.max(1)) {
        d.feed(part, |f| got.push((f.seq, f.body.to_vec())));
    }
    (got, d)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..4096)) {
        decode_arbitrary(&data);
    }

    #[test]
    fn every_message_type_parses_random_bodies_without_panicking(
        msg_type in prop::sample::select(vec![1u8, 2, 3, 4, 5, 6, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x7F, 0xFF]),
        body in prop::collection::vec(any::<u8>(), 0..600)) {
        let mut data = vec![msg_type];
        data.extend_from_slice(&body);
        decode_arbitrary(&data);
    }

    #[test]
    fn random_bytes_with_many_delimiters_never_panic(
        data in prop::collection::vec(prop::sample::select(vec![0u8, 1, 2, 0xFF, 0x86, 0x01]), 0..2048)) {
        decode_arbitrary(&data);
    }

    #[test]
    fn damaged_streams_lose_only_the_damaged_frames(
        specs in prop::collection::vec((any::<u8>(), any::<u32>()), 2..30),
        counts in prop::collection::vec(any::<i32>(), 0..60),
        damage in 0u8..3, at in any::<prop::sample::Index>(), bit in 0u8..8,
        extra in prop::collection::vec(any::<u8>(), 1..40), cut in 1usize..40,
        chunk in 1usize..2000) {
        let (clean, ranges) = stream(&specs, &counts);
        let pos = at.index(clean.len());
        let mut bytes = clean.clone();
        match damage {
            0 => bytes[pos] ^= 1 << bit,
            1 => { bytes.drain(pos..(pos + cut).min(clean.len())); }
            _ => { bytes.splice(pos..pos, extra.iter().copied()); }
        }
        let (got, decoder) = decode(&bytes, chunk);
        let (want, _) = decode(&clean, chunk);
        // Nothing is delivered that was not sent, and in order.
        let mut it = want.iter();
        for g in &got {
            prop_assert!(it.any(|w| w == g), "delivered a frame that was not sent: seq {}", g.0);
        }
        // Every frame whose bytes and leading delimiter are untouched arrives.
        let hit = ranges.iter().position(|&(s, e)| pos >= s && pos < e).unwrap_or(ranges.len());
        let damaged_end = match damage { 1 => (pos + cut).min(clean.len()), _ => pos + 1 };
        let last_hit = ranges.iter().position(|&(s, e)| damaged_end > s && damaged_end - 1 < e).unwrap_or(hit);
        for (i, w) in want.iter().enumerate() {
            if i + 1 < hit || i > last_hit + 1 {
                prop_assert!(got.contains(w), "lost undamaged frame {i} (damage in {hit}..={last_hit})");
            }
        }
        // Frames missing between the first and the last delivered one are counted exactly. (Whole
        // frames cut before the first or after the last leave no trace in sequence numbers; the
        // host's per-channel first_index accounts for their samples.)
        if let (Some(first), Some(last)) = (got.first(), got.last()) {
            let span = u64::from(last.0 - first.0) + 1;
            prop_assert_eq!(decoder.stats().lost_frames, span - got.len() as u64);
        }
    }
}

#[test]
fn sequence_gaps_and_resets_are_counted() {
    let mut buf = [0u8; MAX_WIRE_FRAME];
    let mut bytes = Vec::new();
    for seq in [0u32, 1, 2, 5, 6, 0, 1, u32::MAX, 0] {
        let n = encode_frame(seq, &Message::Ping { token: seq }, &mut buf).expect("encodes");
        bytes.extend_from_slice(&buf[..n]);
    }
    let (got, d) = decode(&bytes, 3);
    assert_eq!(got.len(), 9);
    let s = d.stats();
    assert_eq!(
        s.lost_frames, 2,
        "2 lost between 2 and 5; MAX -> 0 is a plain wrap"
    );
    assert_eq!(
        s.sequence_resets, 2,
        "6 -> 0 and 1 -> MAX go backwards: restarts"
    );
    assert_eq!(s.dropped(), 0);
}

#[test]
fn oversize_garbage_is_dropped_and_the_next_frame_arrives() {
    let mut bytes = vec![0x55u8; 5000];
    bytes.push(0);
    let mut buf = [0u8; MAX_WIRE_FRAME];
    let n = encode_frame(3, &Message::Hello, &mut buf).expect("encodes");
    bytes.extend_from_slice(&buf[..n]);
    let (got, d) = decode(&bytes, 17);
    assert_eq!(got, vec![(3, vec![])]);
    assert_eq!(d.stats().oversize, 1);
}

#[test]
fn another_protocol_version_is_delivered_and_counted() {
    let mut buf = [0u8; MAX_WIRE_FRAME];
    let n = tonus_protocol::encode_frame_with_version(2, 0, &Message::Hello, &mut buf)
        .expect("encodes");
    let mut d = Decoder::new();
    let mut versions = Vec::new();
    d.feed(&buf[..n], |f| versions.push(f.version));
    assert_eq!(versions, vec![2]);
    assert_eq!(d.stats().version_mismatches, 1);
}

#[test]
fn encoding_rejects_what_the_wire_cannot_carry() {
    let mut buf = [0u8; MAX_WIRE_FRAME];
    let too_big = [0i32; 300];
    let mut ch = heapless::Vec::new();
    let _ = ch.push(SampleBlock {
        first_index: 0,
        width: 4,
        data: SampleData::Counts(&too_big),
    });
    let msg = Message::Samples(Samples {
        device_time_us: 0,
        channels: ch,
    });
    assert!(
        encode_frame(0, &msg, &mut buf).is_err(),
        "300 samples do not fit a count byte"
    );
    let wide = [1i32 << 20];
    let mut ch = heapless::Vec::new();
    let _ = ch.push(SampleBlock {
        first_index: 0,
        width: 2,
        data: SampleData::Counts(&wide),
    });
    let msg = Message::Samples(Samples {
        device_time_us: 0,
        channels: ch,
    });
    assert_eq!(
        encode_frame(0, &msg, &mut buf),
        Err(tonus_protocol::EncodeError::BadSample { channel: 0 })
    );
    assert!(
        encode_frame(0, &Message::Hello, &mut buf[..5]).is_err(),
        "small buffer"
    );
}
