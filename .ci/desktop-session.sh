#!/usr/bin/env bash
# Runs a command inside a throwaway desktop session like the one people have:
# a private D-Bus session bus, an unlocked gnome-keyring (Secret Service), and
# an Xvfb display. Tests use the real parts through it; nothing touches the
# caller's own keyring or display. Usage: .ci/desktop-session.sh CMD [ARGS...]
set -euo pipefail

if [ -z "${DIALBRIDGE_IN_SESSION:-}" ]; then
  export DIALBRIDGE_IN_SESSION=1
  tmp=$(mktemp -d /tmp/dialbridge-session.XXXXXX)
  trap 'rm -rf "$tmp"' EXIT
  # Keep the Go caches of the real user: a fresh HOME must not mean a cold build.
  GOCACHE="${GOCACHE:-$(go env GOCACHE)}" GOMODCACHE="${GOMODCACHE:-$(go env GOMODCACHE)}" GOPATH="${GOPATH:-$(go env GOPATH)}"
  export GOCACHE GOMODCACHE GOPATH
  export HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/run" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share"
  # A real desktop has a real locale; "C" makes Fyne's lang package complain.
  case "${LANG:-C}" in C|C.*|POSIX) export LANG=en_US.UTF-8 ;; esac
  mkdir -p "$HOME/.cache" "$HOME/.local/share/keyrings" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME"
  chmod 700 "$HOME/.cache" "$HOME/.local/share/keyrings" "$XDG_RUNTIME_DIR"
  exec dbus-run-session -- "$0" "$@"
fi

# Inside the bus: unlock a keyring, start an X server.
eval "$(echo -n dialbridge-test | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
Xvfb :${DIALBRIDGE_DISPLAY:-97} -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
export DISPLAY=:${DIALBRIDGE_DISPLAY:-97}
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
status=0
"$@" || status=$?
kill "$xvfb" 2>/dev/null || true
exit $status
