#!/usr/bin/python3
"""Writes models/ecg/model_card.json (the SBOM's view of the model) from the training report, the
shipped files and the DS2 evidence that `vigil ecg eval --json -o` wrote.

  /usr/bin/python3 models/ecg/write_model_card.py
"""
import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION = "2.0.0"
ROOT = os.path.join(HERE, "..", "..")
MITDB = {
    "name": "MIT-BIH Arrhythmia Database 1.0.0",
    "source_url": "https://physionet.org/content/mitdb/1.0.0/",
    "license": "ODC-By-1.0",
    "citation": "Moody GB, Mark RG. The impact of the MIT-BIH Arrhythmia Database. IEEE Eng in Med and Biol "
                "20(3):45-50 (2001); Goldberger AL et al. PhysioBank, PhysioToolkit, and PhysioNet. "
                "Circulation 101(23):e215-e220 (2000).",
}


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    with open(os.path.join(HERE, "training_report.json")) as f:
        report = json.load(f)
    ds1 = sorted(report["ds1_sha256"])
    ds2 = ["100", "103", "105", "111", "113", "117", "121", "123", "200", "202", "210", "212", "213", "214",
           "219", "221", "222", "228", "231", "232", "233", "234"]
    sums = os.path.join(ROOT, "..", "shared", "data", "mitdb", "SHA256SUMS")
    lines = open(sums).read().splitlines() if os.path.exists(sums) else []

    def digest_manifest(records):
        keep = [l for l in lines if l.split()[-1].split(".")[0] in records]
        return hashlib.sha256("\n".join(keep).encode()).hexdigest() if keep else ""

    chosen = report["chosen"]
    metrics = {"cv_ds1": chosen["cv"], "decision_rule": chosen["rule"]}
    for name in ("ecg_eval_ds2_fp32", "ecg_eval_ds2_int8"):
        path = os.path.join(ROOT, "docs", "evidence", name + ".json")
        if os.path.exists(path):
            with open(path) as f:
                e = json.load(f)
            metrics[name.replace("ecg_eval_", "")] = {
                "qrs": e["qrs"], "veb": e["veb"], "sveb": e["sveb"], "average": e["average"],
                "evidence": "docs/evidence/" + name + ".json"}
    files = [f for f in ("ecg_classifier.onnx", "ecg_classifier_fp32.vgl", "ecg_classifier_int8.vgl")
             if os.path.exists(os.path.join(HERE, f))]
    card = {
        "name": "ecg_classifier",
        "version": VERSION,
        "description": "Heartbeat classifier (AAMI classes N, S, V, F) for a single-lead (MLII) ECG at 360 Hz: "
                       "an ensemble of %d 1-D CNNs over the template-aligned beat window and its difference from "
                       "the patient's running template, fused with 9 RR-interval features and the QRS comparison "
                       "with the template; a beat whose QRS correlates with the template at least %s is never "
                       "called V, one that correlates less than %s never S (thresholds chosen by cross-validation "
                       "on DS1)." % (len(report["seeds"]), repr(chosen["rule"]["v_gate"]),
                                     repr(chosen["rule"]["s_gate"])),
        "intended_use": "Research and demonstration of an embedded arrhythmia monitor (Vigil). Not a medical "
                        "device; not for diagnosis or treatment.",
        "limitations": "Trained on 22 MIT-BIH records (DS1, 1970s Holter recordings, 47 patients in the whole "
                       "database); inter-patient SVEB detection is weak (see metrics); paced rhythms, "
                       "ventricular flutter and other leads than MLII are out of scope; F and Q beats are not "
                       "reliably recognised.",
        "license": "Apache-2.0 (model weights); training data ODC-By-1.0",
        "files": [{"path": f, "sha256": sha256(os.path.join(HERE, f))} for f in files],  # relative to the card
        "training_data": [dict(MITDB, name=MITDB["name"] + " DS1 (" + " ".join(ds1) + ")",
                               sha256_manifest=digest_manifest(ds1))],
        "calibration_data": [dict(MITDB, name=MITDB["name"] + " DS1, every 8th beat",
                                  sha256_manifest=digest_manifest(ds1))],
        "validation_data": [dict(MITDB, name=MITDB["name"] + " DS2 (" + " ".join(ds2) + ")",
                                 sha256_manifest=digest_manifest(ds2))],
        "training_command": "/usr/bin/python3 models/ecg/train.py",
        "seed": report["seeds"],
        "metrics": metrics,
    }
    with open(os.path.join(HERE, "model_card.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    print("wrote models/ecg/model_card.json")


if __name__ == "__main__":
    main()
