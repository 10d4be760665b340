#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages dialbridge needs to build, run and test,
# skipping what is already there. Used by `make run`, `make test` and CI.
set -euo pipefail

pkgs=(
  # Fyne needs cgo and these headers (https://docs.fyne.io/started/)
  gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev
  # the desktop session the tests stand up: X server, session bus, keyring, notifications
  xvfb x11-utils xauth dbus dbus-x11 gnome-keyring libsecret-tools
  # screenshots, link handling and packaging checks
  imagemagick xdg-utils desktop-file-utils libglib2.0-bin
  # click-to-dial from a real browser
  chromium
  # for the Windows build
  gcc-mingw-w64-x86-64
  curl ca-certificates python3
  # the LAN socket test: network namespaces and a veth pair (ip netns)
  iproute2
  # the caller lookup's tests run a real OpenLDAP server and CardDAV server
  slapd radicale
)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends "${missing[@]}"
