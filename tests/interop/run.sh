#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interop tests against the real libtorrent (Debian python3-libtorrent). Bounded in time.
set -euo pipefail
cd "$(dirname "$0")"
LIB="$(cd ../.. && pwd)/dist/linux-x64/libtorrentxt.so"
timeout 300 /usr/bin/python3 create_and_seed.py "$LIB"
