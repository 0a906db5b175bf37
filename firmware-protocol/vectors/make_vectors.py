#!/usr/bin/env python3
"""Golden frames for the Tonus wire protocol v1, from an implementation independent of the Rust crate.

    python3 vectors/make_vectors.py vectors/v1.json          # write
    python3 vectors/make_vectors.py --check vectors/v1.json  # regenerate and compare, exit 1 if different

Written from PROTOCOL.md alone (struct packing, a bitwise CRC-32C, a textbook COBS encoder), so that the
Rust codec is tested against a second reading of the specification, not against itself.
"""
import json
import struct
import sys


def crc32c(data: bytes) -> int:
    """Bitwise CRC-32C (Castagnoli), reflected polynomial 0x82F63B78."""
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283


def cobs(data: bytes) -> bytes:
    """Textbook COBS: groups of up to 254 non-zero bytes, each prefixed by its length + 1."""
    out, block = bytearray(), bytearray()
    for b in data:
        if b == 0:
            out.append(len(block) + 1)
            out += block
            block = bytearray()
        else:
            block.append(b)
            if len(block) == 254:
                out.append(0xFF)
                out += block
                block = bytearray()
    out.append(len(block) + 1)
    out += block
    return bytes(out)


def s(text):
    raw = text.encode("utf-8")
    return struct.pack("<B", len(raw)) + raw


KIND = {"emg": 0, "pressure": 1, "other": 2}
UNIT = {"uV": 0, "mV": 1, "mmHg": 2, "cmH2O": 3, "kPa": 4, "other": 255}
FMT = {2: "<h", 3: None, 4: "<i"}


def sample_bytes(width, v):
    if width == 3:
        return (v & 0xFFFFFF).to_bytes(3, "little")
    return struct.pack(FMT[width], v)


def body(msg):
    t = msg["type"]
    if t == "device_info":
        out = s(msg["model"]) + bytes(msg["firmware"]) + s(msg["serial"]) + struct.pack("<B", len(msg["channels"]))
        for c in msg["channels"]:
            out += s(c["name"]) + struct.pack("<BBBffI", KIND[c["kind"]], UNIT[c["unit"]], c["width"],
                                              c["scale"], c["offset"], c["rate_mhz"])
        return 0x01, out
    if t == "samples":
        out = struct.pack("<QB", msg["device_time_us"], len(msg["channels"]))
        for c in msg["channels"]:
            out += struct.pack("<IBB", c["first_index"], len(c["samples"]), c["width"])
            out += b"".join(sample_bytes(c["width"], v) for v in c["samples"])
        return 0x02, out
    if t == "status":
        return 0x03, struct.pack("<BBBBI", msg["flags"], msg["lead_off"], msg["saturation"],
                                 msg["battery_pct"], msg["dropped_samples"])
    if t == "ack":
        return 0x04, struct.pack("<BI", msg["acked_type"], msg["acked_seq"])
    if t == "nack":
        return 0x05, struct.pack("<BIB", msg["acked_type"], msg["acked_seq"], msg["reason"])
    if t == "pong":
        return 0x06, struct.pack("<I", msg["token"])
    if t == "position":
        return 0x07, struct.pack("<IB", msg["clock_id"], len(msg["origins"])) + b"".join(
            struct.pack("<Q", o) for o in msg["origins"])
    if t in ("hello", "start", "stop", "locate"):
        return {"hello": 0x81, "start": 0x82, "stop": 0x83, "locate": 0x87}[t], b""
    if t == "configure":
        out = struct.pack("<B", len(msg["channels"]))
        for c in msg["channels"]:
            out += struct.pack("<BI", 1 if c["enabled"] else 0, c["rate_mhz"])
        return 0x84, out
    if t == "zero_pressure":
        return 0x85, struct.pack("<B", msg["channel"])
    if t == "ping":
        return 0x86, struct.pack("<I", msg["token"])
    raise ValueError(t)


def frame(seq, msg, version=1):
    mtype, b = body(msg)
    raw = struct.pack("<BBI", version, mtype, seq) + b
    raw += struct.pack("<I", crc32c(raw))
    return raw, cobs(raw) + b"\x00"


def f32(v):
    """The value an f32 field actually carries (JSON meanings record it exactly)."""
    return struct.unpack("<f", struct.pack("<f", v))[0]


