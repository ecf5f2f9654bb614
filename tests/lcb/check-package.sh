#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks the OpenXTalk extension laid out by ./build.sh package:
#   * build/package/org.openxtalk.library.torrent/ holds torrent.lcb, torrent-helpers.livecodescript,
#     code/x86_64-linux/torrentxt.so (the library under the token the binding binds) and
#     code/x86_64-linux/libsodium.so, identical to lcb/ and dist/;
#   * dist/org.openxtalk.library.torrent.zip holds exactly that folder;
#   * torrentxt.so finds libsodium.so beside it: RUNPATH is $ORIGIN (readelf), and a process
#     started in another directory dlopens it (python ctypes), derives an Ed25519 key (which
#     needs libsodium) and has libsodium.so mapped from the package folder; the same holds for
#     the folder unzipped elsewhere. A negative control copies torrentxt.so alone to a folder
#     without libsodium.so and expects the probe to fail there, so the probe can fail.
# Ends with "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
name=org.openxtalk.library.torrent
pkg="${1:-$repo/build/package/$name}"
zip="${2:-$repo/dist/$name.zip}"
# absolute paths: the probe runs from /
pkg="$(cd "$pkg" 2>/dev/null && pwd || echo "$pkg")"
[ -f "$zip" ] && zip="$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")"
code="$pkg/code/x86_64-linux"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL [package] $*"; }
expect() { if eval "$1"; then ok; else bad "$2"; fi; }

scratch="$(mktemp -d "${TMPDIR:-/tmp}/lcb-pkg-XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

# ---- layout -------------------------------------------------------------------------------------
for f in torrent.lcb torrent-helpers.livecodescript code/x86_64-linux/torrentxt.so code/x86_64-linux/libsodium.so; do
    expect "[ -f \"$pkg/$f\" ]" "$f is missing from $pkg"
done
expect "cmp -s \"$pkg/torrent.lcb\" \"$repo/lcb/torrent.lcb\"" "the packaged torrent.lcb differs from lcb/"
expect "cmp -s \"$pkg/torrent-helpers.livecodescript\" \"$repo/lcb/torrent-helpers.livecodescript\"" \
    "the packaged helper stack differs from lcb/"
expect "cmp -s \"$code/torrentxt.so\" \"$repo/dist/linux-x64/libtorrentxt.so\"" \
    "code/x86_64-linux/torrentxt.so is not dist/linux-x64/libtorrentxt.so"
expect "cmp -s \"$code/libsodium.so\" \"$repo/dist/linux-x64/libsodium.so\"" \
    "code/x86_64-linux/libsodium.so is not dist/linux-x64/libsodium.so"
# The binding binds "c:torrentxt>..." and nothing else
expect "[ \"\$(grep -o 'c:[A-Za-z0-9_]*>' \"$repo/lcb/torrent.lcb\" | sort -u)\" = 'c:torrentxt>' ]" \
    "torrent.lcb binds a library other than torrentxt"

# ---- readelf: RUNPATH $ORIGIN, only system libraries needed ----------------------------------------
dyn="$(readelf -d "$code/torrentxt.so" 2>/dev/null)"
expect "grep -qE '\\((RUNPATH|RPATH)\\).*\\[\\\$ORIGIN\\]' <<< \"\$dyn\"" "torrentxt.so has no RUNPATH \$ORIGIN: $(grep -E 'RPATH|RUNPATH' <<< "$dyn")"
expect "! grep -E '\\((RUNPATH|RPATH)\\)' <<< \"\$dyn\" | grep -q '/'" "torrentxt.so has an absolute RUNPATH"
while read -r lib; do
    case "$lib" in
        libc.so.6|libm.so.6|libdl.so.2|libpthread.so.0|librt.so.1|ld-linux-x86-64.so.2|libsodium.so) ok ;;
        *) bad "torrentxt.so needs $lib, which the package does not carry" ;;
    esac
done < <(grep -oE 'Shared library: \[[^]]+\]' <<< "$dyn" | sed -E 's/.*\[(.*)\]/\1/')

# ---- the zip ------------------------------------------------------------------------------------
expect "[ -f \"$zip\" ]" "$zip is missing"
if [ -f "$zip" ]; then
    listing="$(python3 -c 'import sys, zipfile; print("\n".join(sorted(n for n in zipfile.ZipFile(sys.argv[1]).namelist() if not n.endswith("/"))))' "$zip" 2>&1)"
    want="$(cd "$(dirname "$pkg")" && find "$name" -type f | sort)"
    expect "[ \"\$listing\" = \"\$want\" ]" "the zip does not hold exactly the package folder: $(tr '\n' ' ' <<< "$listing")"
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$zip" "$scratch/unzipped" ||
        bad "the zip does not extract"
fi

# ---- dlopen from another directory ------------------------------------------------------------------
# Prints "abi=<n> keypair=<n> pk=<hex> sodium=<path>" for the library given.
probe() {
    (cd / && python3 -c '
import ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
lib.btx_dht_keypair.argtypes = [ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int]
buf = ctypes.create_string_buffer(512)
n = lib.btx_dht_keypair(b"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", buf, 512)
raw = buf.raw[:max(n, 0)]
pk = raw[raw.find(b"\x6a\x04\x00\x40") + 4:][:64].decode() if n > 0 else ""
maps = [l.split()[-1] for l in open("/proc/self/maps") if "libsodium" in l]
print("abi=%d keypair=%d pk=%s sodium=%s" % (lib.btx_abi_version(), n, pk, maps[0] if maps else "none"))
' "$1" 2>&1)
}
pk=d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a
for where in "$code" "$scratch/unzipped/$name/code/x86_64-linux"; do
    [ -f "$where/torrentxt.so" ] || { bad "no torrentxt.so in $where"; continue; }
    real="$(cd "$where" && pwd -P)"
    out="$(probe "$where/torrentxt.so")"
    expect "[ \"\$out\" = \"abi=8 keypair=270 pk=$pk sodium=$real/libsodium.so\" ]" \
        "dlopen of $where/torrentxt.so from / did not use the libsodium.so beside it: $out"
done
# negative control: alone in a folder, the same probe must not find libsodium there
mkdir -p "$scratch/alone"
cp "$code/torrentxt.so" "$scratch/alone/torrentxt.so" 2>/dev/null
alone="$(cd "$scratch/alone" && pwd -P)"
out="$(probe "$scratch/alone/torrentxt.so")"
expect "[[ \"\$out\" == abi=8\\ * && \"\$out\" != \"abi=8 keypair=270 pk=$pk sodium=$alone/libsodium.so\" ]]" \
    "negative control: the probe passed for torrentxt.so with no libsodium.so beside it: $out"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
