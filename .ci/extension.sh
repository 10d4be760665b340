#!/usr/bin/env bash
# Builds dialbridge's browser extension (packaging/extension) with esbuild
# from its npm packages, which .ci/deps.sh installs; nothing is downloaded.
#   .ci/extension.sh OUTDIR          the unpacked extension in OUTDIR/extension
#   .ci/extension.sh OUTDIR --zip    also OUTDIR/extension-firefox and the
#                                    Chromium and Firefox store zips in OUTDIR
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-dist}")
args=("$out/extension")
[ "${2:-}" = "--zip" ] && args+=(--zip "$out")
node packaging/extension/build.mjs "${args[@]}"
