#!/usr/bin/env bash
# Measures a clicked phone link end to end: from the start of
# `dialbridge tel:...` (what the desktop runs) to the simulated phone
# receiving the dial, against cmd/internal/directdial, the smallest program
# that sends the same control-API request. Prints p50/p99 of both (and of
# the process's exit and peak memory) over N links, RUNS times.
#   N=50 (links per program and run)   RUNS=1   LINK='tel:+49 30 1234567'
# Usage: .ci/bench-link.sh
set -euo pipefail
cd "$(dirname "$0")/.."
go=${GO:-go}
n=${N:-50}
link=${LINK:-tel:+49 30 1234567}
dir=$(mktemp -d /tmp/dialbridge-bench-link.XXXXXX)
trap 'rm -rf "$dir"' EXIT
# Built as `make build` builds the binary people run.
GO="$go" bash .ci/build.sh "$dir"
"$go" build -trimpath -ldflags '-s -w' -o "$dir/directdial" ./cmd/internal/directdial
"$go" build -o "$dir/linkbench" ./cmd/internal/linkbench
for _ in $(seq "${RUNS:-1}"); do
  "$dir/linkbench" -dialbridge "$dir/dialbridge" -direct "$dir/directdial" -n "$n" -link "$link"
done
