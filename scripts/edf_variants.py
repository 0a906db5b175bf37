#!/usr/bin/env python3
"""EDF and BDF files as other tools write them, for tonus-io's interop test (never used by the
product): edfio and pyedflib each write plain EDF/BDF (no annotation signal), EDF+/BDF+ with and
without annotations, one to eight signals at mixed rates. Beside each FILE, FILE.json holds what
the writing library reads back: per signal label, rate and physical samples, and the annotations.

    python3 scripts/edf_variants.py OUTDIR
"""
import json
import sys
from pathlib import Path

import numpy as np


def signal_set(n):
    """n signals: EMG (uV) at 1000 or 2000 Hz, the odd ones pressure (mmHg) at 100 Hz, 3 s."""
    out = []
    for k in range(n):
        if k % 2 == 0:
            rate = 2000 if k % 4 == 0 else 1000
            t = np.arange(3 * rate) / rate
            x = 50 * np.sin(2 * np.pi * (7 + k) * t) + 10 * np.sin(2 * np.pi * 90 * t) + k
            out.append((f"emg{k}", "uV", rate, x, (-200.0, 200.0)))
        else:
            rate = 100
            t = np.arange(3 * rate) / rate
            out.append((f"press{k}", "mmHg", rate, 40 + 20 * t + k, (0.0, 300.0)))
    return out


ANNOTATIONS = [(0.5, "pre_baseline"), (1.25, "phasic")]


def with_edfio(path, n, bdf, annotations):
    import edfio
    cls, sig = (edfio.Bdf, edfio.BdfSignal) if bdf else (edfio.Edf, edfio.EdfSignal)
    signals = [sig(x, sampling_frequency=r, label=l, physical_dimension=u, physical_range=pr)
               for l, u, r, x, pr in signal_set(n)]
    kw = {"annotations": [edfio.EdfAnnotation(t, None, s) for t, s in ANNOTATIONS]} if annotations else {}
    cls(signals, **kw).write(path)
    f = edfio.read_bdf(path) if bdf else edfio.read_edf(path)
    return ([(s.label, s.sampling_frequency, s.data.tolist()) for s in f.signals],
            [(a.onset, a.text) for a in f.annotations])


def with_pyedflib(path, n, bdf, plus):
    import pyedflib
    kind = {(False, False): pyedflib.FILETYPE_EDF, (False, True): pyedflib.FILETYPE_EDFPLUS,
            (True, False): pyedflib.FILETYPE_BDF, (True, True): pyedflib.FILETYPE_BDFPLUS}[(bdf, plus)]
    sigs = signal_set(n)
    w = pyedflib.EdfWriter(str(path), n, file_type=kind)
    dmax = 8388607 if bdf else 32767
    w.setSignalHeaders([{"label": l, "dimension": u, "sample_frequency": r, "physical_min": pr[0],
                         "physical_max": pr[1], "digital_min": -dmax - 1, "digital_max": dmax,
                         "transducer": "", "prefilter": ""} for l, u, r, x, pr in sigs])
    w.writeSamples([x for *_, x, _ in sigs])
    if plus:
        for t, s in ANNOTATIONS:
            w.writeAnnotation(t, -1, s)
    w.close()
    r = pyedflib.EdfReader(str(path))
    signals = [(r.getLabel(i), r.getSampleFrequency(i), r.readSignal(i).tolist()) for i in range(n)]
    on, _, text = r.readAnnotations()
    r.close()
    return signals, [(float(a), str(b)) for a, b in zip(on, text)]


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for n in (1, 2, 3, 8):
        for bdf in (False, True):
            ext = "bdf" if bdf else "edf"
            for annotations in (False, True):
                name = f"edfio_{n}_{'plus' if annotations else 'plain'}.{ext}"
                made.append((name, with_edfio(out / name, n, bdf, annotations)))
                name = f"pyedflib_{n}_{'plus' if annotations else 'plain'}.{ext}"
                made.append((name, with_pyedflib(out / name, n, bdf, annotations)))
    for name, (signals, annotations) in made:
        (out / (name + ".json")).write_text(json.dumps({
            "signals": [{"label": l, "rate": r, "samples": x} for l, r, x in signals],
            "annotations": [{"onset": t, "text": s} for t, s in annotations],
        }))
    print(f"{len(made)} files in {out}")


if __name__ == "__main__":
    main()
