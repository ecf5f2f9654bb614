#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interop tests against the real libtorrent 2.0 (Debian python3-libtorrent). Every step is bounded.
#  1. create_and_seed.py: torrents made by btx_create_torrent load in libtorrent with the same
#     info-hashes and libtorrent seeds our content; we check libtorrent's torrent into seeding.
#  2. crosscheck_libtorrent.py: our creator's output is byte-identical to libtorrent's for scans,
#     symlinks, attributes, every flag combination, mtime, automatic piece sizes, trackers, errors.
#  3. swarm_transfers.py: real transfers on 127.0.0.1 -- we download v1 and hybrid torrents (from the
#     .torrent and from a magnet with x.pe) from a libtorrent seeder and seed them to a libtorrent leecher.
#  4. trackers_interop.py: opentracker and the npm bittorrent-tracker (HTTP and UDP) bring our leecher
#     and a libtorrent seeder together; scrape counts and 'stopped' checked against the trackers; a
#     misbehaving tracker gives clear trackerErrors; aria2c and transmission-cli download from our
#     seeder through opentracker (in a network namespace the script creates; needs root).
#  5. lsd_interop.py: LSD (BEP 14) both ways with libtorrent, in a network namespace it creates.
#  6. webseed_interop.py: web seeds (BEP 19) served by nginx: alone, beside a 404 seed, with a peer.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(cd ../.. && pwd)"
LIB="$ROOT/dist/linux-x64/libtorrentxt.so"
rc=0
timeout 300 /usr/bin/python3 create_and_seed.py "$LIB" || rc=1
timeout 300 /usr/bin/python3 swarm_transfers.py "$LIB" | grep -v '^ok:' || rc=1
# The npm tracker goes into a project-local folder; --ignore-scripts skips the WebRTC client's native
# build, which the server does not use.
NPM_DIR="$ROOT/build/interop-npm"
if [[ ! -f "$NPM_DIR/node_modules/bittorrent-tracker/server.js" ]]; then
  mkdir -p "$NPM_DIR"
  timeout 300 npm install --prefix "$NPM_DIR" --no-audit --no-fund --ignore-scripts --silent bittorrent-tracker@11 || rc=1
fi
timeout 600 /usr/bin/python3 trackers_interop.py "$LIB" "$NPM_DIR/node_modules" | grep -v '^ok:' || rc=1
timeout 300 /usr/bin/python3 lsd_interop.py "$LIB" | grep -v '^ok:' || rc=1
timeout 300 /usr/bin/python3 webseed_interop.py "$LIB" | grep -v '^ok:' || rc=1
ART="$ROOT/build/bench-tool"
dotnet build "$ROOT/bench/TorrentXT.Bench" -c Release --artifacts-path "$ART" -nologo -v q >/dev/null
timeout 600 /usr/bin/python3 "$ROOT/tests/TorrentXT.Engine.Tests/Creation/crosscheck_libtorrent.py" \
  "$ART/bin/TorrentXT.Bench/release/TorrentXT.Bench" | sed 's/^\([0-9]* passed, [0-9]* failed\)$/crosscheck: \1/' || rc=1
exit $rc
