#!/usr/bin/env bash
# Runs every Go fuzz target of the module for a bounded time each
# (FUZZTIME, default 5s), on top of the seed corpora that `go test` replays.
set -euo pipefail
fuzztime=${FUZZTIME:-5s}
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "fuzz $pkg $target ($fuzztime)"
    # A crash found by the fuzzer always says "Failing input written to" and
    # fails the run. Go's fuzz engine can also stop without any failing input
    # when -fuzztime runs out while it minimises a new input on a loaded
    # machine; such a run is tried once more, and fails if it happens again.
    for attempt in 1 2; do
      if go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "$pkg" >/tmp/fuzz-$$.log 2>&1; then
        break
      fi
      if [ "$attempt" = 2 ] || grep -q "Failing input written to" /tmp/fuzz-$$.log; then
        cat /tmp/fuzz-$$.log
        exit 1
      fi
      echo "  the fuzz engine stopped without a failing input; trying $target once more"
    done
  done
done
rm -f /tmp/fuzz-$$.log
