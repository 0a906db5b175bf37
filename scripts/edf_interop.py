#!/usr/bin/env python3
"""Independent EDF+ oracle for tonus-io's tests (edfio, never used by the product).

  edf_interop.py read FILE   -> (EDF+, or BDF+ when FILE ends in .bdf) JSON: per signal label, unit, rate, physical range, digital range,
                                samples (physical), and the annotations (onset, text)
  edf_interop.py read-both FILE -> JSON: edfio's record count and pyedflib's first-signal samples
  edf_interop.py write FILE  -> writes a two-rate EDF+ file with annotations (the test recomputes
                                the same signals): pelvic uV 2000 Hz = 80 sin(2π 7 t) + 3,
                                anal mmHg 100 Hz = 40 + 20 t, 3 s; annotations 0.5 s 'pre_baseline',
                                1.25 s 'squeeze'
"""
import json
import sys

import numpy as np
import edfio


def read(path):
    edf = edfio.read_bdf(path) if path.endswith(".bdf") else edfio.read_edf(path)
    out = {"signals": [], "annotations": []}
    for s in edf.signals:
        out["signals"].append({
            "label": s.label,
            "unit": s.physical_dimension,
            "rate": s.sampling_frequency,
            "physical": [s.physical_min, s.physical_max],
            "digital": [s.digital_min, s.digital_max],
            "samples": s.data.tolist(),
        })
    for a in edf.annotations:
        out["annotations"].append({"onset": a.onset, "text": a.text})
    json.dump(out, sys.stdout)


def write(path):
    t2 = np.arange(6000) / 2000.0
    t1 = np.arange(300) / 100.0
    pelvic = edfio.EdfSignal(80 * np.sin(2 * np.pi * 7 * t2) + 3, sampling_frequency=2000,
                             label="pelvic", physical_dimension="uV", physical_range=(-100, 100))
    anal = edfio.EdfSignal(40 + 20 * t1, sampling_frequency=100, label="anal",
                           physical_dimension="mmHg", physical_range=(0, 200))
    edf = edfio.Edf([pelvic, anal], annotations=[edfio.EdfAnnotation(0.5, None, "pre_baseline"),
                                                 edfio.EdfAnnotation(1.25, None, "squeeze")])
    edf.write(path)


def read_both(path):
    """Whether edfio and pyedflib both open FILE: their record and first-signal sample counts."""
    import pyedflib
    edf = edfio.read_bdf(path) if path.endswith(".bdf") else edfio.read_edf(path)
    reader = pyedflib.EdfReader(path)
    n = int(reader.getNSamples()[0])
    reader.close()
    json.dump({"edfio_records": edf.num_data_records, "pyedflib_samples": n}, sys.stdout)


if __name__ == "__main__":
    {"read": read, "write": write, "read-both": read_both}[sys.argv[1]](sys.argv[2])
