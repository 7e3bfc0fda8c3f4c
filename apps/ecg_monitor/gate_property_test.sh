#!/bin/sh
# A model file's metadata is untrusted input: a gate threshold that is not a number from -1 to 1 is
# refused with the property and its value named, and so is a model trained on another signal chain.
set -u
vigil="$1"
onnx="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
refused() {  # refused EXPECTED_MESSAGE COMPILE_OPTIONS...
  expected="$1"
  shift
  "$vigil" compile "$onnx" "$@" -q -o "$work/model.vgl" > /dev/null || exit 1
  if "$vigil" ecg monitor --synthetic --quiet --model "$work/model.vgl" > /dev/null 2> "$work/err"; then
    echo "accepted: $*"
    exit 1
  fi
  grep -qF "$expected" "$work/err" || { cat "$work/err"; exit 1; }
}
for property in ecg.ventricular_max_qrs_correlation ecg.supraventricular_min_qrs_correlation; do
  for value in abc 1.5 -2 nan 0.9x; do
    refused "property $property is \"$value\", not a number from -1 to 1" --property "$property=$value"
  done
done
refused "trained on signal chain \"1\" but this chain is 2" --property ecg.signal_chain=1
# The same model with valid thresholds runs.
"$vigil" compile "$onnx" --property ecg.ventricular_max_qrs_correlation=0.5 \
  --property ecg.supraventricular_min_qrs_correlation=-0.5 -q -o "$work/model.vgl" > /dev/null || exit 1
"$vigil" ecg monitor --synthetic --quiet --model "$work/model.vgl" > /dev/null
