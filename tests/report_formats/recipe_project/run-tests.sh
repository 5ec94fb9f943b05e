#!/bin/sh
# run-tests.sh: the plain shell loop of docs/ci.md.  Builds every
# tests/*.c with racewatch-cc, runs each under `racewatch run` with its
# records in $RW_DIR (default ./racewatch), then merges them.  The
# loop's own status is the tests' (a race does not change it, thanks to
# --exitcode=0); merge's status says whether new reports were found.
#   usage: run-tests.sh [merge options...]
set -u
RW_DIR=${RW_DIR:-$PWD/racewatch}
mkdir -p build "$RW_DIR"
status=0
for src in tests/*.c; do
    t=build/$(basename "$src" .c)
    racewatch-cc -g -O1 -pthread -o "$t" "$src" || exit 2
    racewatch run --exitcode=0 --json-path="$RW_DIR/report" "$t" >/dev/null || status=1
done
racewatch merge "$@" "$RW_DIR" || status=$?
exit $status
