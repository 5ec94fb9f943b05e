#!/usr/bin/env python3
"""run.py: the side-by-side benchmark runner for racewatch.

Each workload in bench/workloads/ is compiled once as a native object
(gcc -O2 -g -c) and once as an instrumented object (gcc -O2 -g
-fsanitize=thread -c).  From those two objects it links three programs:

  native     the plain object, linked with -pthread;
  libtsan    the instrumented object linked by gcc -fsanitize=thread, i.e.
             against gcc's own ThreadSanitizer runtime;
  racewatch  the same instrumented object linked against
             <build>/runtime/libracewatch.so, with no -fsanitize=thread on
             the link line so libtsan is not pulled in.

Each program runs --repeat times.  The table shows the native median wall
time and peak RSS, and for the detectors their median time and peak RSS
divided by native's, with a geometric-mean row.  Every program must print
the same checksum line, and the detectors must report nothing (the
workloads are race-free): a report or a wrong checksum is flagged in the
cell.  racewatch is under construction, so a failed link, a crash or a
non-zero exit shows as 'n/a (reason)' and the run goes on.

With --with-valgrind the native program also runs under Helgrind and DRD.

Python 3 standard library only.  Speed and memory are measured here and
nowhere else: none of this is a meson test.
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
WORKLOAD_DIR = BENCH_DIR / "workloads"

# name -> what it measures (also the order of the table)
WORKLOADS = {
    "array": "2 threads, private 32 MiB arrays: plain reads/writes, no sharing",
    "mutex": "4 threads, shared counters under 2 mutexes: lock/unlock cost",
    "atomic": "4 threads, C11 fetch_add/load-acquire/store-release/CAS on shared words",
    "malloc": "4 threads, malloc/free of mixed sizes, memory touched",
    "threads1000": "1,000 short threads over the run, <= 100 alive at once",
    "threads_at_once": "1,000 threads alive at once, 64 KiB stacks",
    "memops": "2 threads, memset/memcpy/memmove/memcmp/strlen/strchr on private buffers",
    "pipeline": "2 producers, 2 consumers, bounded queue (mutex + condvars), heap messages",
}

CFLAGS = ["-std=gnu11", "-O2", "-g", "-pthread"]
TSAN_OPTIONS = "report_signal_unsafe=0"

# What a detector's report looks like on stderr.  libtsan and racewatch both
# start reports with "WARNING: <tool>: <kind>"; Helgrind and DRD are counted
# from their ERROR SUMMARY line instead.
REPORT_RE = re.compile(
    r"WARNING: (ThreadSanitizer|racewatch)\b|\bdata race\b|lock-order-inversion",
    re.IGNORECASE)
# Both runtimes exit with this status when they reported something.
REPORT_EXITCODE = 66
VALGRIND_ERRORS_RE = re.compile(r"ERROR SUMMARY: (\d+) errors")

DETECTORS = ["racewatch", "libtsan"]
VALGRIND_TOOLS = ["helgrind", "drd"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- running

class Run:
    """One execution of a program."""

    def __init__(self, wall, maxrss_kib, cpu, code, stdout, stderr, timed_out):
        self.wall = wall
        self.maxrss_kib = maxrss_kib
        self.cpu = cpu
        self.code = code            # exit status, or -signal
        self.stdout = stdout
        self.stderr = stderr
        self.timed_out = timed_out


def run_once(spawn, argv, env, timeout):
    """Run argv through the spawn helper (see spawn.c: it forks the program
    from a small process and waits for it with wait4, so the peak RSS is the
    program's own, not this runner's) and return a Run.  stdout and stderr
    go to temporary files so a chatty program cannot block on a pipe."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", prefix="bench-", suffix=".rusage") as res:
        p = subprocess.run([str(spawn), res.name, "%g" % timeout] + argv,
                           stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
        fields = res.read().split()
        if p.returncode != 0 or len(fields) != 6:
            raise RuntimeError("spawn helper failed (status %d): %s"
                               % (p.returncode, stderr.strip()[-500:]))
        code, maxrss = int(fields[0]), int(fields[1])
        wall, utime, stime = float(fields[2]), float(fields[3]), float(fields[4])
        return Run(wall, maxrss, utime + stime, code, stdout, stderr, fields[5] == "1")


def signame(n):
    try:
        return signal.Signals(n).name
    except ValueError:
        return "signal %d" % n


def first_lines(text, n=6):
    lines = [l for l in text.splitlines() if l.strip()]
    return "\n".join(lines[:n])


class Result:
    """The outcome of one program (variant) of one workload."""

    def __init__(self, variant):
        self.variant = variant
        self.runs = []
        self.na = None          # short reason when there is no number
        self.detail = None      # longer text for the notes
        self.flags = []         # "RACE", "CHECKSUM", "ERRORS"
        self.checksum = None

    @property
    def time(self):
        return statistics.median(r.wall for r in self.runs) if self.runs and not self.na else None

    @property
    def rss_kib(self):
        return max(r.maxrss_kib for r in self.runs) if self.runs and not self.na else None

    def to_json(self):
        return {
            "variant": self.variant,
            "na": self.na,
            "detail": self.detail,
            "flags": self.flags,
            "checksum": self.checksum,
            "median_s": self.time,
            "max_rss_kib": self.rss_kib,
            "runs": [{"wall_s": r.wall, "cpu_s": r.cpu, "max_rss_kib": r.maxrss_kib,
                      "exit": r.code} for r in self.runs],
        }


def measure(spawn, result, argv, env, repeat, timeout, kind):
    """Run argv repeat times into result.  kind is 'native', 'detector'
    (libtsan/racewatch: exit 66 means reports) or 'valgrind'."""
    for i in range(repeat):
        r = run_once(spawn, argv, env, timeout)
        if r.timed_out:
            result.na = "timeout %.0fs" % timeout
            result.detail = first_lines(r.stderr)
            return
        if r.code < 0:
            result.na = signame(-r.code)
            result.detail = first_lines(r.stderr, 12)
            return
        reported = False
        if kind == "detector":
            reported = bool(REPORT_RE.search(r.stderr)) or r.code == REPORT_EXITCODE
            if r.code not in (0, REPORT_EXITCODE):
                result.na = "exit %d" % r.code
                result.detail = first_lines(r.stderr, 12)
                return
        elif kind == "valgrind":
            m = VALGRIND_ERRORS_RE.search(r.stderr)
            nerr = int(m.group(1)) if m else 0
            if nerr and "ERRORS" not in result.flags:
                result.flags.append("ERRORS")
                result.detail = "%d errors reported; first:\n%s" % (
                    nerr, first_lines(valgrind_first_error(r.stderr), 8))
            if r.code != 0:
                result.na = "exit %d" % r.code
                result.detail = first_lines(r.stderr, 12)
                return
        elif r.code != 0:
            result.na = "exit %d" % r.code
            result.detail = first_lines(r.stderr, 12)
            return
        if reported and "RACE" not in result.flags:
            result.flags.append("RACE")
            m = REPORT_RE.search(r.stderr)
            result.detail = first_lines(r.stderr[m.start():] if m else r.stderr, 8)
        result.runs.append(r)
        if result.checksum is None:
            result.checksum = r.stdout.strip()
        elif r.stdout.strip() != result.checksum and "CHECKSUM" not in result.flags:
            result.flags.append("CHECKSUM")
            result.detail = "output differs between runs: %r vs %r" % (
                result.checksum, r.stdout.strip())


def valgrind_first_error(stderr):
    """The lines of the first error in a Valgrind log, without ==pid== prefixes."""
    lines = [re.sub(r"^==\d+== ?", "", l) for l in stderr.splitlines()]
    for i, l in enumerate(lines):
        if l.startswith(("Possible data race", "Conflicting", "Thread #", "Lock at",
                         "Thread ")) and i > 0 and "was created" not in l:
            return "\n".join(lines[i:i + 8])
    return "\n".join(lines[:8])


# ---------------------------------------------------------------- building

def sh(argv, cwd=None):
    p = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return p.returncode, p.stdout


def summarize_link_error(text):
    undef = sorted(set(re.findall(r"undefined reference to [`']([^']+)'", text)))
    if undef:
        return "%d undefined symbols, e.g. %s" % (
            len(undef), ", ".join(undef[:4]))
    return first_lines(text, 6)


def needed_libs(path):
    """DT_NEEDED entries of an ELF file (via readelf), or None."""
    if not shutil.which("readelf"):
        return None
    rc, out = sh(["readelf", "-d", str(path)])
    if rc != 0:
        return None
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def build_workload(cc, name, work, rw_dir):
    """Compile and link one workload.  Returns (binaries, errors): binaries
    maps variant -> path; errors maps variant -> (short, detail)."""
    src = WORKLOAD_DIR / (name + ".c")
    obj_native = work / (name + ".o")
    obj_tsan = work / (name + ".tsan.o")
    bins, errs = {}, {}

    rc, out = sh([cc] + CFLAGS + ["-c", str(src), "-o", str(obj_native)])
    if rc != 0:
        errs["native"] = ("compile failed", out)
    else:
        exe = work / (name + ".native")
        rc, out = sh([cc, str(obj_native), "-pthread", "-o", str(exe)])
        if rc != 0:
            errs["native"] = ("link failed", out)
        else:
            bins["native"] = exe

    rc, out = sh([cc] + CFLAGS + ["-fsanitize=thread", "-c", str(src), "-o", str(obj_tsan)])
    if rc != 0:
        errs["libtsan"] = errs["racewatch"] = ("compile failed", out)
        return bins, errs

    exe = work / (name + ".libtsan")
    rc, out = sh([cc, "-fsanitize=thread", str(obj_tsan), "-pthread", "-o", str(exe)])
    if rc != 0:
        errs["libtsan"] = ("link failed", out)
    else:
        bins["libtsan"] = exe

    lib = rw_dir / "libracewatch.so"
    if not lib.exists():
        errs["racewatch"] = ("no libracewatch.so", "%s does not exist (build it with "
                             "ninja -C <build>)" % lib)
        return bins, errs
    exe = work / (name + ".racewatch")
    rc, out = sh([cc, str(obj_tsan), "-L" + str(rw_dir), "-Wl,-rpath," + str(rw_dir),
                  "-lracewatch", "-pthread", "-o", str(exe)])
    if rc != 0:
        errs["racewatch"] = ("link failed", summarize_link_error(out))
        return bins, errs
    needed = needed_libs(exe) or []
    if any("tsan" in n for n in needed):
        errs["racewatch"] = ("libtsan linked", "the racewatch binary needs %s" % needed)
        return bins, errs
    bins["racewatch"] = exe
    return bins, errs


# ---------------------------------------------------------------- table

def fmt_ratio(x):
    return "%.2fx" % x


def cell(res, what, native):
    """Text of one ratio cell."""
    if res is None:
        return "-"
    if res.na:
        return "n/a (%s)" % res.na
    base = native.time if what == "time" else native.rss_kib
    val = res.time if what == "time" else res.rss_kib
    if not base or val is None:
        return "n/a (no native)"
    text = fmt_ratio(val / base)
    if res.flags:
        text += " " + ",".join(res.flags)
    return text


def ratio(res, what, native):
    if res is None or res.na or native is None or native.na or not native.runs:
        return None
    base = native.time if what == "time" else native.rss_kib
    val = res.time if what == "time" else res.rss_kib
    return val / base if base else None


def geomean(xs):
    xs = [x for x in xs if x is not None and x > 0]
    if not xs:
        return None
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def print_table(rows, variants, out=sys.stdout):
    """rows: list of (name, {variant: Result})."""
    cols = ["native s", "native MiB"]
    for v in variants:
        cols.append(v + " time")
    for v in variants:
        cols.append(v + " mem")
    header = ["workload"] + cols
    body = []
    geo = {c: [] for c in cols}
    for name, res in rows:
        native = res.get("native")
        line = [name]
        if native is None or native.na:
            reason = native.na if native else "not run"
            line += ["n/a (%s)" % reason, ""] + [""] * (2 * len(variants))
            body.append(line)
            continue
        line.append("%.3f" % native.time)
        line.append("%.1f" % (native.rss_kib / 1024))
        geo["native s"].append(native.time)
        geo["native MiB"].append(native.rss_kib / 1024)
        for what in ("time", "mem"):
            for v in variants:
                line.append(cell(res.get(v), what, native))
                geo[v + " " + what].append(ratio(res.get(v), what, native))
        body.append(line)
    n = len(rows)
    gl = ["geomean"]
    for c in cols:
        vals = [x for x in geo[c] if x is not None]
        g = geomean(vals)
        if g is None:
            gl.append("n/a")
        elif c == "native s":
            gl.append("%.3f" % g)
        elif c == "native MiB":
            gl.append("%.1f" % g)
        else:
            gl.append(fmt_ratio(g) + ("" if len(vals) == n else " (%d/%d)" % (len(vals), n)))
    widths = [max(len(r[i]) for r in [header] + body + [gl]) for i in range(len(header))]

    def fmt(r):
        parts = [r[0].ljust(widths[0])] + [r[i].rjust(widths[i]) for i in range(1, len(r))]
        return " | ".join(parts).rstrip()

    sep = "-+-".join("-" * w for w in widths)
    print(fmt(header), file=out)
    print(sep, file=out)
    for r in body:
        print(fmt(r), file=out)
    print(sep, file=out)
    print(fmt(gl), file=out)


def print_notes(rows, out=sys.stdout):
    notes = []
    for name, res in rows:
        for v, r in res.items():
            if r.na or r.flags:
                what = r.na or ",".join(r.flags)
                text = "%s / %s: %s" % (name, v, what)
                if r.detail:
                    text += "\n" + "\n".join("    " + l for l in r.detail.splitlines())
                notes.append(text)
    if notes:
        print("\nNotes:", file=out)
        # The same racewatch failure on every workload is said once in full.
        seen = set()
        for t in notes:
            key = t.split(": ", 1)[1] if ": " in t else t
            if key in seen:
                print("  " + t.splitlines()[0] + " (same as above)", file=out)
                continue
            seen.add(key)
            print("  " + t, file=out)


# ---------------------------------------------------------------- main

def default_timeout(variant, native):
    """Seconds before a run is killed: generous next to the native time, so
    a hung or pathologically slow runtime costs minutes, not the evening."""
    base = native.time if native is not None and native.time else 1.0
    if variant == "native":
        return 120.0
    if variant in VALGRIND_TOOLS:
        return max(600.0, 1000 * base)
    return max(120.0, 300 * base)


def busy_warning():
    """A line warning that the machine is busy (timings will be noisy), or None."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        return None
    cpus = os.cpu_count() or 1
    if load > 0.75 * cpus:
        return ("warning: load average %.1f on %d CPUs: other work was running, "
                "so the times are noisy" % (load, cpus))
    return None


def resolve_build(path):
    p = Path(path)
    if not p.is_absolute() and not p.exists() and (REPO_DIR / p).exists():
        p = REPO_DIR / p
    return p.resolve()


def clean_env():
    env = dict(os.environ)
    for k in ("TSAN_OPTIONS", "RACEWATCH_OPTIONS", "LD_PRELOAD", "LD_LIBRARY_PATH"):
        env.pop(k, None)
    return env


def tool_version(argv):
    try:
        rc, out = sh(argv)
        return out.splitlines()[0] if rc == 0 and out else None
    except OSError:
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Workloads:\n" + "\n".join(
                                     "  %-16s %s" % kv for kv in WORKLOADS.items()))
    ap.add_argument("--build", default="build",
                    help="meson build directory holding runtime/libracewatch.so (default: build)")
    ap.add_argument("--only", action="append", metavar="NAME",
                    help="run only this workload (repeatable, or comma-separated)")
    ap.add_argument("--repeat", type=int, default=3, metavar="N",
                    help="runs per program; the median time is shown (default 3)")
    ap.add_argument("--json", metavar="FILE", help="also write the results to FILE")
    ap.add_argument("--with-valgrind", action="store_true",
                    help="also run the native programs under Helgrind and DRD (slow)")
    ap.add_argument("--valgrind-repeat", type=int, default=1, metavar="N",
                    help="runs per Valgrind tool (default 1)")
    ap.add_argument("--scale", type=float, default=1.0, metavar="F",
                    help="multiply every workload's amount of work by F (default 1.0)")
    ap.add_argument("--timeout", type=float, default=None, metavar="S",
                    help="kill a run after S seconds (default: native: 120; detectors: "
                         "max(120, 300 x native time); Valgrind: max(600, 1000 x native time))")
    ap.add_argument("--cc", default="gcc", help="C compiler (default gcc)")
    args = ap.parse_args()

    names = list(WORKLOADS)
    if args.only:
        wanted = [n for o in args.only for n in o.split(",") if n]
        bad = [n for n in wanted if n not in WORKLOADS]
        if bad:
            ap.error("unknown workload %s (have: %s)" % (", ".join(bad), ", ".join(WORKLOADS)))
        names = [n for n in names if n in wanted]
    if args.repeat < 1 or args.valgrind_repeat < 1:
        ap.error("--repeat and --valgrind-repeat must be >= 1")
    if args.with_valgrind and not shutil.which("valgrind"):
        ap.error("--with-valgrind: valgrind not found")

    build = resolve_build(args.build)
    rw_dir = build / "runtime"
    work = build / "bench" / "work"
    work.mkdir(parents=True, exist_ok=True)

    spawn = work / "spawn"
    rc, out = sh([args.cc, "-std=gnu11", "-O2", str(BENCH_DIR / "spawn.c"), "-o", str(spawn)])
    if rc != 0:
        log("bench: cannot build the spawn helper:\n" + out)
        return 1

    base_env = clean_env()
    env = {"native": base_env,
           "racewatch": base_env,
           "libtsan": dict(base_env, TSAN_OPTIONS=TSAN_OPTIONS)}
    variants = list(DETECTORS) + (VALGRIND_TOOLS if args.with_valgrind else [])
    prog_args = ["%g" % args.scale]

    log("bench: build dir %s, %d workload(s), repeat %d, scale %g"
        % (build, len(names), args.repeat, args.scale))
    warnings = [w for w in [busy_warning()] if w]
    t_start = time.perf_counter()
    rows = []
    for name in names:
        res = {}
        bins, errs = build_workload(args.cc, name, work, rw_dir)
        for v in ["native"] + variants:
            r = Result(v)
            res[v] = r
            bv = "native" if v in VALGRIND_TOOLS else v
            timeout = args.timeout or default_timeout(v, res["native"])
            if bv in errs:
                r.na, r.detail = errs[bv][0], errs[bv][1]
                continue
            if v in VALGRIND_TOOLS:
                if res["native"].na:
                    r.na = "native failed"
                    continue
                argv = ["valgrind", "--tool=" + v, "--max-threads=1100",
                        str(bins["native"])] + prog_args
                measure(spawn, r, argv, base_env, args.valgrind_repeat, timeout, "valgrind")
            else:
                kind = "native" if v == "native" else "detector"
                measure(spawn, r, [str(bins[v])] + prog_args, env[v], args.repeat, timeout, kind)
            want = res["native"].checksum
            if (v != "native" and not r.na and want is not None
                    and r.checksum != want and "CHECKSUM" not in r.flags):
                r.flags.append("CHECKSUM")
                r.detail = "printed %r, native printed %r" % (r.checksum, want)
            if r.na:
                log("  %-16s %-10s n/a (%s)" % (name, v, r.na))
            else:
                log("  %-16s %-10s %7.3f s %8.1f MiB %s"
                    % (name, v, r.time, r.rss_kib / 1024, " ".join(r.flags)))
        rows.append((name, res))
        w = busy_warning()
        if w and not warnings:
            warnings.append(w)
    elapsed = time.perf_counter() - t_start

    print()
    print_table(rows, variants)
    print("\nratios: detector median wall time / native median; peak RSS / native peak RSS."
          "\nflags: RACE = the detector reported something on a race-free workload;"
          " CHECKSUM = output differs from native; ERRORS = Valgrind errors (often false"
          " positives).")
    print_notes(rows)
    print("\n%d workload(s), repeat %d, %.0f s in all." % (len(rows), args.repeat, elapsed))
    for w in warnings:
        print(w)

    if args.json:
        doc = {
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "host": {"machine": platform.machine(), "cpus": os.cpu_count(),
                     "kernel": platform.release()},
            "cc": tool_version([args.cc, "--version"]),
            "valgrind": tool_version(["valgrind", "--version"]) if args.with_valgrind else None,
            "build": str(build),
            "repeat": args.repeat,
            "scale": args.scale,
            "tsan_options": TSAN_OPTIONS,
            "elapsed_s": elapsed,
            "warnings": warnings,
            "workloads": [
                {"name": name, "description": WORKLOADS[name],
                 "results": {v: r.to_json() for v, r in res.items()},
                 "ratios": {v: {"time": ratio(res.get(v), "time", res.get("native")),
                                "mem": ratio(res.get(v), "mem", res.get("native"))}
                            for v in variants}}
                for name, res in rows],
        }
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
        log("bench: results written to %s" % args.json)

    # The baseline itself must work; racewatch and Valgrind may be n/a.
    broken = [name for name, res in rows
              if res["native"].na or res["libtsan"].na
              or "CHECKSUM" in res["native"].flags]
    if broken:
        log("bench: native or libtsan failed for: %s" % ", ".join(broken))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
