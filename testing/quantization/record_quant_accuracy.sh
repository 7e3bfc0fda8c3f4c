#!/usr/bin/env bash
# Records INT8 vs float32 accuracy of the quantization test models with every calibration method into
# docs/evidence/quant_accuracy.json (what docs/quantization.md and the V&V report cite).
# Usage: testing/quantization/record_quant_accuracy.sh      (after ./setup.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
models=build/testing/quant_models
[[ -f $models/stamp ]] || { echo "record_quant_accuracy: build first (./setup.sh)" >&2; exit 2; }
runs=()
for model in cnn1d unet; do
  for method in minmax percentile:99.99 entropy; do
    runs+=("$(build/bin/vigil quant-report "$models/$model.onnx" --calib "$models/${model}_calib.npy" \
              --eval "$models/${model}_eval.npy" --calib-method "$method" --json)")
  done
done
printf '%s\n' "${runs[@]}" | /usr/bin/python3 -c '
import json, sys, subprocess, datetime
decoder = json.JSONDecoder()
text = sys.stdin.read()
runs, i = [], 0
while i < len(text):
    if text[i].isspace():
        i += 1
        continue
    obj, i = decoder.raw_decode(text, i)
    runs.append(obj)
for r in runs:
    r["layers"] = r["layers"][:5]  # the five worst layers; the full list is in the command output
evidence = {"commit": runs[0]["commit"], "date": runs[0]["date"],
            "command": "testing/quantization/record_quant_accuracy.sh", "runs": runs}
json.dump(evidence, open("docs/evidence/quant_accuracy.json", "w"), indent=2)
'
echo "wrote docs/evidence/quant_accuracy.json"
