#!/usr/bin/env bash
# validate_with_tsan.sh: check the program tests themselves, without racewatch.
#
# For every tests/programs/*.c (or the files given as arguments):
#   1. native: compile with plain cc (-O1 -g), run: it must terminate within
#      the timeout, exit 0 and print the expected stdout;
#   2. tsan: compile with gcc -fsanitize=thread -O1 -g, run under libtsan:
#      racy programs must be reported at the marked lines, clean ones must be
#      silent -- except where the source documents a known ThreadSanitizer
#      divergence (`// TSAN-EXPECT: miss | false-positive | races=N`).
# Not a meson test: it validates the tests, not racewatch.
#
# Usage: tests/programs/validate_with_tsan.sh [-r REPEAT] [FILE.c...]
#   -r N   run each TSan check N times (flakiness hunt; default 1)
set -u
here=$(cd "$(dirname "$0")" && pwd)
runner="$here/run_program_test.py"
repeat=1
if [ "${1:-}" = "-r" ]; then
    repeat=$2
    shift 2
fi
if [ $# -eq 0 ]; then
    set -- "$here"/*.c
fi

pass=0
fail=0
failed=()
for src in "$@"; do
    name=$(basename "$src")
    out=$(python3 "$runner" --native -q "$src" 2>&1)
    if [ $? -ne 0 ]; then
        echo "FAIL native $name"
        echo "$out" | sed 's/^/    /'
        fail=$((fail + 1))
        failed+=("native:$name")
        continue
    fi
    ok=1
    for ((i = 0; i < repeat; i++)); do
        out=$(python3 "$runner" --tsan "$src" 2>&1)
        if [ $? -ne 0 ]; then
            echo "FAIL tsan   $name (run $((i + 1)))"
            echo "$out" | sed 's/^/    /'
            ok=0
            break
        fi
    done
    if [ $ok -eq 1 ]; then
        echo "ok   $name ${out#PASS: $src}"
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        failed+=("tsan:$name")
    fi
done
echo
echo "validated: $pass ok, $fail failed"
[ $fail -eq 0 ] || { printf '  %s\n' "${failed[@]}"; exit 1; }
