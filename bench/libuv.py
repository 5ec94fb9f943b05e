#!/usr/bin/env python3
"""bench/libuv.py: libuv's own tests (I/O-heavy: ping-pong over TCP and
pipes, a 10 MiB write in a row, 120 MB echoed by tcp_writealot) natively, under gcc's ThreadSanitizer, under
racewatch instrumented and under racewatch preload, side by side.
A measurement, not a test.

libuv comes from a local checkout (libuv/libuv) that is never committed
here and never written to: it is built out of tree, with cmake
(-DLIBUV_BUILD_TESTS=ON, RelWithDebInfo: -O2 -g), three times under the
work directory:

  native     CC=gcc
  tsan       CC=gcc, -fsanitize=thread in the compile and link flags
  racewatch  CC=BUILD/tools/racewatch-cc (our runtime linked)
  preload    the native binary under `BUILD/tools/racewatch run`

and each chosen test runs as `uv_run_tests_a NAME` (the runner forks its
helper processes, an echo server for the ping-pong tests, itself).  Runs
are interleaved: each round runs every test under every variant, in a
shuffled order, --repeat rounds; the table shows the median wall time of
each variant, its ratio to native and racewatch's ratio to TSan, and the
load average before and after: first CPU time (user + system of the
runner and every process it forked and waited for: getrusage of the
children), then wall time.  With --base OTHER_BUILD two more variants run
the same binaries with another racewatch build's runtime, interleaved
with the rest (a before/after comparison in one run):
  racewatch-base  the racewatch build, LD_LIBRARY_PATH=OTHER_BUILD's runtime
  preload-base    the native binary under `OTHER_BUILD/tools/racewatch run`  A run that fails (exit status not 0) or
prints a race report is flagged under the table with its first lines.

The libuv runner refuses to run as root unless UV_RUN_AS_ROOT is set: the
script sets it.  The tests talk over loopback and local pipes only.

Usage:
  python3 bench/libuv.py --libuv /tmp/libuv [--build build] [--work DIR]
      [--tests tcp_ping_pong,...] [--repeat 5] [--variants ...]
      [--timeout S] [--reuse] [--jobs 2] [--base OTHER_BUILD]

Python 3 standard library only.
"""

import argparse
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_TESTS = [
    "tcp_ping_pong",
    "tcp_ping_pong_vec",
    "tcp6_ping_pong",
    "tcp6_ping_pong_vec",
    "pipe_ping_pong",
    "pipe_ping_pong_vec",
    "tcp_write_in_a_row",
    "tcp_writealot",
]
VARIANTS = ["native", "tsan", "racewatch", "preload"]
REPORT_RE = re.compile(r"WARNING: (DATA RACE|ThreadSanitizer|DEADLOCK)|^==+$", re.M)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def configure_and_build(a, name, cc, cflags):
    out = a.work / ("build-" + name)
    exe = out / "uv_run_tests_a"
    if a.reuse and exe.exists():
        return exe
    argv = ["cmake", "-S", str(a.libuv), "-B", str(out), "-DLIBUV_BUILD_TESTS=ON",
            "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DCMAKE_C_COMPILER=" + cc]
    if cflags:
        argv += ["-DCMAKE_C_FLAGS=" + cflags, "-DCMAKE_EXE_LINKER_FLAGS=" + cflags,
                 "-DCMAKE_SHARED_LINKER_FLAGS=" + cflags]
    log("building %s ..." % name)
    for cmd in (argv, ["cmake", "--build", str(out), "-j", str(a.jobs),
                       "--target", "uv_run_tests_a"]):
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise SystemExit("%s build failed:\n%s" % (name, r.stdout[-3000:]))
    return exe


def clean_env():
    env = dict(os.environ)
    for k in ("TSAN_OPTIONS", "RACEWATCH_OPTIONS", "LD_PRELOAD", "LD_LIBRARY_PATH"):
        env.pop(k, None)
    env["UV_RUN_AS_ROOT"] = "1"
    return env


def command(a, exes, variant, test):
    if variant == "preload":
        return [str(a.build / "tools" / "racewatch"), "run", str(exes["native"]), test]
    if variant == "preload-base":
        return [str(a.base / "tools" / "racewatch"), "run", str(exes["native"]), test]
    if variant == "racewatch-base":
        return [str(exes["racewatch"]), test]
    return [str(exes[variant]), test]


