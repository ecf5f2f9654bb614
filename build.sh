#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TorrentXT Native: build, test, benchmark.
#   ./build.sh            publish libtorrentxt.so (NativeAOT, linux-x64) into dist/linux-x64/
#   ./build.sh test       build, then run every test stage (each ends with "N passed, N failed")
#   ./build.sh bench      benchmarks side by side with libtorrent (bench/)
#   ./build.sh deps       install the system packages the tests need (Debian; run as root)
#   ./build.sh package    publish, then lay out and zip the OpenXTalk extension (dist/*.zip)
#   ./build.sh demo       publish, then seed a folder with btx-cli and download it in a second process
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
RID=linux-x64
DIST="$ROOT/dist/$RID"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '\n==> %s\n' "$*"; }

deps() {
  # Real third-party peers and the C toolchain for the conformance harness.
  local need=()
  command -v gcc >/dev/null || need+=(gcc)
  /usr/bin/python3 -c 'import libtorrent' 2>/dev/null || need+=(python3-libtorrent)
  command -v nm >/dev/null || need+=(binutils)
  # Trackers, web seeds and third-party leechers for tests/interop/trackers_interop.py.
  command -v opentracker >/dev/null || need+=(opentracker)
  command -v aria2c >/dev/null || need+=(aria2)
  command -v transmission-cli >/dev/null || need+=(transmission-cli)
  command -v nginx >/dev/null || need+=(nginx)
  command -v node >/dev/null || need+=(nodejs)   # npm bittorrent-dht and bittorrent-tracker peers
  command -v npm >/dev/null || need+=(npm)
  command -v ip >/dev/null || need+=(iproute2)
  if ((${#need[@]})); then
    if [[ $(id -u) -ne 0 ]]; then echo "missing: ${need[*]} (run ./build.sh deps as root)" >&2; return 1; fi
    log "installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  # The npm bittorrent-dht peers live in a project-local folder (tests/interop/dht_npm.py also does this).
  if [[ ! -d tests/interop/npm-dht/node_modules/bittorrent-dht ]]; then
    log "installing npm bittorrent-dht into tests/interop/npm-dht"
    (cd tests/interop/npm-dht && npm install --no-audit --no-fund --silent)
  fi
}

# The demo needs only a C compiler (the tests need more: see deps).
deps_gcc() {
  command -v gcc >/dev/null && return 0
  if [[ $(id -u) -ne 0 ]]; then echo "missing: gcc (run ./build.sh deps as root)" >&2; return 1; fi
  log "installing gcc"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc >/dev/null
}

publish() {
  log "publishing NativeAOT library for $RID"
  dotnet publish src/TorrentXT.Native/TorrentXT.Native.csproj -c Release -r "$RID" -o "$ROOT/build/publish/$RID" -v quiet -nologo
  mkdir -p "$DIST/include"
  cp "$ROOT/build/publish/$RID/libtorrentxt.so" "$DIST/"
  cp "$ROOT/build/publish/$RID/libsodium.so" "$DIST/"
  cp include/btx_abi.h include/btx_record.h "$DIST/include/"
  log "dist/$RID: $(cd "$DIST" && ls | tr '\n' ' ')"
}

# Runs the xunit suite and prints its closing line as "N passed, N failed".
engine_tests() {
  log "stage 1: engine tests (xunit)"
  local out
  set +e
  out=$(dotnet test tests/TorrentXT.Engine.Tests -c Release --nologo 2>&1)
  local rc=$?
  set -e
  echo "$out" | grep -E "error|Failed |\[FAIL\]|Passed!|Failed!" | tail -40 || true
  local passed failed skipped
  passed=$(echo "$out" | sed -nE 's/.*Passed: +([0-9]+).*/\1/p' | tail -1)
  failed=$(echo "$out" | sed -nE 's/.*Failed: +([0-9]+),.*/\1/p' | tail -1)
  skipped=$(echo "$out" | sed -nE 's/.*Skipped: +([0-9]+).*/\1/p' | tail -1)
  [[ -z "$passed" && $rc -ne 0 ]] && { echo "$out" | tail -30; failed=1; }
  echo "engine: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
  return $rc
}

# Compiles the examples against dist/ and runs the quick start on generated content.
examples() {
  log "stage 5: examples build and run"
  local out="$ROOT/build/examples" passed=0 failed=0
  mkdir -p "$out/content/sub"
  head -c 3000000 /dev/urandom > "$out/content/a.bin"; echo hello > "$out/content/sub/b.txt"
  if gcc -std=c11 -Wall -Wextra -Werror -I"$DIST/include" examples/quickstart.c -L"$DIST" -ltorrentxt \
       -Wl,-rpath,"$DIST" -o "$out/quickstart" && timeout 60 "$out/quickstart" "$out/content"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
  # btx-cli: the demo, small and non-interactive (seed in the background, download its magnet).
  if build_cli && demo_run "$out/demo" 1500000 60; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
  echo "examples: $passed passed, $failed failed"
  return $failed
}

# Compiles examples/btx-cli.c against dist/ into build/examples/btx-cli (warnings are errors).
build_cli() {
  mkdir -p "$ROOT/build/examples"
  gcc -std=c11 -Wall -Wextra -Werror -I"$DIST/include" examples/btx-cli.c -L"$DIST" -ltorrentxt \
    -Wl,-rpath,"$DIST" -o "$ROOT/build/examples/btx-cli"
}

# demo_run <dir> <big-file-bytes> <timeout-s>: makes <dir>/content (three files of random bytes),
# creates <dir>/content.torrent, seeds it in the background on 127.0.0.1, downloads the seeder's
# magnet (x.pe=) into <dir>/copy in the foreground, stops the seeder and compares byte for byte.
demo_run() {
  local dir=$1 big=$2 limit=$3 cli="$ROOT/build/examples/btx-cli" seedpid magnet="" rc=0 _
  rm -rf "$dir"
  mkdir -p "$dir/content/docs"
  head -c "$big" /dev/urandom > "$dir/content/video.bin"
  head -c 300000 /dev/urandom > "$dir/content/docs/notes.bin"
  head -c 1234 /dev/urandom > "$dir/content/docs/readme.bin"
  "$cli" create "$dir/content" "$dir/content.torrent" || return 1
  "$cli" info "$dir/content.torrent" || return 1
  timeout "$((limit + 60))" "$cli" seed "$dir/content.torrent" "$dir" > "$dir/seed.log" 2>&1 &
  seedpid=$!
  for _ in $(seq 300); do
    magnet=$(grep -m1 '^magnet:' "$dir/seed.log" || true)
    [[ -n "$magnet" ]] && break
    kill -0 "$seedpid" 2>/dev/null || break
    sleep 0.2
  done
  if [[ -z "$magnet" ]]; then
    echo "demo: the seeder printed no magnet" >&2; cat "$dir/seed.log" >&2
    kill -TERM "$seedpid" 2>/dev/null || true; wait "$seedpid" 2>/dev/null || true
    return 1
  fi
  echo "seeder (pid $seedpid): $(head -1 "$dir/seed.log")"
  echo "$magnet"
  "$cli" download "$magnet" "$dir/copy" --timeout "$limit" || rc=1
  kill -TERM "$seedpid" 2>/dev/null || true
  wait "$seedpid" 2>/dev/null || true
  echo "seeder: $(tail -1 "$dir/seed.log")"
  if [[ $rc -eq 0 ]] && diff -r "$dir/content" "$dir/copy/content" >/dev/null; then
    echo "demo: copy verified"
    return 0
  fi
  echo "demo: FAILED (download exit or content differs)" >&2
  return 1
}

# Publishes, builds btx-cli, and runs the two-process demo on a ~24 MiB folder in build/demo/.
demo() {
  publish
  log "demo: btx-cli seed and download over 127.0.0.1"
  build_cli
  demo_run "$ROOT/build/demo" $((24 * 1024 * 1024 + 12345)) 120
}

# Lays out the OpenXTalk extension folder the engine expects and zips it:
#   build/package/org.openxtalk.library.torrent/{torrent.lcb, torrent-helpers.livecodescript,
#     code/x86_64-linux/torrentxt.so, code/x86_64-linux/libsodium.so}  ->  dist/org.openxtalk.library.torrent.zip
# The binding binds "c:torrentxt>btx_*", so the library travels under that bare token; its RUNPATH
# ($ORIGIN) lets it find libsodium.so beside it wherever the engine unpacks the extension.
package() {
  local name=org.openxtalk.library.torrent
  local top="$ROOT/build/package" zipfile="$ROOT/dist/org.openxtalk.library.torrent.zip"
  local pkg="$top/$name" code="$top/$name/code/x86_64-linux" f
  log "packaging $name"
  for f in "$DIST/libtorrentxt.so" "$DIST/libsodium.so" lcb/torrent.lcb lcb/torrent-helpers.livecodescript; do
    [[ -f "$f" ]] || { echo "package: missing $f" >&2; return 1; }
  done
  rm -rf "$top" "$zipfile"
  mkdir -p "$code"
  cp lcb/torrent.lcb lcb/torrent-helpers.livecodescript "$pkg/"
  cp "$DIST/libtorrentxt.so" "$code/torrentxt.so"
  cp "$DIST/libsodium.so" "$code/libsodium.so"
  chmod 755 "$code/torrentxt.so" "$code/libsodium.so"
  if command -v zip >/dev/null; then
    (cd "$top" && zip -qrX "$zipfile" "$name")
  else
    python3 - "$top" "$name" "$zipfile" <<'PY'
import os, sys, zipfile
top, name, out = sys.argv[1:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for d, _, files in sorted(os.walk(os.path.join(top, name))):
        for f in sorted(files):
            p = os.path.join(d, f)
            z.write(p, os.path.relpath(p, top))
PY
  fi
  log "dist/$name.zip: $(cd "$top" && find "$name" -type f | sort | tr '\n' ' ')"
}

test_all() {
  deps
  publish
  local rc=0
  engine_tests || rc=1
  log "stage 2: exported symbols against include/btx_abi.h"
  bash tests/abi/check-exports.sh "$DIST/libtorrentxt.so" || rc=1
  log "stage 3: C ABI conformance harness"
  bash tests/abi/run.sh || rc=1
  log "stage 4: interop with libtorrent (python3-libtorrent)"
  bash tests/interop/run.sh || rc=1
  examples || rc=1
  log "stage 6: LiveCode binding (lcb/check.py, C replay, package)"
  package || rc=1
  bash tests/lcb/stage.sh || rc=1
  return $rc
}

case "${1:-publish}" in
  publish|"") publish ;;
  test) test_all ;;
  deps) deps ;;
  bench) deps; publish; bash bench/run.sh ;;
  package) publish; package ;;
  demo) deps_gcc; demo ;;
  *) echo "usage: $0 [publish|test|bench|deps|package|demo]" >&2; exit 2 ;;
esac
