#!/bin/bash
# cpu_time.sh: CPU time (perf stat task-clock, all threads) of bench/real's
# programs natively and under `racewatch run` of one or more builds,
# interleaved (per round, per program: native, then each build in turn),
# median of ROUNDS; prints ratios to native and the load average before
# and after.  CPU time moves less than wall time on a shared machine.
#
#   bench/real/cpu_time.sh ROUNDS BUILD_DIR [BUILD_DIR...]
#
# Needs perf, xz, zstd, pigz, sort, bc; makes its input (the 20 MiB of
# tests/robust/real_programs.py) in a temporary directory.
set -eu
rounds=$1; shift
builds=()
for b in "$@"; do builds+=("$(cd "$b" && pwd)"); done
repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d /tmp/rw-cpu-time.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
python3 -c "import sys; sys.path.insert(0, '$repo/tests/robust'); import real_programs; real_programs.make_input('IN', 20)"
xz -T4 -0 --block-size=1MiB -c IN > IN.xz
zstd -T4 -3 -q -c IN > IN.zst
pigz -p 4 -c IN > IN.gz
progs=("xz -T4 -0 --block-size=1MiB -c IN" "xz -T4 -d -c IN.xz" "zstd -T4 -3 -q -c IN"
       "zstd -T4 -d -q -c IN.zst" "pigz -p 4 -c IN" "pigz -p 4 -d -c IN.gz"
       "sort --parallel=4 -S 64M IN" "sort --parallel=4 -S 16M -n -k1,1 IN")
declare -A ms
cpu_ms() { perf stat -x, -e task-clock -- "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ {print $1}'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# The order of the builds turns by one each round: run last every time, a
# build measured 5-10% slower on xz -0 than the same build run first.
for r in $(seq "$rounds"); do
    for i in "${!progs[@]}"; do
        read -r -a argv <<< "${progs[$i]}"
        ms[$i,native]+="$(cpu_ms "${argv[@]}") "
        for k in "${!builds[@]}"; do
            b=${builds[$(( (k + r) % ${#builds[@]} ))]}
            ms[$i,$b]+="$(cpu_ms "$b/tools/racewatch" run --color=never "${argv[@]}") "
        done
    done
done
for i in "${!progs[@]}"; do
    n=$(median <<< "${ms[$i,native]}")
    line=$(printf '%-36s native %6.0f ms' "${progs[$i]}" "$n")
    for b in "${builds[@]}"; do
        v=$(median <<< "${ms[$i,$b]}")
        line+=$(printf ' | %s %6.0f (%.2fx)' "$b" "$v" "$(bc -l <<< "$v / $n")")
    done
    echo "$line"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
