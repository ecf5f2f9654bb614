#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Compares the dynamic symbols libtorrentxt.so exports with the 68 functions of
# include/btx_abi.h: every header function must be exported as a function (T), no other btx_
# symbol may be exported, and every other exported symbol is a failure unless it is one the
# NativeAOT runtime itself needs:
#   DotNetRuntimeDebugHeader  data the .NET debugger/diagnostics tools locate the runtime by
#   V1.0                      the version-script node NativeAOT links shared libraries with
#   _init, _fini              ELF constructor/destructor entry points, should a toolchain export them
# The three optional C++ test hooks of the contract's Appendix C (_ZN3btx4test...) are also
# accepted (reported, not failed). Ends with "N passed, N failed"; exits non-zero on failure.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
lib="${1:-${BTX_LIB:-$repo/dist/linux-x64/libtorrentxt.so}}"
header="$repo/include/btx_abi.h"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL [exports] $*"; }

if [ ! -f "$lib" ]; then
    bad "library not found: $lib"
    echo "$pass passed, $fail failed"
    exit 1
fi

# The 68 names, parsed from the prototypes ("BTX_API <type> BTX_CALL btx_name(").
mapfile -t want < <(grep -oE '^BTX_API[^(]*BTX_CALL[[:space:]]+btx_[a-z0-9_]+\(' "$header" |
    sed -E 's/.*(btx_[a-z0-9_]+)\($/\1/' | sort -u)
if [ "${#want[@]}" -eq 68 ]; then ok; else bad "include/btx_abi.h declares ${#want[@]} functions, expected 68"; fi

# Defined dynamic symbols: "name type" with any @version suffix removed.
mapfile -t have < <(nm -D --defined-only "$lib" | awk 'NF >= 3 { n = $3; sub(/@.*/, "", n); print n " " $2 }' | sort -u)
declare -A type_of=()
for line in "${have[@]}"; do type_of["${line% *}"]="${line#* }"; done

for name in "${want[@]}"; do
    t="${type_of[$name]:-}"
    if [ -z "$t" ]; then
        bad "$name is declared in btx_abi.h but not exported"
    elif [ "$t" != "T" ] && [ "$t" != "t" ] && [ "$t" != "W" ] && [ "$t" != "i" ]; then
        bad "$name is exported as '$t', not as a function"
    else
        ok
    fi
done

declare -A in_header=()
for name in "${want[@]}"; do in_header["$name"]=1; done
extra_hooks=()
for line in "${have[@]}"; do
    name="${line% *}"
    [ -n "${in_header[$name]:-}" ] && continue
    case "$name" in
        btx_*) bad "$name is exported but not declared in btx_abi.h" ;;
        DotNetRuntimeDebugHeader|V1.0|_init|_fini) ok ;;
        _ZN3btx4test11force_throwEv|_ZN3btx4test18live_session_countEv|_ZN3btx4test25dht_mutable_sign_verifiesEPKcS2_S2_PKvi)
            extra_hooks+=("$name"); ok ;;
        *) bad "unexpected exported symbol $name (type ${line#* })" ;;
    esac
done
if [ "${#extra_hooks[@]}" -gt 0 ]; then
    echo "note [exports] Appendix C test hooks exported: ${extra_hooks[*]}"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