EMG = {"kind": "emg", "unit": "uV", "width": 3, "scale": f32(0.0234375), "offset": 0.0, "rate_mhz": 2_000_000}
CASES = [
    ("ping", "the worked example of PROTOCOL.md §6", 7, {"type": "ping", "token": 0x01020304}),
    ("hello", "host asks the device to identify itself", 0, {"type": "hello"}),
    ("start", "host starts streaming", 1, {"type": "start"}),
    ("stop", "host stops streaming", 2, {"type": "stop"}),
    ("configure", "enable two channels at 2 kHz, disable the third", 3,
     {"type": "configure", "channels": [{"enabled": True, "rate_mhz": 2_000_000},
                                        {"enabled": True, "rate_mhz": 0},
                                        {"enabled": False, "rate_mhz": 0}]}),
    ("zero_pressure", "zero every pressure channel", 4, {"type": "zero_pressure", "channel": 255}),
    ("device_info", "three channels: two EMG at 2 kHz (24-bit), anal pressure at 100 Hz (16-bit)", 0,
     {"type": "device_info", "model": "Tonus PF-3", "firmware": [1, 4, 2], "serial": "PF3-000123",
      "channels": [dict(EMG, name="pelvic"), dict(EMG, name="abdominal"),
                   {"name": "anal", "kind": "pressure", "unit": "mmHg", "width": 2, "scale": f32(0.01),
                    "offset": f32(-5.0), "rate_mhz": 100_000}]}),
    ("samples_multirate", "4 EMG samples per channel, one pressure sample, negative counts included", 41,
     {"type": "samples", "device_time_us": 1_000_000,
      "channels": [{"first_index": 2000, "width": 3, "samples": [0, 1, -1, 8388607]},
                   {"first_index": 2000, "width": 3, "samples": [-8388608, 100, -100, 0]},
                   {"first_index": 100, "width": 2, "samples": [6500]}]}),
    ("samples_empty_channel", "a pressure channel with no sample in this frame", 42,
     {"type": "samples", "device_time_us": 1_002_000,
      "channels": [{"first_index": 2004, "width": 3, "samples": [5, 6]},
                   {"first_index": 2004, "width": 3, "samples": [7, 8]},
                   {"first_index": 101, "width": 2, "samples": []}]}),
    ("samples_zeros", "all-zero samples: COBS replaces every zero", 43,
     {"type": "samples", "device_time_us": 0,
      "channels": [{"first_index": 0, "width": 4, "samples": [0, 0, 0, 0, 0, 0]}]}),
    ("samples_long", "a 300-byte body: the COBS group of 254 non-zero bytes", 44,
     {"type": "samples", "device_time_us": 0x0102030405060708,
      "channels": [{"first_index": 0x11223344, "width": 2,
                    "samples": [0x0101 + 3 * i for i in range(140)]}]}),
    ("status", "lead-off on channel 1, saturation on channel 0, battery 87 %", 45,
     {"type": "status", "flags": 1, "lead_off": 2, "saturation": 1, "battery_pct": 87,
      "dropped_samples": 12}),
    ("ack", "device acknowledges Start (seq 1)", 1, {"type": "ack", "acked_type": 0x82, "acked_seq": 1}),
    ("nack", "device refuses a Configure with a bad rate", 2,
     {"type": "nack", "acked_type": 0x84, "acked_seq": 3, "reason": 2}),
    ("pong", "device answers the Ping", 3, {"type": "pong", "token": 0x01020304}),
    ("seq_wrap", "sequence number at its maximum", 0xFFFFFFFF, {"type": "ping", "token": 0}),
    ("locate", "host asks where the stream stands (after a reconnection)", 5, {"type": "locate"}),
    ("position", "the stream's first_index 0 is sample 1 234 567 (EMG) and 61 728 (pressure) of clock 0xC0FFEE01", 46,
     {"type": "position", "clock_id": 0xC0FFEE01, "origins": [1_234_567, 1_234_567, 61_728]}),
    ("position_after_restart", "a device whose clock restarted at power-up: a new clock_id", 0,
     {"type": "position", "clock_id": 7, "origins": [0, 0, 0]}),
]


def build():
    out = []
    for name, description, seq, msg in CASES:
        raw, wire = frame(seq, msg)
        out.append({"name": name, "description": description, "seq": seq, "message": msg,
                    "raw_hex": raw.hex(), "wire_hex": wire.hex()})
    return {"protocol_version": 1, "generator": "firmware-protocol/vectors/make_vectors.py",
            "crc": "CRC-32C", "vectors": out}


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        with open(sys.argv[2]) as f:
            committed = json.load(f)
        fresh = json.loads(json.dumps(build()))
        ok = committed == fresh
        print(f"wire-protocol vectors {'match' if ok else 'DIFFER from'} the independent Python encoder")
        sys.exit(0 if ok else 1)
    if len(sys.argv) == 2:
        with open(sys.argv[1], "w") as f:
            json.dump(build(), f, indent=1)
            f.write("\n")
        sys.exit(0)
    print(__doc__)
    sys.exit(2)
