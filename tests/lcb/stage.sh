#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The lcb test stage of ./build.sh test. Runs, each bounded in time:
#   1. lcb/test_check.py     the checker's self-tests (each rule fails on a small bad sample)
#   2. lcb/check.py          the static checker on lcb/torrent.lcb and the helper stack
#   3. tests/lcb/run.sh      the C replay of the binding's poll cycle against a live session
#   4. tests/lcb/check-package.sh   the packaged extension (./build.sh package must have run)
# Prints each part's own summary, then the total as "lcb: N passed, N failed".
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
total_pass=0
total_fail=0
rc=0

# run LABEL COMMAND...: prints the command's output, adds its last "N passed, N failed" line.
run() {
    local label="$1"; shift
    local out status line p f
    out="$("$@" 2>&1)"
    status=$?
    printf '%s\n' "$out" | grep -vE '^[a-z-]*:? ?[0-9]+ passed, [0-9]+ failed' | grep -E 'FAIL|note|Error|error|Traceback' | head -60
    line="$(printf '%s\n' "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -1)"
    p="$(sed -nE 's/.*\b([0-9]+) passed.*/\1/p' <<< "$line")"
    f="$(sed -nE 's/.*\b([0-9]+) failed.*/\1/p' <<< "$line")"
    if [ -z "$line" ]; then
        printf '%s\n' "$out" | tail -20
        p=0; f=1
    elif [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
        f=1     # a non-zero exit without a counted failure still fails the stage
    fi
    echo "$label: ${p:-0} passed, ${f:-0} failed"
    total_pass=$((total_pass + ${p:-0}))
    total_fail=$((total_fail + ${f:-0}))
    [ "$status" -eq 0 ] && [ "${f:-0}" -eq 0 ] || rc=1
}

run "lcb-selftest" timeout 300 python3 "$repo/lcb/test_check.py"
run "lcb-check" timeout 120 python3 "$repo/lcb/check.py" --label lcb-check
run "lcb-replay" bash "$here/run.sh"
run "lcb-package" timeout 120 bash "$here/check-package.sh"

echo "lcb: $total_pass passed, $total_fail failed"
exit $rc
