#!/usr/bin/python3
"""Writes the golden file that ties the C++ signal chain to the training tensors.

  /usr/bin/python3 models/ecg/make_golden.py     (needs ../shared/data/mitdb)

From MIT-BIH record 100 (MLII) and its reference R times, with ecg_data.py (the code that made the
training tensors): the baseline-filtered signal z of the first 4096 samples, and for the first 64
annotated beats their R time, whether their window fits, RR features, alignment, classifier input,
and QRS correlation with, difference from and amplitude against the template.
signal/ecg/beat_features_golden_test.cc feeds the same record and R times through BaselineFilter
and BeatAssembler and expects the same numbers. Derived from the MIT-BIH Arrhythmia Database
(ODC-By 1.0; Moody GB, Mark RG, IEEE EMB 20(3):45-50, 2001).
"""
import os

import numpy as np

import ecg_data

BEATS = 64
SAMPLES = 4096


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "signal", "ecg", "testdata")
    rec = ecg_data.load_record(100)
    r, _ = ecg_data.record_beats(rec)
    z = ecg_data.baseline_removed(rec["x"])
    rr = ecg_data.rr_features(r)
    fits = ecg_data.window_fits(r, len(z))
    keep = fits[:BEATS]
    beats = ecg_data.aligned_beats(z, rec["gain"], r[:BEATS][keep], rr[:BEATS][keep])
    inputs = np.zeros((BEATS, 2, ecg_data.WINDOW_SAMPLES), dtype=np.float32)
    inputs[keep] = ecg_data.beat_inputs(beats["windows"], beats["template"], beats["amp"])
    per_beat = {}
    for name in ("qrs_difference", "qrs_amplitude_ratio", "qrs_correlation", "alignment"):
        per_beat[name] = np.zeros(BEATS, dtype=beats[name].dtype)
        per_beat[name][keep] = beats[name]
    np.save(os.path.join(out, "record100_z.npy"), z[:SAMPLES].astype(np.int32))
    np.save(os.path.join(out, "record100_r.npy"), r[:BEATS].astype(np.int64))
    np.save(os.path.join(out, "record100_fits.npy"), fits[:BEATS].astype(np.uint8))
    np.save(os.path.join(out, "record100_rr.npy"), rr[:BEATS])
    np.save(os.path.join(out, "record100_beat.npy"), inputs)
    for name, values in per_beat.items():
        np.save(os.path.join(out, f"record100_{name}.npy"), values)
    print(f"wrote golden tensors of record 100 to {out}")


if __name__ == "__main__":
    main()
