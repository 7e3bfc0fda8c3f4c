#!/usr/bin/python3
"""Trains Vigil's ECG beat classifier on MIT-BIH DS1 and exports it to ONNX.

  /usr/bin/python3 models/ecg/train.py [--out models/ecg] [--seed 7] [--threads 2]

Inter-patient protocol (de Chazal 2004): only DS1 records are read. Every choice (class weighting,
epochs, the per-class logit offsets of the decision rule, then the threshold of its ventricular gate:
a beat whose QRS matches the patient's template is not V) is made by 4-fold cross-validation
across DS1 *records* (a record is never in both the training and the held-out part of a fold),
scored by the EC57 gross VEB and SVEB Se and +P of the pooled held-out predictions. DS2 is never
opened here.

Outputs: ecg_classifier.onnx (inputs "beat" [1,2,128] (window and its
difference from the patient's template, both divided by the template's amplitude) and "rr" [1,9] seconds/ratios; output
"probabilities" [1,4] for N S V F; the gate's threshold in the metadata property
"ecg.ventricular_min_qrs_difference"), training_report.json (the CV table, the chosen configuration, data hashes), and
--calib-dir/{beat,rr}.npy (DS1 tensors for INT8 calibration, one file per model input as
`vigil compile --calib DIR` reads them; not committed).
"""
import argparse
import hashlib
import itertools
import json
import os
import time

import numpy as np
import onnx
import torch
from torch import nn

import ecg_data

NUM_CLASSES = 4  # N S V F; the 15 Q beats of DS1 are too few to learn from and are left out
JITTER = 4       # training-time shift of the R time, samples: the detector's R is not the annotator's

# Candidate thresholds of the ventricular gate (QRS difference energy / template energy): decided
# before the search, from the spread of DS1's normal beats (median 0.014, 95th percentile 0.2).
GATE_THRESHOLDS = [0.0, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3]
GATE_PROPERTY = "ecg.ventricular_min_qrs_difference"


class BeatClassifier(nn.Module):
    """Beat morphology (1-D CNN) + RR rhythm features (small MLP), fused by two dense layers."""

    def __init__(self, width):
        super().__init__()
        w = width
        self.morphology = nn.Sequential(
            nn.Conv1d(2, w, 7, padding=3), nn.BatchNorm1d(w), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(w, 2 * w, 5, padding=2), nn.BatchNorm1d(2 * w), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(2 * w, 2 * w, 5, padding=2), nn.BatchNorm1d(2 * w), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(2 * w, 2 * w, 3, padding=1), nn.BatchNorm1d(2 * w), nn.ReLU(), nn.MaxPool1d(2))
        self.rhythm = nn.Sequential(nn.Linear(ecg_data.RR_FEATURES, 16), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(2 * w * 8 + 16, 32), nn.ReLU(), nn.Linear(32, NUM_CLASSES))

    def forward(self, beat, rr):
        m = torch.flatten(self.morphology(beat), 1)
        return self.head(torch.cat([m, self.rhythm(rr)], 1))


class Exported(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, beat, rr):
        return torch.softmax(self.net(beat, rr), 1)


def load_ds1():
    records = {}
    for n in ecg_data.DS1:
        rec = ecg_data.load_record(n)
        r, labels = ecg_data.record_beats(rec)
        rr = ecg_data.rr_features(r)
        z = ecg_data.baseline_removed(rec["x"])
        fits = ecg_data.window_fits(r, len(z)) & (r - JITTER - ecg_data.WINDOW_BEFORE >= 0) & \
            (r + JITTER + 2 * ecg_data.WINDOW_SAMPLES < len(z) + ecg_data.WINDOW_BEFORE)
        r, labels, rr = r[fits], labels[fits], rr[fits]
        # The template follows every beat (Q included) and is computed once, from the annotated R
        # times; training windows are then shifted by up to JITTER samples against it.
        template, amp = ecg_data.templates(ecg_data.beat_windows(z, rec["gain"], r), rr)
        records[n] = {"z": z, "gain": rec["gain"], "r": r, "y": labels, "rr": rr, "template": template,
                      "amp": amp}
    return records


def tensors(records, numbers, jitter, rng):
    beats, rrs, ys = [], [], []
    for n in numbers:
        d = records[n]
        shift = rng.integers(-jitter, jitter + 1, len(d["r"])) if jitter else 0
        windows = ecg_data.beat_windows(d["z"], d["gain"], d["r"] + shift)
        keep = d["y"] < NUM_CLASSES  # Q beats are not trained on
        beats.append(ecg_data.beat_inputs(windows, d["template"], d["amp"])[keep])
        rrs.append(d["rr"][keep]); ys.append(d["y"][keep])
    return (torch.from_numpy(np.concatenate(beats)), torch.from_numpy(np.concatenate(rrs)),
            torch.from_numpy(np.concatenate(ys)))


