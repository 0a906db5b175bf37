//! Every golden frame of `vectors/v1.json` (made by the independent Python encoder) encodes from its
//! meaning to exactly its bytes, and decodes from its bytes to exactly its meaning.

use serde_json::Value;
use tonus_protocol::{
    encode_frame, ChannelConfig, ChannelDescriptor, ChannelKind, Decoder, DeviceInfo, Message,
    Position, SampleBlock, SampleData, Samples, Status, Unit, MAX_WIRE_FRAME,
};

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/v1.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("read vectors"))
        .expect("parse vectors")
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn u(v: &Value, k: &str) -> u64 {
    v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}"))
}

/// Sample counts of every channel of a Samples meaning (owned, so messages can borrow them).
fn counts(m: &Value) -> Vec<Vec<i32>> {
    if m["type"] != "samples" {
        return Vec::new();
    }
    m["channels"]
        .as_array()
        .map(|chs| {
            chs.iter()
                .map(|c| {
                    c["samples"]
                        .as_array()
                        .expect("samples")
                        .iter()
                        .map(|v| v.as_i64().expect("i") as i32)
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The message a JSON meaning describes (strings and counts borrowed from `m` and `counts`).
fn message<'a>(m: &'a Value, counts: &'a [Vec<i32>]) -> Message<'a> {
    let s = |k: &str| m[k].as_str().expect("str");
    match s("type") {
        "ping" => Message::Ping {
            token: u(m, "token") as u32,
        },
        "pong" => Message::Pong {
            token: u(m, "token") as u32,
        },
        "hello" => Message::Hello,
        "locate" => Message::Locate,
        "position" => Message::Position(Position {
            clock_id: u(m, "clock_id") as u32,
            origins: m["origins"]
                .as_array()
                .expect("origins")
                .iter()
                .map(|o| o.as_u64().expect("origin"))
                .collect(),
        }),
        "start" => Message::Start,
        "stop" => Message::Stop,
        "zero_pressure" => Message::ZeroPressure {
            channel: u(m, "channel") as u8,
        },
        "ack" => Message::Ack(tonus_protocol::Ack {
            acked_type: u(m, "acked_type") as u8,
            acked_seq: u(m, "acked_seq") as u32,
        }),
        "nack" => Message::Nack(tonus_protocol::Nack {
            acked_type: u(m, "acked_type") as u8,
            acked_seq: u(m, "acked_seq") as u32,
            reason: u(m, "reason") as u8,
        }),
        "status" => Message::Status(Status {
            flags: u(m, "flags") as u8,
            lead_off: u(m, "lead_off") as u8,
            saturation: u(m, "saturation") as u8,
            battery_pct: u(m, "battery_pct") as u8,
            dropped_samples: u(m, "dropped_samples") as u32,
        }),
        "configure" => Message::Configure {
            channels: m["channels"]
                .as_array()
                .expect("channels")
                .iter()
                .map(|c| ChannelConfig {
                    enabled: c["enabled"].as_bool().expect("bool"),
                    rate_mhz: u(c, "rate_mhz") as u32,
                })
                .collect(),
        },
        "device_info" => {
            let fw: Vec<u8> = m["firmware"]
                .as_array()
                .expect("fw")
                .iter()
                .map(|v| v.as_u64().expect("u") as u8)
                .collect();
            Message::DeviceInfo(DeviceInfo {
                model: s("model"),
                firmware: [fw[0], fw[1], fw[2]],
                serial: s("serial"),
                channels: m["channels"]
                    .as_array()
                    .expect("channels")
                    .iter()
                    .map(|c| ChannelDescriptor {
                        name: c["name"].as_str().expect("name"),
                        kind: match c["kind"].as_str().expect("kind") {
                            "emg" => ChannelKind::Emg,
                            "pressure" => ChannelKind::Pressure,
                            _ => ChannelKind::Other,
                        },
                        unit: match c["unit"].as_str().expect("unit") {
                            "uV" => Unit::Microvolt,
                            "mV" => Unit::Millivolt,
                            "mmHg" => Unit::MmHg,
                            "cmH2O" => Unit::CmH2O,
                            "kPa" => Unit::KPa,
                            _ => Unit::Other,
                        },
                        width: u(c, "width") as u8,
                        scale: c["scale"].as_f64().expect("scale") as f32,
                        offset: c["offset"].as_f64().expect("offset") as f32,
                        rate_mhz: u(c, "rate_mhz") as u32,
                    })
                    .collect(),
            })
        }
        "samples" => Message::Samples(Samples {
            device_time_us: u(m, "device_time_us"),
            channels: m["channels"]
                .as_array()
                .expect("channels")
                .iter()
                .zip(counts)
                .map(|(c, v)| SampleBlock {
                    first_index: u(c, "first_index") as u32,
                    width: u(c, "width") as u8,
                    data: SampleData::Counts(v),
                })
                .collect(),
        }),
        other => panic!("unknown type {other}"),
    }
}

#[test]
fn every_golden_frame_encodes_to_its_bytes() {
    let doc = vectors();
    let list = doc["vectors"].as_array().expect("vectors");
    assert!(list.len() >= 16);
    for v in list {
        let name = v["name"].as_str().expect("name");
        let c = counts(&v["message"]);
        let msg = message(&v["message"], &c);
        let mut out = [0u8; MAX_WIRE_FRAME];
        let n = encode_frame(u(v, "seq") as u32, &msg, &mut out)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            out[..n],
            hex(v["wire_hex"].as_str().expect("wire")),
            "{name}"
        );
    }
}

#[test]
fn every_golden_frame_decodes_to_its_meaning() {
    let doc = vectors();
    for v in doc["vectors"].as_array().expect("vectors") {
        let name = v["name"].as_str().expect("name");
        let wire = hex(v["wire_hex"].as_str().expect("wire"));
        let mut decoder = Decoder::new();
        let mut got = Vec::new();
        decoder.feed(&wire, |f| {
            assert_eq!(f.version, 1);
            assert_eq!(
                f.body.len() + 10,
                v["raw_hex"].as_str().expect("raw").len() / 2,
                "{name}: raw length"
            );
            let m = f.message().unwrap_or_else(|e| panic!("{name}: {e}"));
            got.push((f.seq, serde_json::to_value(&m).expect("json")));
        });
        assert_eq!(got.len(), 1, "{name}: one frame");
        assert_eq!(got[0].0, u(v, "seq") as u32, "{name}: seq");
        assert_eq!(got[0].1, v["message"], "{name}: meaning");
        assert_eq!(decoder.stats().dropped(), 0);
    }
}

#[test]
fn the_stream_of_all_golden_frames_decodes_in_any_chunking() {
    let doc = vectors();
    let list = doc["vectors"].as_array().expect("vectors");
    let stream: Vec<u8> = list
        .iter()
        .flat_map(|v| hex(v["wire_hex"].as_str().expect("wire")))
        .collect();
    for chunk in [1usize, 2, 3, 7, 64, 1000, 65_536] {
        let mut decoder = Decoder::new();
        let mut seqs = Vec::new();
        for part in stream.chunks(chunk) {
            decoder.feed(part, |f| seqs.push(f.seq));
        }
        let want: Vec<u32> = list.iter().map(|v| u(v, "seq") as u32).collect();
        assert_eq!(seqs, want, "chunk {chunk}");
    }
}
