#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds tests/lcb/replay (the C replay of lcb/torrent.lcb's poll cycle) against include/ and
# dist/linux-x64/libtorrentxt.so, then runs it under a time limit. Ends with "N passed, N failed";
# exits non-zero on any failure (or if it cannot build or run).
#
# Environment: BTX_LIB (default dist/linux-x64/libtorrentxt.so), CC (default gcc),
# BTX_LCB_TIMEOUT (seconds; default 120).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$here/out"
lib="${BTX_LIB:-$repo/dist/linux-x64/libtorrentxt.so}"
cc="${CC:-gcc}"

if [ ! -f "$lib" ]; then
    echo "tests/lcb: library not found: $lib (build it with ./build.sh first)" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
libdir="$(cd "$(dirname "$lib")" && pwd)"
mkdir -p "$out"
# Link by a private symlink so any library file name works with -l.
ln -sf "$libdir/$(basename "$lib")" "$out/libtorrentxt.so"
if ! "$cc" -std=c11 -Wall -Wextra -Werror -O1 -g -I"$repo/include" -o "$out/replay" \
        "$here/replay.c" "$here/lcbwalk.c" -L"$out" -ltorrentxt -Wl,-rpath,"$libdir"; then
    echo "tests/lcb: the replay does not build"
    echo "0 passed, 1 failed"
    exit 1
fi

# Run from a scratch directory (nothing the library writes lands in the repository).
scratch="$(mktemp -d "${TMPDIR:-/tmp}/lcb-run-XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
set +e
timeout -k 10 "${BTX_LCB_TIMEOUT:-120}" "$out/replay"
rc=$?
set -e
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    echo "tests/lcb: the replay timed out"
    echo "0 passed, 1 failed"
fi
exit $rc
