#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages dialbridge needs to build, run and test,
# skipping what is already there. Used by `make test` and CI; `deps.sh run`
# (`make run`, `make demo`) installs only what building and running need, so
# that trying dialbridge sets up no LDAP or CardDAV server, browser or
# cross compiler.
# Usage: .ci/deps.sh [run]
set -euo pipefail

run_pkgs=(
  # Fyne needs cgo and these headers (https://docs.fyne.io/started/)
  gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev
  # the tray's "Dial number from clipboard" reads the clipboard with xsel
  # (X11); outgoing URLs open in the browser with xdg-open
  xsel xdg-utils
)
pkgs=(
  "${run_pkgs[@]}"
  # the desktop session the tests stand up: X server, session bus, keyring, notifications
  xvfb x11-utils xauth dbus dbus-x11 gnome-keyring libsecret-tools
  # the global hotkey's tests press keys (xdotool) over a selection (xsel)
  xdotool
  # screenshots, link handling and packaging checks
  imagemagick desktop-file-utils libglib2.0-bin
  # click-to-dial from a real browser; the browser extension's build (npm
  # packages, packaging/extension/package-lock.json) and its store zips
  chromium nodejs npm zip
  # for the Windows build
  gcc-mingw-w64-x86-64
  curl ca-certificates python3
  # a real SIP phone for the sip brand's tests (answers automatically, follows REFER)
  baresip
  # the LAN socket test: network namespaces and a veth pair (ip netns)
  iproute2
  # the caller lookup's tests run a real OpenLDAP server and CardDAV server
  slapd radicale
)

only_run=
if [ "${1:-}" = run ]; then only_run=1; pkgs=("${run_pkgs[@]}"); fi

missing=()
for p in "${pkgs[@]}"; do
  # node and npm may come from elsewhere than Debian (nodesource, nvm).
  case $p in nodejs|npm) command -v "${p/nodejs/node}" >/dev/null && continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The extension's npm packages, exactly as package-lock.json pins them,
# whenever the lock file changed since the last install.
npm_deps() {
  [ -n "$only_run" ] && return 0
  local ext
  ext="$(dirname "$0")/../packaging/extension"
  if [ ! -f "$ext/node_modules/.package-lock.json" ] || [ "$ext/package-lock.json" -nt "$ext/node_modules/.package-lock.json" ]; then
    (cd "$ext" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
if [ ${#missing[@]} -eq 0 ]; then npm_deps; exit 0; fi

echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends "${missing[@]}"
npm_deps