def runtime_dir(build):
    """The directory of a build's libracewatch.so."""
    for found in sorted(build.rglob("libracewatch.so")):
        return found.parent
    raise SystemExit("no libracewatch.so under %s" % build)


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_once(a, exes, variant, test):
    """(wall seconds, CPU seconds, exit status, output) of one run; the
    runner's cwd is its build directory, where it looks for its fixtures."""
    argv = command(a, exes, variant, test)
    exe = exes[{"preload": "native", "preload-base": "native",
                "racewatch-base": "racewatch"}.get(variant, variant)]
    env = clean_env()
    if variant == "racewatch-base":
        env["LD_LIBRARY_PATH"] = str(runtime_dir(a.base))
    cpu0 = children_cpu()
    t0 = time.perf_counter()
    try:
        r = subprocess.run(argv, cwd=str(exe.parent), env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, errors="replace",
                           timeout=a.timeout)
        rc, out = r.returncode, r.stdout
    except subprocess.TimeoutExpired as e:
        rc, out = "timeout", (e.stdout or b"").decode(errors="replace") if isinstance(
            e.stdout, bytes) else (e.stdout or "")
    return time.perf_counter() - t0, children_cpu() - cpu0, rc, out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--libuv", type=Path, required=True, help="a libuv checkout")
    p.add_argument("--build", type=Path, default=Path("build"), help="racewatch's build dir")
    p.add_argument("--work", type=Path, default=None, help="default BUILD/bench/libuv")
    p.add_argument("--tests", default=",".join(DEFAULT_TESTS))
    p.add_argument("--variants", default=",".join(VARIANTS))
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--jobs", type=int, default=2, help="build jobs")
    p.add_argument("--reuse", action="store_true", help="keep builds already in WORK")
    p.add_argument("--base", type=Path, default=None,
                   help="another racewatch build: adds racewatch-base and preload-base")
    a = p.parse_args()
    a.libuv = a.libuv.resolve()
    a.build = a.build.resolve()
    a.work = (a.work or a.build / "bench" / "libuv").resolve()
    a.work.mkdir(parents=True, exist_ok=True)
    if not (a.libuv / "test" / "test-list.h").exists():
        raise SystemExit("%s is not a libuv checkout" % a.libuv)
    variants = [v for v in a.variants.split(",") if v]
    if a.base:
        a.base = a.base.resolve()
        variants += [v + "-base" for v in ("racewatch", "preload") if v in variants]
    tests = [t for t in a.tests.split(",") if t]
    listed = (a.libuv / "test" / "test-list.h").read_text()
    for t in tests:
        if "TEST_ENTRY  (%s)" % t not in listed and "TEST_ENTRY (%s)" % t not in listed:
            raise SystemExit("no test %s in test/test-list.h" % t)

    exes = {}
    if "native" in variants or "preload" in variants:
        exes["native"] = configure_and_build(a, "native", "gcc", "")
    if "tsan" in variants:
        exes["tsan"] = configure_and_build(a, "tsan", "gcc", "-fsanitize=thread")
    if "racewatch" in variants or "racewatch-base" in variants:
        exes["racewatch"] = configure_and_build(a, "racewatch",
                                                str(a.build / "tools" / "racewatch-cc"), "")

    load_before = loadavg()
    times = {(t, v): [] for t in tests for v in variants}
    cpus = {(t, v): [] for t in tests for v in variants}
    problems = []
    rng = random.Random(11)
    for rnd in range(a.repeat):
        order = [(t, v) for t in tests for v in variants]
        rng.shuffle(order)
        for t, v in order:
            wall, cpu, rc, out = run_once(a, exes, v, t)
            times[(t, v)].append(wall)
            cpus[(t, v)].append(cpu)
            if rc != 0 or REPORT_RE.search(out):
                problems.append((t, v, rc, out))
        log("round %d/%d done, load %s" % (rnd + 1, a.repeat, loadavg()))
    load_after = loadavg()

    def table(what, data, unit, scale):
        def med(t, v):
            return statistics.median(data[(t, v)]) * scale

        cols = ["test"] + ["%s %s" % (v, unit) for v in variants]
        has = set(variants)
        ratio_cols = [v for v in variants if v != "native" and "native" in has]
        cols += ["%s/native" % v for v in ratio_cols]
        tsan_cols = [v for v in variants if v.startswith("racewatch") and "tsan" in has]
        cols += ["%s/tsan" % v for v in tsan_cols]
        print("libuv %s, median of %d interleaved rounds, %s" % (a.libuv, a.repeat, what))
        print("| " + " | ".join(cols) + " |")
        print("|" + "---|" * len(cols))
        for t in tests:
            row = [t] + [("%.1f" if scale > 1 else "%.3f") % med(t, v) for v in variants]
            row += ["%.2fx" % (med(t, v) / med(t, "native")) for v in ratio_cols]
            row += ["%.2fx" % (med(t, v) / med(t, "tsan")) for v in tsan_cols]
            print("| " + " | ".join(row) + " |")
        print()

    table("CPU time (user + system, all processes)", cpus, "ms", 1000.0)
    table("wall time", times, "s", 1.0)
    print("load average before: %s, after: %s (%d CPUs)" % (load_before, load_after,
                                                            os.cpu_count()))
    seen = set()
    for t, v, rc, out in problems:
        if (t, v) in seen:
            continue
        seen.add((t, v))
        n = sum(1 for x in problems if x[0] == t and x[1] == v)
        print("\n%s under %s: exit %s or a report in %d of %d runs; first lines:" %
              (t, v, rc, n, a.repeat))
        print("\n".join("    " + l for l in out.splitlines()[:12]))


if __name__ == "__main__":
    main()
