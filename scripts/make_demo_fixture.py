#!/usr/bin/env python3
"""Write fixtures/demo_session.csv: a 12 s synthetic pelvic-floor session for the README's first run.

    python3 scripts/make_demo_fixture.py fixtures/demo_session.csv

1000 Hz; pelvic EMG (uV), abdominal EMG (uV), anal pressure (mmHg); markers pre_baseline (0 s),
phasic (3 s), tonic (7 s), post_baseline (10 s). EMG is Gaussian noise shaped by an envelope (rest 2 uV
RMS, two 1.5 s flicks at 30 uV, one 2.5 s hold at 25 uV), plus 50 Hz hum (3 uV peak), an electrode DC
offset (15 uV) and slow baseline wander. Pressure: 60 mmHg rest, +40 mmHg per contraction (0.4 s rise),
a 0.25 Hz breathing ripple and sensor noise. Fixed seed; values printed with 4 decimals.
"""
import sys

import numpy as np

FS = 1000
T = 12.0


def envelope(t, spans, rest, ramp=0.15):
    """Rest level plus raised-cosine-edged contractions (start, end, level)."""
    e = np.full_like(t, rest)
    for start, end, level in spans:
        up = np.clip((t - start) / ramp, 0, 1)
        down = np.clip((end - t) / ramp, 0, 1)
        shape = 0.5 - 0.5 * np.cos(np.pi * np.minimum(up, down))
        e = np.maximum(e, rest + (level - rest) * shape)
    return e


def main(path):
    rng = np.random.default_rng(20261121)
    n = int(FS * T)
    t = np.arange(n) / FS
    spans = [(3.5, 5.0, 30.0), (5.5, 7.0, 30.0), (7.5, 10.0, 25.0)]
    hum = 3.0 * np.sin(2 * np.pi * 50 * t)
    wander = 4.0 * np.sin(2 * np.pi * 0.3 * t) + 2.0 * np.sin(2 * np.pi * 0.11 * t + 1.0)
    pelvic = envelope(t, spans, 2.0) * rng.standard_normal(n) + hum + 15.0 + wander
    abdominal = envelope(t, [(s, e, 0.3 * a) for s, e, a in spans], 1.5) * rng.standard_normal(n) + hum + 8.0
    squeeze = envelope(t, [(s, e, 40.0) for s, e, _ in spans], 0.0, ramp=0.4)
    pressure = 60.0 + squeeze + 1.5 * np.sin(2 * np.pi * 0.25 * t) + 0.3 * rng.standard_normal(n)
    markers = {0: "pre_baseline", 3 * FS: "phasic", 7 * FS: "tonic", 10 * FS: "post_baseline"}
    with open(path, "w") as f:
        f.write("t,pelvic[uV],abdominal[uV],anal[mmHg],marker\n")
        for i in range(n):
            f.write(f"{t[i]:.4f},{pelvic[i]:.4f},{abdominal[i]:.4f},{pressure[i]:.4f},{markers.get(i, '')}\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fixtures/demo_session.csv")
