#!/usr/bin/env python3
"""Conventional EMG onsets of the real EMG-with-force recordings, computed with SciPy: the
independent reference the analysis's onsets are tested against (crates/tonus-analysis/tests/
real_emg.rs). Written from the method's description, not from Tonus's code.

Method (Hodges & Bui 1996, as the issue states it): zero-phase band-pass 20-450 Hz (Butterworth,
order 4) and 60 Hz notches at the fundamental and harmonics below 450 Hz (these files carry strong
60 Hz hum, see their PROVENANCE.md); a centred 50 ms moving RMS. Trial by trial, as Hodges & Bui
did: each force contraction (force above baseline + 10 % of its range) is a trial whose baseline
is the second from 2.5 to 1.5 s before the force rises (after the previous contraction's end, when
that is later); its onset is the first sample after the baseline that starts a run of at least
100 ms above baseline mean + 3 SD, searched up to 0.25 s after the force rises.

    python3 scripts/emg_onset_oracle.py DIR OUT.json      # write
    python3 scripts/emg_onset_oracle.py DIR OUT.json --check   # compare with the committed file
"""
import json
import sys
from pathlib import Path

import numpy as np
from scipy import signal

FS = 2000.0
FILES = ["EMGforce1.txt", "EMGforce2.txt", "EM_EMG_SQUEEZE1.txt", "EM_EMG_SQUEEZE2.txt"]


def moving_mean(x, n):
    """Centred moving mean over n samples; at the ends, over the samples there are."""
    ones = np.ones(n)
    return np.convolve(x, ones, mode="same") / np.convolve(np.ones_like(x), ones, mode="same")


def moving_rms(x, n):
    """Centred moving RMS over n samples."""
    return np.sqrt(np.maximum(moving_mean(x * x, n), 0.0))


def runs_above(mask, min_len, gap):
    """(start, end) index pairs of runs of True at least min_len long, merging gaps shorter than gap."""
    runs = []
    i, n = 0, len(mask)
    while i < n:
        if mask[i]:
            j = i
            while j < n and mask[j]:
                j += 1
            runs.append([i, j])
            i = j
        else:
            i += 1
    merged = []
    for r in runs:
        if merged and r[0] - merged[-1][1] < gap:
            merged[-1][1] = r[1]
        else:
            merged.append(r)
    return [(a, b) for a, b in merged if b - a >= min_len]


def force_spans(force):
    """Force contractions: the 50 ms mean above baseline (median of the first second) + 10 % of range."""
    sm = moving_mean(force, int(0.05 * FS))
    base = np.median(sm[: int(FS)])
    top = sm.max()
    above = sm > base + 0.1 * (top - base)
    return [(a / FS, b / FS) for a, b in runs_above(above, int(0.2 * FS), int(0.2 * FS))]


def envelope(emg):
    """The band-passed, notched, 50 ms RMS envelope."""
    sos = signal.butter(4, [20.0, 450.0], btype="bandpass", fs=FS, output="sos")
    y = signal.sosfiltfilt(sos, emg)
    for f in range(60, 450, 60):
        b, a = signal.iirnotch(f, 30.0, fs=FS)
        y = signal.filtfilt(b, a, y)
    return moving_rms(y, int(0.05 * FS))


def trial_onset(rms, f_on, prev_end):
    """The onset of the trial whose force rises at f_on (see the module docs), or None."""
    start = max(f_on - 2.5, prev_end + 0.5, 0.25)
    base = rms[int(start * FS) : int((start + 1.0) * FS)]
    threshold = base.mean() + 3.0 * base.std(ddof=1)
    lo, hi = int((start + 1.0) * FS), int((f_on + 0.25) * FS)
    above = rms[lo : hi + int(0.1 * FS)] > threshold
    need = int(0.1 * FS)
    run = 0
    for i, a in enumerate(above):
        run = run + 1 if a else 0
        if run >= need:
            t = (lo + i - need + 1) / FS
            return t if t <= f_on + 0.25 else None
    return None


def oracle(directory):
    out = {}
    for name in FILES:
        data = np.loadtxt(Path(directory) / name)
        force, emg = data[:, 1], data[:, 2]
        spans = force_spans(force)
        rms = envelope(emg)
        found, prev_end = [], -10.0
        for f_on, f_off in spans:
            found.append(trial_onset(rms, f_on, prev_end))
            prev_end = f_off
        out[name] = {
            "force_spans_s": [[round(a, 4), round(b, 4)] for a, b in spans],
            "onsets_s": [None if t is None else round(t, 4) for t in found],
        }
    return out


def main():
    directory, path = sys.argv[1], sys.argv[2]
    got = oracle(directory)
    if "--check" in sys.argv:
        want = json.loads(Path(path).read_text())
        for name in FILES:
            for key in ("force_spans_s", "onsets_s"):
                if got[name][key] != want[name][key]:
                    sys.exit(f"{name} {key}: committed {want[name][key]}, SciPy now {got[name][key]}")
        print(f"{path}: the committed onsets are SciPy's")
        return
    Path(path).write_text(json.dumps(got, indent=1) + "\n")
    for name, v in got.items():
        print(name, "force", v["force_spans_s"], "onsets", v["onsets_s"])


if __name__ == "__main__":
    main()
