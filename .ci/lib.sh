#!/usr/bin/env bash
# What the scripts that run dialbridge's programs under a private desktop
# (bench-window.sh, bench-idle.sh, screenshots.sh) share. Source it right
# after `set -euo pipefail`; it defines functions and changes nothing.

# session_bus "$@" re-runs the calling script under a private D-Bus session
# bus unless it has one. The windows talk D-Bus (Fyne's settings portal,
# the keyring); without a session bus, libdbus would autolaunch a daemon
# per window process that outlives it. The whole run gets one private bus
# that ends with it.
session_bus() {
  if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
    exec dbus-run-session -- bash "$0" "$@"
  fi
}

# scratch NAME makes the run's scratch directory $tmp
# (/tmp/dialbridge-NAME.XXXXXX). When the script exits, every process whose
# PID it added to the array pids is ended and $tmp removed, so that a
# failed run leaves nothing behind.
scratch() {
  tmp=$(mktemp -d "/tmp/dialbridge-$1.XXXXXX")
  pids=()
  trap scratch_cleanup EXIT
}

scratch_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}

# private_home gives the programs a home of their own under $tmp: Fyne
# writes its preferences there, the resident its config, control file and
# journal; the person's own stay untouched.
private_home() {
  export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share"
  mkdir -p "$XDG_CONFIG_HOME/dialbridge" "$XDG_DATA_HOME"
}

# start_xvfb SIZE starts a private X server on a display number it picks
# itself (-displayfd), so that parallel runs never share one.
start_xvfb() {
  Xvfb -displayfd 3 -screen 0 "$1" -nolisten tcp 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$tmp/display" ] && break; sleep 0.1; done
  [ -s "$tmp/display" ] || { echo "Xvfb did not start" >&2; exit 1; }
  export DISPLAY=":$(head -n1 "$tmp/display")"
}

# free_port prints a loopback TCP port nothing listens on (the kernel's
# pick; a random high one where python3 is missing).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 40000))
}

# start_resident CONFIG starts the built `dialbridge serve` with CONFIG, as
# the tray runs it, and waits until it has written its control file: only
# then do the windows find it.
start_resident() {
  "$tmp/dialbridge" serve --config "$1" 2>"$tmp/serve.log" &
  pids+=($!)
  local ctl="$XDG_CONFIG_HOME/dialbridge/control.json"
  for _ in $(seq 150); do [ -f "$ctl" ] && break; sleep 0.1; done
  [ -f "$ctl" ] || { echo "dialbridge serve did not start:" >&2; cat "$tmp/serve.log" >&2; exit 1; }
}
