#!/usr/bin/env bash
# Benchmarks `vigil bench` against ONNX Runtime (onnxruntime-node, npm) and OpenCV dnn (Debian) on the
# same ONNX models, one thread, median of N runs each, all in one run on one machine; writes the
# results and ratios to docs/benchmarks.md and docs/evidence/benchmarks.json.
# Usage: bench/run_benchmarks.sh [ITERATIONS]        (default 200; run after ./setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-200}
warmup=10
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[[ -d bench/peers/node_modules ]] || { echo "bench: run ./setup.sh first (bench/peers/node_modules missing)" >&2; exit 2; }

/usr/bin/python3 -W ignore bench/export_bench_models.py "$work" > /dev/null 2>&1
declare -A shapes=([ecg_cnn1d]=1x1x256 [unet256]=1x3x256x256)
results="[]"
for name in ecg_cnn1d unet256; do
  echo "bench: $name" >&2
  build/bin/vigil compile "$work/$name.onnx" -o "$work/$name.vgl" > /dev/null
  vigil=$(build/bin/vigil bench "$work/$name.vgl" --iterations "$iterations" --warmup "$warmup" --json)
  ort=$(node bench/peers/ort_bench.mjs "$work/$name.onnx" "$iterations" "$warmup")
  opencv=$(build/bin/opencv_dnn_bench "$work/$name.onnx" "$iterations" "$warmup" "${shapes[$name]}")
  results=$(/usr/bin/python3 - "$results" "$name" "${shapes[$name]}" "$vigil" "$ort" "$opencv" <<'PY'
import json, sys
results, name, shape, vigil, ort, opencv = sys.argv[1:]
results = json.loads(results)
results.append({"model": name, "input_shape": shape, "vigil": json.loads(vigil), "onnxruntime": json.loads(ort),
                "opencv_dnn": json.loads(opencv)})
print(json.dumps(results))
PY
)
done
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
commit=$(git rev-parse --short=12 HEAD)
date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
/usr/bin/python3 - "$results" "$cpu" "$commit" "$date" "$iterations" <<'PY'
import json, sys
results, cpu, commit, date, iterations = sys.argv[1:]
results = json.loads(results)
command = f"bench/run_benchmarks.sh {iterations}"
evidence = {"commit": commit, "date": date, "command": command, "cpu": cpu, "threads": 1, "results": results}
with open("docs/evidence/benchmarks.json", "w") as f:
    json.dump(evidence, f, indent=2)
lines = ["# Benchmarks: Vigil vs ONNX Runtime and OpenCV dnn", "",
         f"Recorded {date} at commit {commit} on {cpu}, one thread each, {iterations} timed runs after 10 warm-ups,",
         f"all in one run of `{command}`. Median and p90 of one Invoke / session.run / net.forward in ms;",
         "the ratio is the peer's median over Vigil's (above 1: Vigil is faster).", "",
         "| model | input | Vigil median | Vigil p90 | ORT median | ratio ORT/Vigil | OpenCV median | ratio OpenCV/Vigil | Vigil arena bytes |",
         "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
for r in results:
    v, o, c = r["vigil"], r["onnxruntime"], r["opencv_dnn"]
    lines.append(f"| {r['model']} | {r['input_shape']} | {v['median_ms']:.4f} | {v['p90_ms']:.4f} | {o['median_ms']:.4f} | "
                 f"{o['median_ms'] / v['median_ms']:.3f} | {c['median_ms']:.4f} | {c['median_ms'] / v['median_ms']:.3f} | "
                 f"{v['arena_bytes']} |")
lines += ["", "Peers: " + results[0]["onnxruntime"]["peer"] + " (npm, CPU execution provider, graph optimisation 'all');",
          results[0]["opencv_dnn"]["peer"] + " (Debian, DNN_BACKEND_OPENCV). Vigil runs its portable reference kernels",
          "(plain loops, float accumulation); the optimised CPU kernels are future work, so ratios below 1 are expected here.", ""]
open("docs/benchmarks.md", "w").write("\n".join(lines))
print("\n".join(lines))
PY
