#!/usr/bin/env python3
"""Side by side: the `emg` chain in Tonus and in SciPy, on the same data, in the same run.

    python3 benches/peers/chain_vs_scipy.py [--seconds 3600] [--reps 7]

Chain (the `emg` preset at 2 kHz): butter(4, [20, 500], 'bandpass', fs=2000, output='sos') + sosfilt, then a 100 ms (200-sample)
trailing moving RMS (numpy cumsum, as in ../shared/peer-bench). Input: one channel of seeded EMG-like
noise at 2 kHz. Tonus runs as `cargo bench --bench peers_chain` (release profile, one core) and writes
its envelope, which is checked against SciPy's before any timing is believed. Prints both figures and
the ratio. Not part of CI (it takes about a minute).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy import signal

FS = 2000.0
WIN = 200


def moving_rms_causal(y, win):
    """The same trailing window as Tonus: missing samples before the start count as zeros."""
    c = np.cumsum(y * y)
    out = np.empty_like(c)
    out[:win] = c[:win] / win
    out[win:] = (c[win:] - c[:-win]) / win
    np.maximum(out, 0.0, out=out)
    return np.sqrt(out, out=out)


def scipy_chain(x):
    sos = signal.butter(4, [20.0, 500.0], "bandpass", fs=FS, output="sos")
    return moving_rms_causal(signal.sosfilt(sos, x), WIN)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3600.0)
    ap.add_argument("--reps", type=int, default=7)
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    rng = np.random.default_rng(7)
    n = int(args.seconds * FS)
    t = np.arange(n) / FS
    x = 20.0 * rng.standard_normal(n) * (1.0 + np.sin(2 * np.pi * 0.05 * t) ** 2) + 15.0

    with tempfile.TemporaryDirectory() as tmp:
        xin, xout = os.path.join(tmp, "x.f64"), os.path.join(tmp, "env.f64")
        x.astype("<f8").tofile(xin)
        cmd = ["cargo", "bench", "-q", "--bench", "peers_chain", "--", xin, str(args.reps), xout]
        res = subprocess.run(cmd, cwd=root, check=True, capture_output=True, text=True)
        tonus = json.loads(res.stdout.strip().splitlines()[-1])
        env = np.fromfile(xout, dtype="<f8")

    ref = scipy_chain(x)  # warm-up and reference
    err = np.max(np.abs(env - ref) / np.maximum(np.abs(ref), 1e-3 * np.max(ref)))
    if not err < 1e-9:
        sys.exit(f"Tonus envelope differs from SciPy's: max relative error {err:.3e}")
    times = []
    for _ in range(args.reps):
        t0 = time.perf_counter()
        scipy_chain(x)
        times.append(time.perf_counter() - t0)
    scipy_med = statistics.median(times)
    tonus_sps = n / tonus["median_s"]
    scipy_sps = n / scipy_med
    print(f"samples: {n} ({args.seconds:g} s at 2 kHz, 1 channel); outputs agree to {err:.1e} relative")
    print(f"{'chain':<34}{'median s':>10}{'samples/s':>14}")
    print(f"{'tonus emg (ChannelChain::process)':<34}{tonus['median_s']:>10.4f}{tonus_sps:>14.3e}")
    print(f"{'scipy sosfilt + numpy RMS':<34}{scipy_med:>10.4f}{scipy_sps:>14.3e}")
    print(f"ratio tonus/scipy: {tonus_sps / scipy_sps:.1f}x")


if __name__ == "__main__":
    main()
