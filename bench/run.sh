#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmarks (not tests): ratios against libtorrent in the same run. Expects ./build.sh to have
# published dist/linux-x64/.
set -euo pipefail
cd "$(dirname "$0")"
DIST="$(cd .. && pwd)/dist/linux-x64"
mkdir -p out
echo "== ABI call cost (C)"
gcc -std=c11 -O2 -Wall -Wextra -Werror -I"$DIST/include" abi_cost.c -o out/abi_cost -L"$DIST" -ltorrentxt -Wl,-rpath,"$DIST"
out/abi_cost 200000
gcc -std=c11 -O2 -Wall -Wextra -Werror -I"$DIST/include" session_cost.c -o out/session_cost -L"$DIST" -ltorrentxt -Wl,-rpath,"$DIST"
out/session_cost
if [[ -x ./run-creation.sh ]]; then
  echo "== torrent creation and hash check against libtorrent"
  ./run-creation.sh
fi
echo "== hash check of a complete 1 GiB torrent against libtorrent"
/usr/bin/python3 check_bench.py "$DIST/libtorrentxt.so" 1024 3
