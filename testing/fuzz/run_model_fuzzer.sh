#!/usr/bin/env bash
# Runs a fuzzing campaign of vigil_model_fuzzer (libFuzzer, ASan + UBSan) from freshly generated
# seeds and records it in docs/evidence/fuzzing.json (commit, date, command, executions, duration,
# corpus size, findings). docs/fuzzing.md explains the target and lists past campaigns.
#
# Usage: testing/fuzz/run_model_fuzzer.sh [RUNS [MAX_SECONDS]]     (defaults: 1000000 and 14400)
# Exits non-zero when the fuzzer finds a crash; the reproducer is in build-fuzz/model_fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-1000000}
max_seconds=${2:-14400}
work=build-fuzz/model_fuzz
# The commit the binary is built from (a run takes a while; HEAD may move meanwhile).
commit=$(git rev-parse HEAD)$(git diff --quiet HEAD -- runtime testing || echo "+dirty")

cmake --preset fuzz >/dev/null
cmake --build build-fuzz --target vigil_model_fuzzer vigil_model_fuzz_seeds
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
build-fuzz/bin/vigil_model_fuzz_seeds "$work/seeds"
seeds=$(find "$work/seeds" -type f | wc -l)

# UBSan findings must stop the run (clang recovers from them by default).
command=(build-fuzz/bin/vigil_model_fuzzer -runs="$runs" -max_total_time="$max_seconds" -max_len=65536
         -timeout=60 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/"
         "$work/corpus" "$work/seeds")
start=$(date +%s)
set +e
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 "${command[@]}" 2>&1 |
  tee "$work/log.txt"
status=${PIPESTATUS[0]}
set -e
seconds=$(( $(date +%s) - start ))

stat() { sed -n "s/^stat::$1: *//p" "$work/log.txt" | tail -1; }
executions=$(stat number_of_executed_units)
corpus=$(find "$work/corpus" "$work/seeds" -type f | wc -l)
# Crashes, leaks, timeouts and out-of-memory are findings; libFuzzer also saves units slower than
# 10 s, which are legal (large) models, counted apart.
findings=$(find "$work/artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
slow_units=$(find "$work/artifacts" -type f -name 'slow-unit-*' | wc -l)
coverage=$(grep -o 'cov: [0-9]*' "$work/log.txt" | tail -1 | cut -d' ' -f2)
mkdir -p docs/evidence
cat > docs/evidence/fuzzing.json.tmp <<JSON
{
  "commit": "$commit",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "command": "testing/fuzz/run_model_fuzzer.sh $runs $max_seconds",
  "fuzzer_command": "UBSAN_OPTIONS=halt_on_error=1 ${command[*]}",
  "target": "vigil_model_fuzzer (VerifyModel -> Init -> Invoke)",
  "sanitizers": "address, undefined (halt on error), libFuzzer",
  "compiler": "$(clang++ --version | head -1)",
  "cpu": "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)",
  "jobs": 1,
  "executions": ${executions:-0},
  "duration_seconds": $seconds,
  "executions_per_second": $(( ${executions:-0} / (seconds > 0 ? seconds : 1) )),
  "seed_models": $seeds,
  "corpus_files_at_end": $corpus,
  "coverage_edges": ${coverage:-0},
  "findings": $findings,
  "slow_units": $slow_units,
  "exit_status": $status
}
JSON
mv docs/evidence/fuzzing.json.tmp docs/evidence/fuzzing.json
echo "run_model_fuzzer: ${executions:-0} executions in ${seconds}s, corpus $corpus, findings $findings"
exit "$status"
