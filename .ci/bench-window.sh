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
# else starts its own Xvfb. Needs Xvfb and x11-utils (xwininfo).
#
# Usage: .ci/bench-window.sh            RUNS=30 .ci/bench-window.sh
set -euo pipefail

RUNS=${RUNS:-15}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d /tmp/dialbridge-benchwin.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "building…" >&2
go build -o "$tmp/dialbridge" ./cmd/dialbridge
go build -o "$tmp/minwindow" ./cmd/internal/minwindow

# A private home: Fyne writes its preferences there, the resident its
# control file and journal.
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share"
mkdir -p "$XDG_CONFIG_HOME/dialbridge" "$XDG_DATA_HOME"
# English window titles, whatever the machine's locale.
export LANGUAGE=en LC_ALL=C.UTF-8

if [ -z "${DISPLAY:-}" ]; then
  Xvfb ":${BENCH_DISPLAY:-96}" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  pids+=($!)
  export DISPLAY=":${BENCH_DISPLAY:-96}"
  for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
fi

cfg="$XDG_CONFIG_HOME/dialbridge/config.toml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf '[listener]\nport = %d\n' "$port" >"$cfg"
"$tmp/dialbridge" serve --config "$cfg" 2>"$tmp/serve.log" &
pids+=($!)
for _ in $(seq 100); do [ -f "$XDG_CONFIG_HOME/dialbridge/control.json" ] && break; sleep 0.1; done

# measure TITLE CMD...: prints one line per run, milliseconds from the
# process start to its window named TITLE being viewable.
measure() {
  local title=$1
  shift
  for _ in $(seq "$RUNS"); do
    local start end pid
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 &
    pid=$!
    until xwininfo -name "$title" 2>/dev/null | grep -q IsViewable; do
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "the window process exited before its window appeared" >&2
        exit 1
      fi
    done
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
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
measure "minwindow-bench" "$tmp/minwindow" "minwindow-bench" | stats "minwindow (baseline)"
measure "Dial a number" "$tmp/dialbridge" ui --config "$cfg" dial | stats "dialbridge ui dial"
