#!/usr/bin/env bash
# Cross-compiles dialbridge's three programs for 64-bit Windows with
# Debian's MinGW-w64 (cgo, for Fyne's GL driver; .ci/build.sh) into OUTDIR (default dist/windows), with its
# icon, manifest and version resource, and the per-user install.cmd /
# uninstall.cmd that register the tel:, callto: and sip: handler.
#   VERSION=v   the version (default: git describe)
# Usage: .ci/package-windows.sh [OUTDIR]   Prints the path of the .exe.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist/windows}
go=${GO:-go}
cc=${CC_WINDOWS:-x86_64-w64-mingw32-gcc}
windres=${WINDRES:-x86_64-w64-mingw32-windres}
for tool in "$cc" "$windres"; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: install gcc-mingw-w64-x86-64 (bash .ci/deps.sh)" >&2; exit 1; }
done

raw=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
raw=${raw#v}
# The version resource wants numbers: take MAJOR.MINOR.PATCH when there is one.
if [[ $raw =~ ^([0-9]+)\.([0-9]+)\.([0-9]+) ]]; then
  major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]} patch=${BASH_REMATCH[3]}
else
  major=0 minor=0 patch=0
fi

# go build links every .syso of the main package's directory: each program
# gets the icon, manifest and version resource; the files exist only while
# this script runs.
mains=(cmd/dialbridge cmd/dialbridge-resident cmd/dialbridge-ui)
trap 'for m in "${mains[@]}"; do rm -f "$m/zz_resources_windows_amd64.syso"; done' EXIT
"$windres" -O coff --include-dir packaging/windows --include-dir assets/icons \
  -DVERSION_MAJOR="$major" -DVERSION_MINOR="$minor" -DVERSION_PATCH="$patch" -DVERSION_STR="\\\"$raw\\\"" \
  -i packaging/windows/dialbridge.rc -o "${mains[0]}/zz_resources_windows_amd64.syso"
for m in "${mains[@]:1}"; do cp "${mains[0]}/zz_resources_windows_amd64.syso" "$m/"; done

# -H windowsgui: a clicked link must not flash a console window, and the
# tray and the windows have none either.
CGO_ENABLED=1 CC="$cc" GOOS=windows GOARCH=amd64 GO="$go" \
  LDFLAGS="-s -w -H windowsgui -X main.version=$raw" bash .ci/build.sh "$out"
# A link handler that opened a console on every click would be a bug: check
# the subsystem, and that the resources made it in.
objdump=${CC_WINDOWS_OBJDUMP:-x86_64-w64-mingw32-objdump}
if command -v "$objdump" >/dev/null; then
  for exe in dialbridge dialbridge-resident dialbridge-ui; do
    headers=$("$objdump" -p -h "$out/$exe.exe")
    grep -q 'Subsystem.*(Windows GUI)' <<<"$headers" || { echo "$exe.exe is not a GUI program" >&2; exit 1; }
    grep -q '\.rsrc' <<<"$headers" || { echo "$exe.exe has no resources" >&2; exit 1; }
  done
fi
cp packaging/windows/install.cmd packaging/windows/uninstall.cmd "$out/"
echo "$out/dialbridge.exe"
