#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interop tests against the real libtorrent 2.0 (Debian python3-libtorrent). Every step is bounded.
#  1. create_and_seed.py: torrents made by btx_create_torrent load in libtorrent with the same
#     info-hashes and libtorrent seeds our content; we check libtorrent's torrent into seeding.
#  2. crosscheck_libtorrent.py: our creator's output is byte-identical to libtorrent's for scans,
#     symlinks, attributes, every flag combination, mtime, automatic piece sizes, trackers, errors.
#  3. swarm_transfers.py: real transfers on 127.0.0.1 -- we download v1, hybrid and v2-only torrents (from
#     the .torrent and from a magnet with x.pe; v2 magnets fetch the piece layers with BEP 52 hash requests)
#     from a libtorrent seeder and seed them to libtorrent leechers (also by magnet: metadata and hashes from us).
#  4. hostile_peer.py: a liar sending corrupt blocks and one offering a wrong info dict next to an honest
#     libtorrent seeder (the download completes, the liars are dropped and banned), and garbage,
#     oversized and out-of-range messages and a request flood against our seeder (dropped or rejected).
#  5. resume_interop.py: libtorrent's resume blobs resume here and ours in libtorrent without a
#     recheck; a download killed with SIGKILL restarts from its last blob and finishes byte-exact.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(cd ../.. && pwd)"
LIB="$ROOT/dist/linux-x64/libtorrentxt.so"
rc=0
timeout 300 /usr/bin/python3 create_and_seed.py "$LIB" || rc=1
timeout 300 /usr/bin/python3 swarm_transfers.py "$LIB" | grep -v '^ok:' || rc=1
timeout 300 /usr/bin/python3 hostile_peer.py "$LIB" | grep -v '^ok:' || rc=1
timeout 300 /usr/bin/python3 resume_interop.py "$LIB" | grep -v '^ok:' || rc=1
ART="$ROOT/build/bench-tool"
dotnet build "$ROOT/bench/TorrentXT.Bench" -c Release --artifacts-path "$ART" -nologo -v q >/dev/null
timeout 600 /usr/bin/python3 "$ROOT/tests/TorrentXT.Engine.Tests/Creation/crosscheck_libtorrent.py" \
  "$ART/bin/TorrentXT.Bench/release/TorrentXT.Bench" | sed 's/^\([0-9]* passed, [0-9]* failed\)$/crosscheck: \1/' || rc=1
exit $rc