def fit(records, numbers, cfg, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = BeatClassifier(cfg["width"])
    counts = np.bincount(np.concatenate([records[n]["y"] for n in numbers]), minlength=5)[:NUM_CLASSES]
    weights = (counts.sum() / np.maximum(counts, 1)) ** cfg["weight_power"]
    loss_fn = nn.CrossEntropyLoss(weight=torch.tensor(weights / weights.min(), dtype=torch.float32))
    opt = torch.optim.Adam(net.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, cfg["epochs"])
    for _ in range(cfg["epochs"]):
        beat, rr, y = tensors(records, numbers, JITTER, rng)
        # Amplitude augmentation: patients' QRS amplitudes differ; the classifier should not key on it.
        beat = beat * torch.from_numpy(rng.uniform(0.7, 1.3, (len(y), 1, 1)).astype(np.float32))
        net.train()
        for idx in torch.randperm(len(y)).split(256):
            opt.zero_grad()
            loss_fn(net(beat[idx], rr[idx]), y[idx]).backward()
            opt.step()
        sched.step()
    return net.eval()


def predict(net, records, numbers):
    beat, rr, y = tensors(records, numbers, 0, None)
    with torch.no_grad():
        return net(beat, rr).numpy(), y.numpy()


def gross_scores(pred, truth):
    """EC57-style gross Se and +P for VEB (V) and SVEB (S) on matched beats (no detection errors)."""
    def se_ppv(c):
        tp = np.sum((pred == c) & (truth == c))
        fp = np.sum((pred == c) & (truth != c) & (truth != 3 if c == 2 else truth != 4))
        return 100.0 * tp / max(np.sum(truth == c), 1), 100.0 * tp / max(tp + fp, 1)
    v_se, v_ppv = se_ppv(2)
    s_se, s_ppv = se_ppv(1)
    return {"veb_se": v_se, "veb_ppv": v_ppv, "sveb_se": s_se, "sveb_ppv": s_ppv}


def folds():
    """4 folds of DS1 records, dealt in order of SVEB count so each fold holds SVEB-rich records."""
    s_heavy = [209, 201, 207, 118, 220, 223, 124, 114, 108, 205, 215, 112, 116, 101, 106, 109, 115,
               119, 122, 203, 208, 230]
    return [s_heavy[i::4] for i in range(4)]


def qrs_differences(records, numbers):
    """The ventricular gate's input of the non-Q beats of `numbers`, in predict()'s order."""
    out = []
    for n in numbers:
        d = records[n]
        windows = ecg_data.beat_windows(d["z"], d["gain"], d["r"])
        out.append(ecg_data.qrs_difference(windows, d["template"])[d["y"] < NUM_CLASSES])
    return np.concatenate(out)


def cross_validate(records, cfg, seed):
    """Out-of-fold logits of every DS1 beat, each predicted by a model that never saw its record,
    with the true classes and each beat's QRS difference from its patient's template."""
    logits, truths, differences = [], [], []
    for held_out in folds():
        train = [n for n in ecg_data.DS1 if n not in held_out]
        net = fit(records, train, cfg, seed)
        p, t = predict(net, records, held_out)
        logits.append(p); truths.append(t); differences.append(qrs_differences(records, held_out))
    return np.concatenate(logits), np.concatenate(truths), np.concatenate(differences)


def tune_bias(logits, truth):
    """Per-class logit offsets (S, V, F; N fixed at 0) that maximise the selection score of the
    out-of-fold predictions: the decision rule is chosen on DS1 records the model did not see."""
    best = (np.zeros(NUM_CLASSES), -1.0, None)
    for s_bias, v_bias, f_bias in itertools.product(np.arange(-2, 4.01, 0.5), np.arange(-2, 2.01, 0.5),
                                                    [-2.0, -1.0, 0.0]):
        bias = np.array([0.0, s_bias, v_bias, f_bias])
        scores = gross_scores((logits + bias).argmax(1), truth)
        score = selection_score(scores)
        if score > best[1]:
            best = (bias, score, scores)
    return best


def gated_classes(logits, differences, gate):
    """The decision rule: argmax, except that a beat whose QRS difference from its patient's template
    is below `gate` is never V (it takes its next most likely class)."""
    pred = logits.argmax(1)
    matches_template = (pred == 2) & (differences < gate)
    rest = logits.copy()
    rest[:, 2] = -np.inf
    pred[matches_template] = rest[matches_template].argmax(1)
    return pred


def tune_gate(logits, truth, differences, bias):
    """The ventricular gate's threshold, chosen after the offsets (which stay fixed) by the same
    selection score on the out-of-fold predictions; 0 (no gate) competes, and ties go to the smaller."""
    best = (0.0, -1.0, None)
    for gate in GATE_THRESHOLDS:
        scores = gross_scores(gated_classes(logits + bias, differences, gate), truth)
        score = selection_score(scores)
        if score > best[1] + 1e-9:
            best = (gate, score, scores)
    return best


def selection_score(s):
    # The floors of the issue, as fractions met: a configuration that misses one floor badly loses
    # to one that meets them all narrowly.
    floors = {"veb_se": 85, "veb_ppv": 90, "sveb_se": 75, "sveb_ppv": 40}
    return sum(min(s[k] / f, 1.2) for k, f in floors.items())


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--calib-dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                         "..", "..", "build", "ecg-calibration"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="one small configuration (smoke test)")
    ap.add_argument("--cv-table", help="reuse a cross-validation table (JSON list of grid rows) written by an "
                    "earlier run instead of recomputing it")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    start = time.time()
    records = load_ds1()
    print(f"DS1: {sum(len(d['y']) for d in records.values())} beats, classes "
          f"{np.bincount(np.concatenate([d['y'] for d in records.values()]))}", flush=True)

    grid = [{"width": w, "weight_power": p, "epochs": e}
            for w, p, e in itertools.product([8], [0.5, 1.0], [10])]
    if args.quick:
        grid = [{"width": 8, "weight_power": 0.5, "epochs": 2}]
    table = []
    if args.cv_table:
        with open(args.cv_table) as f:
            table = json.load(f)
        grid = []
    for cfg in grid:
        logits, truth, differences = cross_validate(records, cfg, args.seed)
        plain = gross_scores(logits.argmax(1), truth)
        bias, score, tuned = tune_bias(logits, truth)
        gate, gated_score, gated = tune_gate(logits, truth, differences, bias)
        table.append({"config": cfg, "cv_argmax": plain, "bias": bias.tolist(), "cv": tuned, "score": score,
                      "gate": gate, "cv_gated": gated, "gated_score": gated_score})
        print(f"{cfg}: argmax {json.dumps({k: round(v, 2) for k, v in plain.items()})}; with bias "
              f"{bias.tolist()} {json.dumps({k: round(v, 2) for k, v in tuned.items()})} score {score:.3f}; "
              f"with gate {gate} {json.dumps({k: round(v, 2) for k, v in gated.items()})} score "
              f"{gated_score:.3f} ({time.time() - start:.0f} s)", flush=True)
    with open(os.path.join(args.out, "cv_table.json"), "w") as f:
        json.dump(table, f, indent=1)
    best = max(table, key=lambda row: row["gated_score"])
    print(f"chosen by CV on DS1: {best['config']}, logit bias {best['bias']}, gate {best['gate']}", flush=True)

    net = fit(records, ecg_data.DS1, best["config"], args.seed)
    with torch.no_grad():  # the CV-chosen decision rule becomes part of the model
        net.head[-1].bias += torch.tensor(best["bias"], dtype=torch.float32)
    onnx_path = os.path.join(args.out, "ecg_classifier.onnx")
    torch.onnx.export(Exported(net), (torch.zeros(1, 2, ecg_data.WINDOW_SAMPLES),
                                      torch.ones(1, ecg_data.RR_FEATURES)),
                      onnx_path, opset_version=13, input_names=["beat", "rr"],
                      output_names=["probabilities"], do_constant_folding=True)
    # The gate is part of the decision rule, so it travels in the model file (vigil compile copies
    # ONNX metadata into the .vgl; apps/ecg_monitor/beat_classifier.cc applies it).
    exported = onnx.load(onnx_path)
    entry = exported.metadata_props.add()
    entry.key, entry.value = GATE_PROPERTY, repr(float(best["gate"]))
    onnx.save(exported, onnx_path)

    # Calibration tensors for INT8: DS1 only, every 8th beat (about 6,300); build output, not committed.
    os.makedirs(args.calib_dir, exist_ok=True)
    beat, rr, _ = tensors(records, ecg_data.DS1, 0, None)
    np.save(os.path.join(args.calib_dir, "beat.npy"), beat[::8].numpy())
    np.save(os.path.join(args.calib_dir, "rr.npy"), rr[::8].numpy())

    mitdb = os.path.join(ecg_data.data_dir(), "mitdb")
    report = {"seed": args.seed, "grid": table, "chosen": best["config"], "cv_of_chosen": best["cv_gated"],
              "gate": best["gate"],
              "training_seconds": round(time.time() - start, 1),
              "onnx_sha256": sha256(onnx_path),
              "ds1_sha256": {str(n): {ext: sha256(os.path.join(mitdb, f"{n}.{ext}"))
                                      for ext in ("hea", "dat", "atr")} for n in ecg_data.DS1}}
    with open(os.path.join(args.out, "training_report.json"), "w") as f:
        json.dump(report, f, indent=1)
    print(f"wrote {onnx_path} ({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
