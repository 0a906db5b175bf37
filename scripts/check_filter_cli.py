#!/usr/bin/env python3
"""End-to-end check of `tonus filter` against SciPy on the committed demo fixture.

    python3 scripts/check_filter_cli.py [path/to/tonus]

Runs the binary with several option sets and recomputes each output column independently with
scipy.signal (butter/iirnotch/sosfilt/sosfiltfilt) and numpy, from the channel kinds and the presets'
documented parameters. Fails (exit 1) if any column differs by more than 1e-9 of its peak magnitude.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy import signal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, "fixtures", "demo_session.csv")
FS = 1000.0


def load(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    data = np.genfromtxt(path, delimiter=",", skip_header=1, usecols=range(len(header) - 1))
    return header, data


def emg_sos(low, notch):
    # The `emg` preset: 20-500 Hz, upper edge clipped to 0.45 fs (450 Hz at 1 kHz).
    sos = signal.butter(4, [low, min(500.0, 0.45 * FS)], "bandpass", fs=FS, output="sos")
    if notch:
        rows = [np.hstack(signal.iirnotch(f, 30.0, fs=FS)) for f in np.arange(notch, FS / 2, notch)]
        sos = np.vstack([sos] + rows)
    return sos


def pressure_sos():
    return signal.butter(2, 5.0, "lowpass", fs=FS, output="sos")


def trailing_rms(y, win):
    c = np.cumsum(y * y)
    out = np.empty_like(c)
    out[:win] = c[:win] / win
    out[win:] = (c[win:] - c[:-win]) / win
    return np.sqrt(np.maximum(out, 0.0))


def expected(x, kind, opts):
    zero = "--zero-phase" in opts
    run = signal.sosfiltfilt if zero else signal.sosfilt
    if kind == "pressure":
        return run(pressure_sos(), x)
    low = 30.0 if "emg-ecg-safe" in opts else 20.0
    notch = 50.0 if "--notch" in opts else None
    y = run(emg_sos(low, notch), x)
    if "rms" in opts and not zero:
        return trailing_rms(y, 100)
    return y


def main():
    tonus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "debug", "tonus")
    header, data = load(FIXTURE)
    kinds = ["pressure" if "mmHg" in h else "emg" for h in header[1:-1]]
    cases = [[], ["--notch", "50"], ["--preset", "emg-ecg-safe"], ["--zero-phase"],
             ["--envelope", "rms"], ["--zero-phase", "--notch", "50"]]
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for opts in cases:
            out = os.path.join(tmp, "out.csv")
            subprocess.run([tonus, "filter", FIXTURE, "-o", out] + opts, check=True, capture_output=True)
            _, got = load(out)
            for c, kind in enumerate(kinds, start=1):
                want = expected(data[:, c], kind, opts)
                err = np.max(np.abs(got[:, c] - want)) / np.max(np.abs(want))
                worst = max(worst, err)
                status = "ok" if err <= 1e-9 else "DIFFERS"
                print(f"tonus filter {' '.join(opts) or '(defaults)':<32} {header[c]:<15} "
                      f"max error {err:.2e} of peak  {status}")
                if err > 1e-9:
                    sys.exit(1)
    print(f"tonus filter agrees with SciPy on every case (worst {worst:.2e} of peak)")


if __name__ == "__main__":
    main()
