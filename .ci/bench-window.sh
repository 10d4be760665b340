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

# The windows talk D-Bus (Fyne's settings portal, the keyring). Without a
# session bus, libdbus would autolaunch a daemon per window process that
# outlives it: give the whole run one private bus that ends with it.
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  exec dbus-run-session -- bash "$0" "$@"
fi

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

# start_xvfb SIZE starts a private X server on a display number it picks
# itself (-displayfd), so that parallel runs never share one.
start_xvfb() {
  Xvfb -displayfd 3 -screen 0 "$1" -nolisten tcp 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$tmp/display" ] && break; sleep 0.1; done
  [ -s "$tmp/display" ] || { echo "Xvfb did not start" >&2; exit 1; }
  export DISPLAY=":$(head -n1 "$tmp/display")"
}

echo "building…" >&2
bash .ci/build.sh "$tmp"
go build -o "$tmp/minwindow" ./cmd/internal/minwindow

# A private home: Fyne writes its preferences there, the resident its
# control file and journal.
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share"
mkdir -p "$XDG_CONFIG_HOME/dialbridge" "$XDG_DATA_HOME"

if [ -z "${DISPLAY:-}" ]; then
  start_xvfb 1280x800x24
fi

cfg="$XDG_CONFIG_HOME/dialbridge/config.toml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf '[listener]\nport = %d\n' "$port" >"$cfg"
"$tmp/dialbridge" serve --config "$cfg" 2>"$tmp/serve.log" &
pids+=($!)
for _ in $(seq 100); do [ -f "$XDG_CONFIG_HOME/dialbridge/control.json" ] && break; sleep 0.1; done

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
