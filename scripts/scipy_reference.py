#!/usr/bin/env python3
"""Generate the SciPy reference vectors that tonus-dsp's tests compare against.

    python3 scripts/scipy_reference.py OUT_DIR      # writes butter.json, notch.json, sosfilt.json,
                                                    # sosfiltfilt.json, welch.json
    python3 scripts/scipy_reference.py --check DIR  # regenerate into a temp dir and compare with DIR
                                                    # (max relative difference 1e-12); exit 1 if not

Inputs are drawn from splitmix64, which tonus-dsp's tests re-implement bit for bit, so only the
outputs need to be stored. Floats are written with repr() (exact round trip).
"""
import json
import math
import os
import sys
import tempfile

import numpy as np
from scipy import signal

MASK = (1 << 64) - 1


def splitmix64(seed, n):
    """n uniform floats in [-1, 1) from splitmix64(seed): (z >> 11) * 2**-53 * 2 - 1."""
    out = np.empty(n)
    s = seed & MASK
    for i in range(n):
        s = (s + 0x9E3779B97F4A7C15) & MASK
        z = s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        z = z ^ (z >> 31)
        out[i] = (z >> 11) * (2.0 ** -53) * 2.0 - 1.0
    return out


def test_signal(seed, n):
    """The shared test input: uniform noise of amplitude 100 plus a DC offset of 30."""
    return splitmix64(seed, n) * 100.0 + 30.0


RATES = [250.0, 500.0, 1000.0, 2000.0, 4000.0]
ORDERS = range(1, 9)


def cutoffs(fs):
    return sorted({0.5, 5.0, 20.0, round(0.2 * fs, 6), 0.45 * fs})


def bands(fs):
    return [(0.5, 20.0), (20.0, 0.45 * fs), (0.5, 0.45 * fs), (5.0, 0.2 * fs), (0.2 * fs, 0.45 * fs)]


def gen_butter():
    cases = []
    for fs in RATES:
        for n in ORDERS:
            for btype in ("lowpass", "highpass"):
                for fc in cutoffs(fs):
                    sos = signal.butter(n, fc, btype, fs=fs, output="sos")
                    cases.append({"order": n, "btype": btype, "fs": fs, "wn": [fc], "sos": sos.tolist()})
            for btype in ("bandpass", "bandstop"):
                for lo, hi in bands(fs):
                    sos = signal.butter(n, [lo, hi], btype, fs=fs, output="sos")
                    cases.append({"order": n, "btype": btype, "fs": fs, "wn": [lo, hi], "sos": sos.tolist()})
    return {"generator": "scipy.signal.butter(N, Wn, btype, fs=fs, output='sos')", "cases": cases}


def gen_notch():
    cases = []
    for fs in RATES:
        for f0 in (50.0, 60.0, 100.0, 120.0, 150.0, 180.0):
            if f0 >= fs / 2:
                continue
            for q in (10.0, 30.0, 35.5):
                b, a = signal.iirnotch(f0, q, fs=fs)
                cases.append({"f0": f0, "q": q, "fs": fs, "b": b.tolist(), "a": a.tolist()})
    return {"generator": "scipy.signal.iirnotch(f0, Q, fs=fs)", "cases": cases}


FILTERS = [
    # name, design call (as text, for the record), sos
    ("emg_bandpass_4_20_450_at_2000", "butter(4, [20, 450], 'bandpass', fs=2000)",
     lambda: signal.butter(4, [20, 450], "bandpass", fs=2000.0, output="sos"), 2000.0),
    ("lowpass_2_5_at_100", "butter(2, 5, 'lowpass', fs=100)",
     lambda: signal.butter(2, 5, "lowpass", fs=100.0, output="sos"), 100.0),
    ("highpass_8_0.5_at_1000", "butter(8, 0.5, 'highpass', fs=1000)",
     lambda: signal.butter(8, 0.5, "highpass", fs=1000.0, output="sos"), 1000.0),
    ("bandstop_3_48_52_at_1000", "butter(3, [48, 52], 'bandstop', fs=1000)",
     lambda: signal.butter(3, [48, 52], "bandstop", fs=1000.0, output="sos"), 1000.0),
    ("emg_plus_notch50_at_2000", "butter(4, [20, 450], 'bandpass', fs=2000) + iirnotch(50, 30, fs=2000)",
     lambda: np.vstack([signal.butter(4, [20, 450], "bandpass", fs=2000.0, output="sos"),
                        np.hstack(signal.iirnotch(50.0, 30.0, fs=2000.0))]), 2000.0),
]

SOSFILT_N = 100_000
SOSFILT_STRIDE = 10
FILTFILT_N = 20_000
FILTFILT_STRIDE = 4


