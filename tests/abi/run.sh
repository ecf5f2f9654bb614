#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the C conformance harness against include/ and dist/<rid>/libtorrentxt.so, then runs
# it under a time limit. Exits non-zero on any failed check (or if it cannot build/run).
#
#   tests/abi/run.sh                  build and run every group
#   tests/abi/run.sh --only alerts,dht
#   tests/abi/run.sh --build-only
#
# Environment: BTX_LIB (the library to test; default dist/linux-x64/libtorrentxt.so),
# BTX_VECTORS (default ../shared/vectors beside the repository), CC (default gcc),
# BTX_ABI_TIMEOUT (seconds for the whole run; default 900), BTX_ABI_CFLAGS (extra compiler flags,
# e.g. "-DBTX_PENDING_DHT=0" to hold the build to the DHT checks; see src/pending.h).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$here/out"
lib="${BTX_LIB:-$repo/dist/linux-x64/libtorrentxt.so}"
cc="${CC:-gcc}"
vectors="${BTX_VECTORS:-$(cd "$repo/.." && pwd)/shared/vectors}"

build_only=0
args=()
for a in "$@"; do
    if [ "$a" = "--build-only" ]; then build_only=1; else args+=("$a"); fi
done

if [ ! -f "$lib" ]; then
    echo "tests/abi: library not found: $lib (build it with ./build.sh first)" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
libdir="$(cd "$(dirname "$lib")" && pwd)"
libfile="$(basename "$lib")"

mkdir -p "$out"
# Link by file name through a private symlink, so any library file name works with -l.
ln -sf "$libdir/$libfile" "$out/libtorrentxt.so"

cflags=(-std=c11 -Wall -Wextra -Werror -O1 -g -I"$repo/include" -I"$here/src")
# Extra flags, split on spaces: e.g. BTX_ABI_CFLAGS="-DBTX_PENDING_DHT=0" (src/pending.h).
read -r -a extra <<< "${BTX_ABI_CFLAGS:-}"
cflags+=("${extra[@]+"${extra[@]}"}")
"$cc" "${cflags[@]}" -o "$out/btx_abi_tests" "$here"/src/*.c \
    -L"$out" -ltorrentxt -Wl,-rpath,"$libdir" -Wl,--no-as-needed
# The headers must also build as C++ (and btx_abi.h as C89).
if command -v "${CXX:-g++}" >/dev/null 2>&1; then
    printf '#include "btx_abi.h"\n#include "btx_record.h"\nint main(void){return BTX_ABI_VERSION == 8 ? 0 : 1;}\n' > "$out/hdr.cpp"
    "${CXX:-g++}" -std=c++11 -Wall -Wextra -Werror -pedantic -I"$repo/include" -c "$out/hdr.cpp" -o "$out/hdr.o"
else
    echo "tests/abi: no C++ compiler; skipping the headers' C++ build check" >&2
fi
printf '#include "btx_abi.h"\nint main(void){return BTX_ABI_VERSION == 8 ? 0 : 1;}\n' > "$out/hdr89.c"
"$cc" -std=c89 -Wall -Wextra -Werror -pedantic -I"$repo/include" -c "$out/hdr89.c" -o "$out/hdr89.o"
printf '#include "btx_record.h"\nint main(void){return BTX_F_URL_SEED == 134 ? 0 : 1;}\n' > "$out/hdr11.c"
"$cc" -std=c11 -Wall -Wextra -Werror -pedantic -I"$repo/include" -c "$out/hdr11.c" -o "$out/hdr11.o"

if [ "$build_only" = 1 ]; then
    echo "built $out/btx_abi_tests"
    exit 0
fi

export BTX_VECTORS="$vectors"
export BTX_TMP="${BTX_TMP:-${TMPDIR:-/tmp}/btx-abi-$$}"
mkdir -p "$BTX_TMP"
trap 'rm -rf "$BTX_TMP"' EXIT
# Run from a scratch directory: magnets added without a save path resolve to the cwd.
cd "$BTX_TMP"
set +e
timeout -k 10 "${BTX_ABI_TIMEOUT:-900}" "$out/btx_abi_tests" "${args[@]+"${args[@]}"}"
rc=$?
set -e
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    echo "tests/abi: the whole run timed out"
    echo "0 passed, 1 failed"
fi
exit $rc
