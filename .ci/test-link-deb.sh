#!/usr/bin/env bash
# The issue's proof that phone links reach the desk phone on a Linux desktop:
# builds the .deb (.ci/package-deb.sh), unpacks it into a throwaway root,
# runs desktop-file-validate, chooses it with xdg-mime, opens tel:, callto:
# and sip: links with gio open and xdg-open, and checks that a simulated
# Snom phone dials (packaging/deb), all inside a throwaway desktop session.
# Usage: .ci/test-link-deb.sh   (DIALBRIDGE_DEB=path tests that .deb instead)
set -euo pipefail
cd "$(dirname "$0")/.."
go=${GO:-go}
dir=$(mktemp -d /tmp/dialbridge-test-link.XXXXXX)
trap 'rm -rf "$dir"' EXIT
deb=${DIALBRIDGE_DEB:-$(bash .ci/package-deb.sh "$dir")}
# The session gets a fresh HOME: keep the Go caches of this user.
export GOCACHE=${GOCACHE:-$("$go" env GOCACHE)} GOMODCACHE=${GOMODCACHE:-$("$go" env GOMODCACHE)} GOPATH=${GOPATH:-$("$go" env GOPATH)}
DIALBRIDGE_DEB=$deb bash .ci/desktop-session.sh "$go" test -count=1 -v -run 'TestDebHandlesPhoneLinks' ./packaging/deb
