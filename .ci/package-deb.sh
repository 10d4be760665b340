#!/usr/bin/env bash
# Builds the .deb of dialbridge into OUTDIR (default dist/): the three
# programs (.ci/build.sh), the
# desktop entry that handles tel:, callto: and sip: links, the hicolor icons,
# the XDG autostart entry and the browsers' native messaging host manifests
# (packaging/nfpm.yaml). nfpm is a pinned version
# run through the Go module proxy; nothing else is downloaded.
#   BINDIR=dir    use the programs in dir instead of building them
#   VERSION=v     the version (default: git describe)
# Usage: .ci/package-deb.sh [OUTDIR]   Prints the path of the .deb.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist}
go=${GO:-go}
nfpm=github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2

raw=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
raw=${raw#v}
# Debian wants a version that starts with a digit and uses no '-' outside
# the revision: 1.2.0-3-gabc1234 becomes 1.2.0+3.gabc1234, a bare commit
# 0.0~git.abc1234.
if [[ $raw =~ ^[0-9]+\.[0-9]+ ]]; then deb_version=${raw//-/+}; deb_version=${deb_version//+g/.g}
else deb_version="0.0~git.${raw//-/.}"; fi
deb_version=$(printf '%s' "$deb_version" | tr -c 'A-Za-z0-9.+~\n' '.')

stage=$(mktemp -d /tmp/dialbridge-deb.XXXXXX)
trap 'rm -rf "$stage"' EXIT
bindir=${BINDIR:-}
if [ -z "$bindir" ]; then
  bindir=$stage/bin
  GO="$go" LDFLAGS="-s -w -X main.version=$raw" bash .ci/build.sh "$bindir"
fi
"$go" run ./packaging/hicolor -ico assets/icons/app.ico -name dialbridge -out "$stage/hicolor" >/dev/null
"$go" run ./packaging/nativehost/manifests -root "$stage/nativehosts" -exe /usr/bin/dialbridge

mkdir -p "$out"
BINDIR=$(realpath "$bindir") ICONS=$stage/hicolor NATIVEHOSTS=$stage/nativehosts VERSION=$deb_version ARCH=$("$go" env GOARCH) \
  "$go" run "$nfpm" package --config packaging/nfpm.yaml --packager deb --target "$out/" >&2
ls -t "$out"/dialbridge_"${deb_version}"_*.deb | head -1
