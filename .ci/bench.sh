#!/usr/bin/env bash
# make bench: every measurement of issue 10, several runs each, written to
# BENCHMARKS.md by cmd/internal/benchreport. Each step prints Go benchmark
# lines ("BenchmarkName 1 VALUE UNIT ...") into $out/*.txt.
# RUNS (default 5) sets how often each measurement is repeated; SPACED_N
# (default 20) the dials per run of the spaced dial measurement (6 s each).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
out=$(mktemp -d /tmp/dialbridge-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT

bash .ci/build.sh bin

echo "== Go benchmarks (hot functions, dial latency, event storm), count=$runs"
go test -run='^$' -bench=. -benchmem -count="$runs" -timeout 60m ./... | tee "$out/go.txt"

echo "== start-up"
go run ./cmd/internal/benchstartup -bin bin/dialbridge -n "$((runs * 2))" | tee "$out/startup.txt"

echo "== dial hop at one dial every 3 s after idle (through dialbridge serve vs straight to the phone)"
go build -o "$out/linkbench" ./cmd/internal/linkbench
for _ in $(seq "$runs"); do
  "$out/linkbench" -dialbridge bin/dialbridge -every 3s -n "${SPACED_N:-20}"
done | tee "$out/spaced.txt"

for script in .ci/bench-link.sh .ci/bench-idle.sh .ci/bench-window.sh; do
  if [ -x "$script" ]; then
    echo "== $script"
    RUNS="$runs" bash .ci/desktop-session.sh bash "$script" | tee "$out/$(basename "$script" .sh).txt"
  fi
done

go run ./cmd/internal/benchreport -o BENCHMARKS.md "$out"/*.txt
echo "BENCHMARKS.md written"
