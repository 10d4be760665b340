#!/usr/bin/env bash
# Idle cost of the resident (issue 6): `dialbridge demo` with its tray up,
# the simulated phone paired and no window open, measured from outside over
# IDLE_SECONDS (default 30): resident memory (VmRSS from /proc/PID/status)
# and CPU (utime+stime from /proc/PID/stat). The same for cmd/internal/baretray,
# the smallest fyne.io/systray program, for comparison.
#
# Prints Go benchmark lines for cmd/internal/benchreport:
#   BenchmarkIdleResident 1 <MiB> MiB-rss <pct> %cpu <MiB> MiB-anon <MiB> MiB-file
#   BenchmarkIdleBareTray 1 <MiB> MiB-rss <pct> %cpu <MiB> MiB-anon <MiB> MiB-file
# RUNS (default 1) repeats each measurement. Targets: <= 15 MiB RSS and
# <= 0.1 % CPU; IDLE_STRICT=1 makes a miss fail the script.
# Run it inside .ci/desktop-session.sh or anywhere with dbus-daemon.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
runs=${RUNS:-1}
secs=${IDLE_SECONDS:-30}
settle=${IDLE_SETTLE:-12} # past the start-up memory release, 10 s after start
scratch idle

# The same flags as `make build` and .ci/bench.sh, so the build cache serves.
bash .ci/build.sh "$tmp"
go build -trimpath -ldflags '-s -w' -o "$tmp/baretray" ./cmd/internal/baretray

# A private session bus, so that nothing else on the bus (or its absence)
# changes what is measured.
dbus-daemon --session --nofork --print-address=3 3>"$tmp/bus" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$tmp/bus" ] && break; sleep 0.05; done
DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$tmp/bus")
export DBUS_SESSION_BUS_ADDRESS

hz=$(getconf CLK_TCK)

# cpu_ticks PID: utime+stime in clock ticks (fields 14 and 15 of stat; the
# command name in field 2 may hold spaces, so cut after its closing paren).
cpu_ticks() {
  local rest
  rest=$(sed 's/^.*) //' "/proc/$1/stat")
  set -- $rest
  echo $(( ${12} + ${13} ))
}

# status_kib PID FIELD: a memory figure of /proc/PID/status in KiB.
status_kib() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; }

# measure NAME PID: settle, then sample over $secs seconds.
measure() {
  local name=$1 pid=$2
  sleep "$settle"
  local t0 t1
  t0=$(cpu_ticks "$pid")
  sleep "$secs"
  t1=$(cpu_ticks "$pid")
  local rss anon file
  rss=$(status_kib "$pid" VmRSS)
  anon=$(status_kib "$pid" RssAnon)
  file=$(status_kib "$pid" RssFile)
  # RSS splits into private memory (anon) and the binary's and libraries'
  # pages (file), which every instance of the same binary shares.
  awk -v n="$name" -v r="$rss" -v a="$anon" -v f="$file" -v d=$((t1 - t0)) -v hz="$hz" -v s="$secs" \
    'BEGIN { printf "Benchmark%s 1 %.1f MiB-rss %.3f %%cpu %.1f MiB-anon %.1f MiB-file\n", n, r/1024, 100*d/hz/s, a/1024, f/1024 }'
}

over=0
check() { # LINE: fails the targets?
  awk '{ if ($3 > 15 || $5 > 0.1) exit 1 }' <<<"$1" || over=1
}

for run in $(seq "$runs"); do
  dir="$tmp/run$run"
  mkdir -p "$dir"
  printf '[listener]\nport = %s\n' "$(free_port)" >"$dir/config.toml"
  HOME="$dir" DISPLAY= WAYLAND_DISPLAY= "$tmp/dialbridge" demo --config "$dir/config.toml" 2>"$dir/log" &
  pid=$!
  pids+=($pid)
  for _ in $(seq 300); do [ -s "$dir/control.json" ] && break; sleep 0.05; done
  [ -s "$dir/control.json" ] || { echo "dialbridge demo did not start:" >&2; cat "$dir/log" >&2; exit 1; }
  line=$(measure IdleResident "$pid")
  echo "$line"
  check "$line"
  kill "$pid"; wait "$pid" 2>/dev/null || true

  "$tmp/baretray" 2>/dev/null &
  pid=$!
  pids+=($pid)
  line=$(measure IdleBareTray "$pid")
  echo "$line"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

if [ "$over" = 1 ]; then
  echo "the resident is over its idle targets (15 MiB RSS, 0.1 % CPU)" >&2
  [ "${IDLE_STRICT:-0}" = 1 ] && exit 1
fi
exit 0
