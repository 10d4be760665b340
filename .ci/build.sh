#!/usr/bin/env bash
# Builds dialbridge's three programs side by side into OUTDIR (default
# bin/), the layout they find each other in (packaging/programs):
#   dialbridge           the front: clicked links and the command line; no
#                        cgo, standard library only, so it starts fast
#   dialbridge-resident  the tray, listener, phone and journal
#   dialbridge-ui        the Fyne windows (cgo, GL)
#   LDFLAGS=...   linker flags (default: -s -w)
#   GO, GOOS, GOARCH, CC   as for go build
# Usage: .ci/build.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
go=${GO:-go}
out=${1:-bin}
ldflags=${LDFLAGS:--s -w}
exe=
[ "$("$go" env GOOS)" = windows ] && exe=.exe
mkdir -p "$out"
CGO_ENABLED=0 "$go" build -trimpath -ldflags "$ldflags" -o "$out/dialbridge$exe" ./cmd/dialbridge
"$go" build -trimpath -ldflags "$ldflags" -o "$out/dialbridge-resident$exe" ./cmd/dialbridge-resident
"$go" build -trimpath -ldflags "$ldflags" -o "$out/dialbridge-ui$exe" ./cmd/dialbridge-ui