def gen_sosfilt():
    cases = []
    for i, (name, design, make, fs) in enumerate(FILTERS):
        sos = make()
        seed = 1000 + i
        y = signal.sosfilt(sos, test_signal(seed, SOSFILT_N))
        cases.append({"name": name, "design": design, "fs": fs, "sos": sos.tolist(), "seed": seed,
                      "n": SOSFILT_N, "stride": SOSFILT_STRIDE, "y": y[::SOSFILT_STRIDE].tolist(),
                      "y_tail": y[-100:].tolist()})
    return {"generator": "scipy.signal.sosfilt(sos, x)", "input": "splitmix64(seed) * 100 + 30",
            "cases": cases}


def gen_sosfiltfilt():
    cases = []
    for i, (name, design, make, fs) in enumerate(FILTERS):
        sos = make()
        seed = 2000 + i
        y = signal.sosfiltfilt(sos, test_signal(seed, FILTFILT_N))
        cases.append({"name": name, "design": design, "fs": fs, "sos": sos.tolist(), "seed": seed,
                      "n": FILTFILT_N, "stride": FILTFILT_STRIDE, "y": y[::FILTFILT_STRIDE].tolist(),
                      "y_head": y[:200].tolist(), "y_tail": y[-200:].tolist()})
    return {"generator": "scipy.signal.sosfiltfilt(sos, x)", "input": "splitmix64(seed) * 100 + 30",
            "cases": cases}


def gen_welch():
    cases = []
    for i, (n, fs) in enumerate([(10_000, 2000.0), (4_099, 1000.0), (200, 500.0), (60_001, 2048.0)]):
        seed = 3000 + i
        x = test_signal(seed, n)
        t = np.arange(n) / fs
        x = x + 40.0 * np.sin(2 * np.pi * 87.0 * t)  # a tone, so the spectrum is not flat
        f, p = signal.welch(x, fs=fs)
        c = np.cumsum(p)
        median = float(f[np.argmax(c >= c[-1] / 2.0)])
        mean = float(np.sum(f * p) / np.sum(p))
        cases.append({"seed": seed, "n": n, "fs": fs, "tone_hz": 87.0, "tone_amplitude": 40.0,
                      "freqs": f.tolist(), "psd": p.tolist(), "median_frequency": median,
                      "mean_frequency": mean})
    return {"generator": "scipy.signal.welch(x, fs=fs) (defaults: hann, nperseg=256, 50% overlap, density)",
            "input": "splitmix64(seed) * 100 + 30 + 40 sin(2 pi 87 t)",
            "median_definition": "lowest bin f with cumsum(psd) >= sum(psd)/2",
            "cases": cases}


GENERATORS = {"butter": gen_butter, "notch": gen_notch, "sosfilt": gen_sosfilt,
              "sosfiltfilt": gen_sosfiltfilt, "welch": gen_welch}


def write_all(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name, gen in GENERATORS.items():
        doc = gen()
        doc["versions"] = {"numpy": np.__version__, "scipy": __import__("scipy").__version__}
        with open(os.path.join(out_dir, name + ".json"), "w") as f:
            json.dump(doc, f, separators=(",", ":"))
            f.write("\n")


def max_rel_diff(a, b, path="$"):
    """Largest relative difference between two JSON trees; raises on a structural mismatch."""
    if isinstance(a, dict):
        if set(a) != set(b):
            raise ValueError(f"{path}: keys differ: {sorted(set(a) ^ set(b))}")
        return max([max_rel_diff(a[k], b[k], f"{path}.{k}") for k in a if k != "versions"] or [0.0])
    if isinstance(a, list):
        if len(a) != len(b):
            raise ValueError(f"{path}: lengths differ: {len(a)} vs {len(b)}")
        return max([max_rel_diff(x, y, f"{path}[{i}]") for i, (x, y) in enumerate(zip(a, b))] or [0.0])
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        scale = max(abs(a), abs(b))
        return 0.0 if scale == 0 else abs(a - b) / scale if scale > 1e-300 else abs(a - b)
    if a != b:
        raise ValueError(f"{path}: {a!r} != {b!r}")
    return 0.0


def check(committed_dir, tol=1e-12):
    with tempfile.TemporaryDirectory() as tmp:
        write_all(tmp)
        worst = 0.0
        ok = True
        for name in GENERATORS:
            with open(os.path.join(tmp, name + ".json")) as f:
                fresh = json.load(f)
            with open(os.path.join(committed_dir, name + ".json")) as f:
                committed = json.load(f)
            try:
                d = max_rel_diff(fresh, committed)
            except ValueError as e:
                print(f"{name}.json: structure differs from SciPy's: {e}")
                ok = False
                continue
            worst = max(worst, d)
            status = "ok" if d <= tol else "DIFFERS"
            print(f"{name}.json: max relative difference {d:.3e} ({status})")
            ok &= d <= tol
        print(f"SciPy reference vectors {'match' if ok else 'DO NOT match'} (tolerance {tol:g}, worst {worst:.3e})")
        return ok


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        sys.exit(0 if check(sys.argv[2]) else 1)
    if len(sys.argv) == 2 and not sys.argv[1].startswith("-"):
        write_all(sys.argv[1])
        sys.exit(0)
    print(__doc__)
    sys.exit(2)
