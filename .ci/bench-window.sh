#!/usr/bin/env bash
# How fast does a window open? Measures the time from starting
# `dialbridge ui dial` (what the tray runs when the person clicks "Dial…")
# to its window being mapped on the X server, against
# cmd/internal/minwindow, the smallest Fyne program mapping a window of the
# same size. The difference is what dialbridge's own window costs; the rest
# is process start, Fyne and GL set-up.
#
# A resident runs meanwhile (`dialbridge serve`), as it does when the tray
# is clicked. Uses $DISPLAY when set (e.g. inside .ci/desktop-session.sh),
# else starts its own Xvfb. Needs Xvfb and x11-utils (xev).
#
# Usage: .ci/bench-window.sh            RUNS=30 .ci/bench-window.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
session_bus "$@"

RUNS=${RUNS:-15}
cd "$(dirname "$0")/.."
scratch benchwin

echo "building…" >&2
bash .ci/build.sh "$tmp"
go build -o "$tmp/minwindow" ./cmd/internal/minwindow

private_home

if [ -z "${DISPLAY:-}" ]; then
  start_xvfb 1280x800x24
fi

cfg="$XDG_CONFIG_HOME/dialbridge/config.toml"
printf '[listener]\nport = %d\n' "$(free_port)" >"$cfg"
start_resident "$cfg"

# One X client watches the screen and stamps every window mapped on it
# (xev's MapNotify): event-driven, so the time is the X server's map, and
# nothing polls the server while a window process connects to it.
# (Process substitution, so that $! is xev itself and cleanup can end it.)
stdbuf -oL xev -root -event substructure 2>/dev/null > >(while IFS= read -r line; do
  case $line in MapNotify*) date +%s%N ;; esac
done >"$tmp/maps") &
pids+=($!)
sleep 0.5

# measure CMD...: prints one line per run, milliseconds from starting CMD
# to its window being mapped.
measure() {
  for _ in $(seq "$RUNS"); do
    local start mapped pid seen
    seen=$(wc -l <"$tmp/maps")
    start=$(date +%s%N)
    "$@" >/dev/null 2>"$tmp/window.log" &
    pid=$!
    while [ "$(wc -l <"$tmp/maps")" -le "$seen" ]; do
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "the window process exited before its window appeared:" >&2
        cat "$tmp/window.log" >&2
        exit 1
      fi
      sleep 0.005
    done
    mapped=$(sed -n "$((seen + 1))p" "$tmp/maps")
    echo $(((mapped - start) / 1000000))
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

# stats NAME: reads milliseconds on stdin, prints min, median and p90.
stats() {
  sort -n | awk -v name="$1" '{ v[NR] = $1 } END {
    p90 = int(NR * 0.9 + 0.5); if (p90 < 1) p90 = 1
    printf "%-22s %5d %7d %8d %6d\n", name, NR, v[1], v[int((NR + 1) / 2)], v[p90] }'
}

echo "window mapped after the process started, $RUNS runs each, on $DISPLAY:"
printf "%-22s %5s %7s %8s %6s\n" "program" "runs" "min ms" "median" "p90"
base=$(measure "$tmp/minwindow" "minwindow-bench")
dial=$(measure "$tmp/dialbridge" ui --config "$cfg" dial)
echo "$base" | stats "minwindow (baseline)"
echo "$dial" | stats "dialbridge ui dial"
# The same runs as benchmark lines for cmd/internal/benchreport.
for v in $base; do echo "BenchmarkWindowOpen/minimal-fyne 1 $v ms-to-map"; done
for v in $dial; do echo "BenchmarkWindowOpen/dialpad 1 $v ms-to-map"; done
