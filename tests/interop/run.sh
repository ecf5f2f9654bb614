#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interop tests against real third-party implementations on 127.0.0.1. Every scenario is bounded
# in time and prints its own "N passed, N failed" line; `ok:` lines are hidden.
#  create_and_seed.py   torrents made by btx_create_torrent load in libtorrent with the same info-hashes;
#                       libtorrent seeds our content and we check its torrent into seeding.
#  swarm_transfers.py   we download v1, hybrid and v2-only torrents (by .torrent and by magnet with x.pe;
#                       v2 magnets fetch piece layers with BEP 52 hash requests) from a libtorrent seeder
#                       and seed them to libtorrent leechers (also by magnet: metadata and hashes from us).
#  hostile_peer.py      liars sending corrupt blocks, a wrong info dict or forged v2 hashes next to an
#                       honest libtorrent seeder (the download completes, the liars are banned), and
#                       garbage, oversized and out-of-range messages and a request flood at our seeder.
#  resume_interop.py    libtorrent's resume blobs resume here and ours in libtorrent without a recheck;
#                       a download killed with SIGKILL restarts from its last blob and finishes byte-exact.
#  dht_libtorrent.py    our DHT node among 24 libtorrent DHT nodes: bootstrap, download by info-hash only,
#                       libtorrent finds our announces, BEP 44 immutable and mutable items both ways.
#  dht_npm.py           the same against 16 npm bittorrent-dht nodes (npm-dht/, installed there by npm).
#  rate_limits.py      session and per-torrent download limits and the session upload limit, each
#                       measured over 10 s against libtorrent, within 10%.
#  pex_swarm.py         our seeder and three of our leecher processes that only know the seeder find
#                       each other by ut_pex and trade pieces.
#  priorities.py        a priority-0 file is not created and the torrent stops at finished; wanting
#                       it again moves its bytes out of the part file and the torrent seeds.
#  streaming_order.py   sequential download and piece deadlines fetch the requested pieces first.
#  pause_remove.py      torrent and session pause/resume and remove in the middle of a transfer.
#  hash_fail.py         a wire-protocol peer sending bad data loses trust and is banned; the piece is
#                       downloaded again from an honest peer.
#  trackers_interop.py opentracker and the npm bittorrent-tracker (HTTP and UDP) bring our leecher and
#                       a libtorrent seeder together; scrape counts and 'stopped' checked against the
#                       trackers; a misbehaving tracker gives clear trackerErrors; aria2c and
#                       transmission-cli download from our seeder through opentracker (in a network
#                       namespace the script creates; needs root).
#  lsd_interop.py       LSD (BEP 14) both ways with libtorrent, in a network namespace it creates.
#  request_timeout.py   a stingy wire-protocol seeder that skips requests does not stall a piece.
#  utp_fallback.py      we speak TCP only: a libtorrent peer's uTP dial to our DHT's UDP port is reset
#                       at once and it comes back over TCP (without the DHT it waits out its uTP timeout).
#  super_seeding.py     BEP 16: our super-seed shows three libtorrent leechers two pieces at a time,
#                       uploads about one copy (measured against plain seeding), rejects requests
#                       for pieces it did not reveal, and shows everything once switched off.
#  crosscheck           our creator's output is byte-identical to libtorrent's for scans, symlinks,
#                       attributes, every flag combination, mtime, automatic piece sizes, trackers, errors.
#  encryption_interop.py protocol encryption (MSE) with libtorrent forced to RC4: downloads and uploads
#                       both ways byte-exact with rc4_encrypted flags on both sides, the plaintext level,
#                       encrypted magnets (v1, hybrid), forced vs disabled (no connection), our defaults
#                       and the plaintext fallback. ENC_MB=N also times N MiB over RC4 and plaintext.
#  webseed_interop.py   web seeds (BEP 19) served by nginx: alone (multi- and single-file), beside a
#                       404 seed, behind a 302 redirect, and with a libtorrent peer from a magnet with ws=.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(cd ../.. && pwd)"
LIB="$ROOT/dist/linux-x64/libtorrentxt.so"
rc=0
scenario() { # <seconds> <script> [more arguments]
  timeout "$1" /usr/bin/python3 -W ignore "$2" "$LIB" "${@:3}" | grep -v '^ok:' || { echo "FAILED: $2"; rc=1; }
}
scenario 300 create_and_seed.py
scenario 300 swarm_transfers.py
scenario 300 hostile_peer.py
scenario 300 resume_interop.py
scenario 240 dht_libtorrent.py
scenario 300 dht_npm.py
scenario 180 rate_limits.py
scenario 180 pex_swarm.py
scenario 180 streaming_order.py
scenario 120 priorities.py
scenario 240 pause_remove.py
scenario 120 hash_fail.py
scenario 60 request_timeout.py
scenario 180 encryption_interop.py
scenario 180 super_seeding.py
scenario 90 utp_fallback.py
# The npm tracker goes into a project-local folder; --ignore-scripts skips the WebRTC client's native
# build, which the server does not use.
NPM_DIR="$ROOT/build/interop-npm"
if [[ ! -f "$NPM_DIR/node_modules/bittorrent-tracker/server.js" ]]; then
  mkdir -p "$NPM_DIR"
  timeout 300 npm install --prefix "$NPM_DIR" --no-audit --no-fund --ignore-scripts --silent bittorrent-tracker@11 || rc=1
fi
scenario 600 trackers_interop.py "$NPM_DIR/node_modules"
scenario 300 lsd_interop.py
scenario 300 webseed_interop.py
ART="$ROOT/build/bench-tool"
dotnet build "$ROOT/bench/TorrentXT.Bench" -c Release --artifacts-path "$ART" -nologo -v q >/dev/null
timeout 600 /usr/bin/python3 "$ROOT/tests/TorrentXT.Engine.Tests/Creation/crosscheck_libtorrent.py" \
  "$ART/bin/TorrentXT.Bench/release/TorrentXT.Bench" | sed 's/^\([0-9]* passed, [0-9]* failed\)$/crosscheck: \1/' || rc=1
exit $rc
