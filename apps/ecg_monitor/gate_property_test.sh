#!/bin/sh
# The ventricular gate travels in the model file's metadata, which is untrusted input: a model whose
# gate is not a non-negative number is refused, with the property and its value named.
set -u
vigil="$1"
onnx="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for value in abc -1 nan 0.05x; do
  "$vigil" compile "$onnx" --property "ecg.ventricular_min_qrs_difference=$value" -q -o "$work/model.vgl" > /dev/null || exit 1
  if "$vigil" ecg monitor --synthetic --quiet --model "$work/model.vgl" > /dev/null 2> "$work/err"; then
    echo "a gate of '$value' was accepted"
    exit 1
  fi
  grep -qF "property ecg.ventricular_min_qrs_difference is \"$value\"" "$work/err" || { cat "$work/err"; exit 1; }
done
# The same model with a valid gate runs.
"$vigil" compile "$onnx" --property ecg.ventricular_min_qrs_difference=0.1 -q -o "$work/model.vgl" > /dev/null || exit 1
"$vigil" ecg monitor --synthetic --quiet --model "$work/model.vgl" > /dev/null
