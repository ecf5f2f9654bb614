#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interop tests against the real libtorrent 2.0 (Debian python3-libtorrent). Every step is bounded.
#  1. create_and_seed.py: torrents made by btx_create_torrent load in libtorrent with the same
#     info-hashes and libtorrent seeds our content; we check libtorrent's torrent into seeding.
#  2. crosscheck_libtorrent.py: our creator's output is byte-identical to libtorrent's for scans,
#     symlinks, attributes, every flag combination, mtime, automatic piece sizes, trackers, errors.
#  3. swarm_transfers.py: real transfers on 127.0.0.1 -- we download v1 and hybrid torrents (from the
#     .torrent and from a magnet with x.pe) from a libtorrent seeder and seed them to a libtorrent leecher.
#  4. rate_limits.py: session and per-torrent download limits and the session upload limit, each
#     measured over 10 s against libtorrent, within 10%.
#  5. pex_swarm.py: our seeder and three of our leecher processes that only know the seeder find
#     each other by ut_pex and trade pieces.
#  6. streaming_order.py: sequential download and piece deadlines fetch the requested pieces first.
#  7. pause_remove.py: torrent and session pause/resume and remove in the middle of a transfer.
#  8. hash_fail.py: a peer answering with corrupt blocks is banned; the download completes.
#  9. request_timeout.py: requests a peer leaves unanswered are given up after request_timeout and sent again.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(cd ../.. && pwd)"
LIB="$ROOT/dist/linux-x64/libtorrentxt.so"
rc=0
timeout 300 /usr/bin/python3 create_and_seed.py "$LIB" || rc=1
timeout 300 /usr/bin/python3 swarm_transfers.py "$LIB" | grep -v '^ok:' || rc=1
timeout 180 /usr/bin/python3 rate_limits.py "$LIB" | grep -v '^ok:' || rc=1
timeout 180 /usr/bin/python3 pex_swarm.py "$LIB" | grep -v '^ok:' || rc=1
timeout 180 /usr/bin/python3 streaming_order.py "$LIB" | grep -v '^ok:' || rc=1
timeout 240 /usr/bin/python3 pause_remove.py "$LIB" | grep -v '^ok:' || rc=1
timeout 120 /usr/bin/python3 hash_fail.py "$LIB" | grep -v '^ok:' || rc=1
timeout 60 /usr/bin/python3 request_timeout.py "$LIB" | grep -v '^ok:' || rc=1
ART="$ROOT/build/bench-tool"
dotnet build "$ROOT/bench/TorrentXT.Bench" -c Release --artifacts-path "$ART" -nologo -v q >/dev/null
timeout 600 /usr/bin/python3 "$ROOT/tests/TorrentXT.Engine.Tests/Creation/crosscheck_libtorrent.py" \
  "$ART/bin/TorrentXT.Bench/release/TorrentXT.Bench" | sed 's/^\([0-9]* passed, [0-9]* failed\)$/crosscheck: \1/' || rc=1
exit $rc
