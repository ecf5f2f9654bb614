#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Torrent creation (v1, hybrid) and hash-check speed of TorrentXT on a 1 GiB file, side by side with
# libtorrent 2.0.8's create_torrent (python3-libtorrent) and sha1sum in the same run.
#   RUNS=3 SIZE_MB=1024 bench/run-creation.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
out=${BENCH_OUT:-$repo/bench/out/creation}
runs=${RUNS:-3}
size_mb=${SIZE_MB:-1024}
mkdir -p "$out/data"

dotnet build "$here/TorrentXT.Bench" -c Release --artifacts-path "$out/artifacts" -nologo -v q >/dev/null
bench="$out/artifacts/bin/TorrentXT.Bench/release/TorrentXT.Bench"

data="$out/data/random-${size_mb}m.bin"
if [ ! -f "$data" ]; then
    head -c "$((size_mb * 1024 * 1024))" /dev/urandom > "$data.tmp" && mv "$data.tmp" "$data"
fi

# /usr/bin/python3 is Debian's interpreter, the one with the libtorrent module.
exec /usr/bin/python3 "$here/creation/compare.py" --bench "$bench" --file "$data" --runs "$runs"
