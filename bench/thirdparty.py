#!/usr/bin/env python3
"""bench/thirdparty.py: third-party parallel programs natively, under gcc's
ThreadSanitizer, under racewatch instrumented and under racewatch preload,
side by side.  A measurement, not a test.

The programs come from local checkouts that are never committed here and
never written to: Phoenix 2.0's pthread programs (kozyraki/phoenix), the
SPLASH-3 kernels and apps (SakalisC/Splash-3, 2 and 4 threads each) and pigz
(madler/pigz).  Their sources are copied under the work directory (SPLASH-3's
.in files go through m4 with its pthread macros there), built four ways from
the same -O2 -g sources, and their inputs are generated there,
deterministically (Phoenix's data sets are downloads):

  native     CC -O2 -g -pthread
  tsan       CC -O2 -g -pthread -fsanitize=thread (gcc's libtsan)
  racewatch  BUILD/tools/racewatch-cc -O2 -g -pthread (our runtime linked)
  preload    the native binary with LD_PRELOAD=BUILD/runtime/libracewatch.so,
             as `racewatch run` starts it
  preload-base  the same with --base-build's libracewatch.so (an A/B
             comparison of two runtimes in the same interleaved run)
  racewatch-base  the racewatch binary run against --base-build's
             libracewatch.so (LD_LIBRARY_PATH overrides the binary's RUNPATH)

Runs are interleaved: each round runs every program under every variant,
--repeat rounds; the table shows the median wall time (with --cpu: CPU
time, user + sys of the program and its children) and the median peak
RSS (ru_maxrss of the child, through bench/spawn.c) as ratios to native,
their geometric means, and the load average before and after.

Usage:
  python3 bench/thirdparty.py --phoenix /work/ext/phoenix \\
      --splash /work/ext/Splash-3 --pigz /work/ext/pigz [--build build]
      [--work DIR] [--only NAME,...] [--repeat 3] [--scale 1.0]
      [--variants native,tsan,racewatch,preload] [--json FILE]
      [--timeout S] [--cc gcc] [--reuse] [--list] [--cpu]
      [--base-build OTHER_BUILD]  (adds the variants preload-base and
                                   racewatch-base)

A suite whose path is not given is skipped.  Python 3 standard library only.
"""

import argparse
import itertools
import json
import os
import random
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
VARIANTS = ["native", "tsan", "racewatch", "preload", "preload-base", "racewatch-base"]
BASE_VARIANTS = ("preload-base", "racewatch-base")
OPT = ["-O2", "-g", "-pthread"]
REPORT_RE = re.compile(r"WARNING: (ThreadSanitizer|racewatch)|^==================$", re.M)
RACE_EXIT = 66

PHOENIX_PROGRAMS = ["histogram", "kmeans", "linear_regression", "matrix_multiply",
                    "pca", "string_match", "word_count"]
# SPLASH-3: name -> (directory under codes/, executable name)
SPLASH_PROGRAMS = {
    "fft": "kernels/fft",
    "lu": "kernels/lu/contiguous_blocks",
    "radix": "kernels/radix",
    "ocean": "apps/ocean/contiguous_partitions",
    "barnes": "apps/barnes",
    "water-nsquared": "apps/water-nsquared",
}
SPLASH_THREADS = [2, 4]
SPLASH_CFLAGS = ["-D_XOPEN_SOURCE=500", "-D_POSIX_C_SOURCE=200112", "-std=c11",
                 "-fno-strict-aliasing"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sh(argv, cwd=None, env=None):
    p = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout.decode(errors="replace")


def clean_env():
    env = dict(os.environ)
    for k in ("TSAN_OPTIONS", "RACEWATCH_OPTIONS", "LD_PRELOAD", "LD_LIBRARY_PATH"):
        env.pop(k, None)
    return env


# ------------------------------------------------------------ input data

WORDS = None


def vocabulary(rng):
    """A fixed vocabulary of 20,000 lowercase words, 2-12 letters."""
    global WORDS
    if WORDS is None:
        letters = "etaoinshrdlucmfwypvbgkqjxz"
        weights = [26 - i for i in range(26)]
        WORDS = ["".join(rng.choices(letters, weights, k=rng.randint(2, 12)))
                 for _ in range(20000)]
    return WORDS


def write_text(path, nbytes, seed, words_per_line=12):
    """Deterministic English-like text: Zipf-distributed words from a fixed
    vocabulary, words_per_line per line."""
    rng = random.Random(seed)
    words = vocabulary(random.Random(1))
    cum = list(itertools.accumulate(1.0 / (i + 1) for i in range(len(words))))
    out, size = [], 0
    while size < nbytes:
        chunk = rng.choices(words, cum_weights=cum, k=words_per_line * 1000)
        for i in range(0, len(chunk), words_per_line):
            line = " ".join(chunk[i:i + words_per_line]) + "\n"
            out.append(line)
            size += len(line)
    Path(path).write_text("".join(out))


def write_bmp(path, npixels, seed):
    """A 24-bit BMP header (what Phoenix's histogram reads: 'BM', the data
    offset at byte 10, 24 bits per pixel at byte 28) and random pixels."""
    width = 1024
    height = max(1, npixels // width)
    data = random.Random(seed).randbytes(width * height * 3)
    header = b"BM" + struct.pack("<IHHI", 54 + len(data), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(data), 2835, 2835, 0, 0)
    with open(path, "wb") as f:
        f.write(header + info + data)


def write_matrices(directory, side, seed):
    """matrix_file_A.txt and matrix_file_B.txt as Phoenix's matrix_multiply
    maps them: side*side native ints, values 0-10."""
    rng = random.Random(seed)
    for name in ("matrix_file_A.txt", "matrix_file_B.txt"):
        vals = bytes(rng.randrange(11) for _ in range(side * side))
        arr = struct.pack("<%di" % (side * side), *vals)
        (directory / name).write_bytes(arr)


# ------------------------------------------------------------ programs

class Program:
    """One configuration: a built executable per variant, argv, cwd, stdin."""

    def __init__(self, name, suite):
        self.name = name
        self.suite = suite
        self.bins = {}          # variant -> path
        self.errors = {}        # variant -> text
        self.args = []
        self.cwd = None
        self.stdin = None
        self.results = {v: [] for v in VARIANTS}   # list of (wall, maxrss_kib)
        self.flags = {v: set() for v in VARIANTS}
        self.na = {}


def compilers(a):
    rcc = a.build / "tools" / "racewatch-cc"
    return {
        "native": [a.cc],
        "tsan": [a.cc, "-fsanitize=thread"],
        "racewatch": [str(rcc), "--cc=" + a.cc] if rcc.exists() else None,
    }


def build_variants(a, out_base, sources, cflags, ldflags, cwd):
    """Compile sources (paths relative to cwd) with each compiler into
    out_base.VARIANT.  Returns (bins, errors)."""
    bins, errs = {}, {}
    for variant, cc in compilers(a).items():
        if cc is None:
            errs[variant] = "no racewatch-cc in %s" % a.build
            continue
        exe = Path(str(out_base) + "." + variant)
        if a.reuse and exe.exists():
            bins[variant] = exe
            continue
        objs = []
        ok = True
        for src in sources:
            obj = Path(str(out_base) + "-" + Path(src).stem + "." + variant + ".o")
            rc, text = sh(cc + OPT + cflags + ["-w", "-c", src, "-o", str(obj)], cwd=cwd)
            if rc != 0:
                errs[variant] = "compile %s failed:\n%s" % (src, text[-2000:])
                ok = False
                break
            objs.append(str(obj))
        if not ok:
            continue
        rc, text = sh(cc + OPT + objs + ["-o", str(exe)] + ldflags, cwd=cwd)
        if rc != 0:
            errs[variant] = "link failed:\n%s" % text[-2000:]
            continue
        bins[variant] = exe
    if "native" in bins:
        bins["preload"] = bins["preload-base"] = bins["native"]
    if "racewatch" in bins:
        bins["racewatch-base"] = bins["racewatch"]
    return bins, errs


def copy_tree(src, dst):
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, symlinks=False)


def phoenix_programs(a, work, data):
    root = a.phoenix / "phoenix-2.0" if (a.phoenix / "phoenix-2.0").is_dir() else a.phoenix
    if not (root / "tests").is_dir():
        raise SystemExit("--phoenix %s: no phoenix-2.0/tests there" % a.phoenix)
    srcdir = work / "src" / "phoenix"
    if srcdir.exists():
        shutil.rmtree(srcdir)
    srcdir.mkdir(parents=True)
    shutil.copytree(root / "include", srcdir / "include")
    s = a.scale
    progs = []
    for name in PHOENIX_PROGRAMS:
        if not wanted(a, name):
            continue
        shutil.copytree(root / "tests" / name, srcdir / name)
        if name == "histogram":
            fix_histogram_frees(srcdir / name / "histogram-pthread.c")
        p = Program(name, "phoenix")
        sources = [name + "-pthread.c"]
        if name == "word_count":
            sources.append("sort-pthread.c")
        # Phoenix's CFLAGS (-D_LINUX_), our -O2 -g instead of its -O3.
        p.bins, p.errors = build_variants(a, work / "bin" / ("phoenix-" + name), sources,
                                          ["-D_LINUX_", "-I../include"], ["-lm"],
                                          cwd=srcdir / name)
        p.cwd = data
        if name == "histogram":
            f = data / "histogram.bmp"
            if not f.exists():
                write_bmp(f, int(24e6 * s), 11)
            p.args = [str(f)]
        elif name == "linear_regression":
            f = data / "linear_regression.txt"
            if not f.exists():
                f.write_bytes(random.Random(12).randbytes(int(96e6 * s)))
            p.args = [str(f)]
        elif name == "word_count":
            f = data / "word_count.txt"
            if not f.exists():
                write_text(f, int(5e6 * s), 13)
            p.args = [str(f), "10"]
        elif name == "string_match":
            f = data / "string_match.txt"
            if not f.exists():
                write_text(f, int(24e6 * s), 14, words_per_line=1)
            p.args = [str(f)]
        elif name == "matrix_multiply":
            side = max(16, int(600 * s ** (1 / 3)))
            mdir = data / ("matrix-%d" % side)
            if not mdir.exists():
                mdir.mkdir()
                write_matrices(mdir, side, 15)
            p.cwd = mdir
            p.args = [str(side)]
        elif name == "kmeans":
            p.args = ["-d", "3", "-c", "100", "-p", str(max(1000, int(16000 * s))), "-s", "1000"]
        elif name == "pca":
            rows = max(16, int(600 * s ** 0.5))
            p.args = ["-r", str(rows), "-c", str(rows), "-s", "1000"]
        progs.append(p)
    return progs


def fix_histogram_frees(path):
    """phoenix-2.0's histogram-pthread.c ends with free(arg[i].red) (and
    green, blue) on arrays embedded in its thread arguments, which glibc
    aborts on ("free(): invalid pointer") after the work is done.  The copy
    drops those three calls; nothing else changes."""
    text = path.read_text()
    fixed = re.sub(r"\n\s*free\(arg\[i\]\.(red|green|blue)\);", "", text)
    path.write_text(fixed)


def m4_tree(a, src, dst):
    """Copy a SPLASH-3 program directory and expand its .in files with m4
    and the pthread macros, as codes/Makefile.config does."""
    copy_tree(src, dst)
    macros = a.splash_codes / "pthread_macros" / "pthread.m4.stougie"
    for f in sorted(dst.glob("*.in")):
        out = dst / f.name[:-3]
        with open(out, "w") as o:
            p = subprocess.run(["m4", "-Ulen", "-Uindex", str(macros), f.name], cwd=dst,
                               stdout=o, stderr=subprocess.PIPE)
        if p.returncode != 0:
            return "m4 %s failed: %s" % (f.name, p.stderr.decode(errors="replace")[-500:])
    return None


def splash_programs(a, work, data):
    codes = a.splash / "codes" if (a.splash / "codes").is_dir() else a.splash
    if not (codes / "pthread_macros").is_dir():
        raise SystemExit("--splash %s: no codes/pthread_macros there" % a.splash)
    a.splash_codes = codes
    s = a.scale
    progs = []
    for name, rel in SPLASH_PROGRAMS.items():
        configs = [t for t in SPLASH_THREADS if wanted(a, "%s-p%d" % (name, t)) or wanted(a, name)]
        if not configs:
            continue
        dst = work / "src" / "splash" / name
        err = m4_tree(a, codes / rel, dst)
        sources = sorted(f.name for f in dst.glob("*.c"))
        if err:
            bins, errs = {}, {v: err for v in VARIANTS}
        else:
            bins, errs = build_variants(a, work / "bin" / ("splash-" + name), sources,
                                        SPLASH_CFLAGS, ["-lm"], cwd=dst)
        for t in configs:
            p = Program("%s-p%d" % (name, t), "splash")
            p.bins, p.errors = bins, errs
            p.cwd = data
            if name == "fft":
                m = max(10, min(26, 20 + round(_log2(s))))
                m -= m % 2   # FFT needs an even M
                p.args = ["-m%d" % m, "-p%d" % t]
            elif name == "lu":
                p.args = ["-n%d" % max(64, int(1024 * s ** (1 / 3))), "-p%d" % t, "-b16"]
            elif name == "radix":
                p.args = ["-p%d" % t, "-n%d" % max(1024, int(2097152 * s)), "-r1024",
                          "-m524288"]
            elif name == "ocean":
                n = max(34, int(514 * s ** 0.5))
                k = 1 << max(5, (n - 2).bit_length() - 1)
                p.args = ["-n%d" % (k + 2), "-p%d" % t]
            elif name == "barnes":
                f = data / ("barnes-p%d.in" % t)
                nbody = max(256, int(16384 * s))
                f.write_text("\n%d\n123\n\n0.025\n0.05\n1.0\n2.0\n5.0\n0.075\n0.25\n%d\n"
                             % (nbody, t))
                p.stdin = f
            elif name == "water-nsquared":
                shutil.copyfile(dst / "random.in", data / "random.in")
                f = data / ("water-p%d.in" % t)
                f.write_text("  1.5e-16   %d  %d   6\n -1      3000     3  0\n%d 6.212752\n"
                             % (512, max(2, int(12 * s)), t))
                p.stdin = f
            progs.append(p)
    return progs


def _log2(x):
    import math
    return math.log2(x) if x > 0 else 0


def pigz_programs(a, work, data):
    if not (a.pigz / "pigz.c").exists():
        raise SystemExit("--pigz %s: no pigz.c there" % a.pigz)
    if not (wanted(a, "pigz-compress") or wanted(a, "pigz-decompress") or wanted(a, "pigz")):
        return []
    dst = work / "src" / "pigz"
    copy_tree(a.pigz, dst)
    zop = sorted(str(f.relative_to(dst)) for f in (dst / "zopfli" / "src" / "zopfli").glob("*.c")
                 if f.name not in ("zopfli_bin.c", "zopfli_lib.c"))
    bins, errs = build_variants(a, work / "bin" / "pigz", ["pigz.c", "yarn.c", "try.c"] + zop,
                                [], ["-lm", "-lz"], cwd=dst)
    text = data / "pigz.txt"
    if not text.exists():
        write_text(text, int(10e6 * a.scale), 16)
    gz = data / "pigz.txt.gz"
    if not gz.exists() and "native" in bins:
        with open(gz, "wb") as o:
            subprocess.run([str(bins["native"]), "-p", "4", "-c", str(text)], stdout=o, check=True)
    progs = []
    for name, args in (("pigz-compress", ["-p", "4", "-c", str(text)]),
                       ("pigz-decompress", ["-p", "4", "-d", "-c", str(gz)])):
        if wanted(a, name) or wanted(a, "pigz"):
            p = Program(name, "pigz")
            p.bins, p.errors, p.args, p.cwd = bins, errs, args, data
            progs.append(p)
    return progs


def wanted(a, name):
    return not a.only or name in a.only


# ------------------------------------------------------------ running

def run_once(a, spawn, p, variant):
    exe = p.bins[variant]
    env = clean_env()
    if variant == "preload":
        env["LD_PRELOAD"] = str(a.lib)
    if variant == "preload-base":
        env["LD_PRELOAD"] = str(a.base_lib)
    if variant == "racewatch-base":
        env["LD_LIBRARY_PATH"] = str(a.base_lib.parent)
    if variant == "tsan":
        env["TSAN_OPTIONS"] = "report_signal_unsafe=0"
    with tempfile.NamedTemporaryFile("r", prefix="tp-", suffix=".rusage") as res, \
            tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        stdin = open(p.stdin, "rb") if p.stdin else subprocess.DEVNULL
        try:
            rc = subprocess.run([str(spawn), res.name, "%g" % a.timeout, str(exe)] + p.args,
                                cwd=p.cwd, env=env, stdin=stdin, stdout=out, stderr=err).returncode
        finally:
            if p.stdin:
                stdin.close()
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        fields = res.read().split()
    if rc != 0 or len(fields) != 6:
        return None, "spawn failed: %s" % stderr[-300:]
    code, maxrss, wall, timed_out = int(fields[0]), int(fields[1]), float(fields[2]), fields[5] == "1"
    if a.cpu:
        wall = float(fields[3]) + float(fields[4])
    if timed_out:
        return None, "timeout"
    if code < 0:
        return None, "signal %d: %s" % (-code, stderr.strip()[:300])
    reported = bool(REPORT_RE.search(stderr)) or (variant != "native" and code == RACE_EXIT)
    if code not in (0, RACE_EXIT) or (code == RACE_EXIT and variant == "native"):
        return None, "exit %d: %s" % (code, stderr.strip()[:300])
    return (wall, maxrss, reported), None


def fmt_x(x):
    return "n/a" if x is None else ("%.2fx" % x if x < 10 else "%.1fx" % x)


def median_of(p, variant, idx):
    xs = [r[idx] for r in p.results[variant]]
    return statistics.median(xs) if xs else None


def print_table(a, progs, load_before, load_after, out=sys.stdout):
    vs = [v for v in a.variants if v != "native"]
    head = ["program", "native s", "native MiB"] + ["%s time" % v for v in vs] + \
        ["%s mem" % v for v in vs]
    if "tsan" in vs and "racewatch" in vs:
        head += ["rw/tsan time", "rw/tsan mem"]
    rows = []
    ratios = {h: [] for h in head[3:]}
    for p in progs:
        nt, nm = median_of(p, "native", 0), median_of(p, "native", 1)
        row = [p.name, "%.3f" % nt if nt else "n/a", "%.1f" % (nm / 1024) if nm else "n/a"]
        cells = {}
        for kind, idx, base in (("time", 0, nt), ("mem", 1, nm)):
            for v in vs:
                m = median_of(p, v, idx)
                r = m / base if (m and base) else None
                cells["%s %s" % (v, kind)] = r
        if "rw/tsan time" in head:
            for kind in ("time", "mem"):
                t, r = cells.get("tsan " + kind), cells.get("racewatch " + kind)
                cells["rw/tsan " + kind] = r / t if (r and t) else None
        for h in head[3:]:
            x = cells.get(h)
            txt = fmt_x(x)
            v = h.split(" ")[0]
            if x is None and v in p.na:
                txt = "n/a (%s)" % p.na[v].split(":")[0]
            if h.endswith("time") and v in p.flags and "RACE" in p.flags[v]:
                txt += " R"
            row.append(txt)
            if x is not None:
                ratios[h].append(x)
        rows.append(row)
    gm = ["geomean", "", ""]
    for h in head[3:]:
        xs = ratios[h]
        g = statistics.geometric_mean(xs) if xs else None
        gm.append(fmt_x(g) + ("" if len(xs) == len(progs) else " (%d/%d)" % (len(xs), len(progs))))
    worst = ["max", "", ""] + [fmt_x(max(ratios[h])) if ratios[h] else "n/a" for h in head[3:]]
    rows += [gm, worst]
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |", file=out)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|", file=out)
    for r in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |", file=out)
    print("\n%smedian of %d interleaved rounds; time and memory (ru_maxrss) as multiples of "
          "native; R = the detector reported something" % ("time = CPU time (user + sys); "
                                                           if a.cpu else "", a.repeat), file=out)
    print("load average before: %s; after: %s (%d CPUs)" % (
        " ".join("%.2f" % x for x in load_before), " ".join("%.2f" % x for x in load_after),
        os.cpu_count()), file=out)
    for p in progs:
        for v, why in sorted(p.na.items()):
            print("note: %s %s: %s" % (p.name, v, why.replace("\n", " ")[:300]), file=out)
    return {h: (statistics.geometric_mean(ratios[h]) if ratios[h] else None) for h in head[3:]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phoenix", type=Path, help="checkout of kozyraki/phoenix (or its phoenix-2.0)")
    ap.add_argument("--splash", type=Path, help="checkout of SakalisC/Splash-3 (or its codes/)")
    ap.add_argument("--pigz", type=Path, help="checkout of madler/pigz")
    ap.add_argument("--build", type=Path, default=Path("build"))
    ap.add_argument("--work", type=Path, help="work directory (default BUILD/bench/thirdparty)")
    ap.add_argument("--only", action="append", default=[],
                    help="program names (fft-p2, or fft for both thread counts), repeatable")
    ap.add_argument("--variants", default=None,
                    help="comma-separated; default: native,tsan,racewatch,preload "
                         "(and preload-base, racewatch-base with --base-build)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--cc", default="gcc")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--reuse", action="store_true",
                    help="keep executables built by an earlier run (sources unchanged)")
    ap.add_argument("--list", action="store_true", help="build, then list the configurations")
    ap.add_argument("--cpu", action="store_true",
                    help="time is CPU time (user + sys), not wall time")
    ap.add_argument("--base-build", type=Path,
                    help="another build: variant preload-base preloads its runtime, "
                         "racewatch-base runs the racewatch binary against it")
    a = ap.parse_args()
    a.only = set(x for o in a.only for x in o.split(",") if x)
    if a.variants is None:
        a.variants = ",".join(v for v in VARIANTS if v not in BASE_VARIANTS or a.base_build)
    a.variants = [v for v in a.variants.split(",") if v]
    if "native" not in a.variants:
        a.variants.insert(0, "native")
    for v in a.variants:
        if v not in VARIANTS:
            ap.error("unknown variant %s" % v)
    a.build = a.build.resolve()
    a.lib = a.build / "runtime" / "libracewatch.so"
    for v in BASE_VARIANTS:
        if v in a.variants and not a.base_build:
            ap.error("variant %s needs --base-build" % v)
    if a.base_build:
        a.base_lib = a.base_build.resolve() / "runtime" / "libracewatch.so"
    work = (a.work or a.build / "bench" / "thirdparty").resolve()
    for path in (a.phoenix, a.splash, a.pigz):
        if path and work.is_relative_to(path.resolve()):
            ap.error("the work directory must be outside the checkouts")
    data = work / ("data-scale%g" % a.scale)
    data.mkdir(parents=True, exist_ok=True)
    (work / "bin").mkdir(exist_ok=True)
    spawn = work / "spawn"
    rc, text = sh([a.cc, "-O2", "-o", str(spawn), str(BENCH_DIR / "spawn.c")])
    if rc != 0:
        raise SystemExit("cannot build spawn.c:\n" + text)

    progs = []
    log("building into %s" % work)
    if a.phoenix:
        progs += phoenix_programs(a, work, data)
    if a.splash:
        progs += splash_programs(a, work, data)
    if a.pigz:
        progs += pigz_programs(a, work, data)
    if not progs:
        ap.error("nothing to run: give --phoenix, --splash and/or --pigz (and check --only)")
    for p in progs:
        for v, e in p.errors.items():
            p.na[v] = e
            log("%s %s: %s" % (p.name, v, e.splitlines()[0] if e else ""))
    if a.list:
        for p in progs:
            print(p.name, " ".join(p.args), "<" + str(p.stdin) if p.stdin else "")
        return 0

    load_before = os.getloadavg()
    for rnd in range(a.repeat):
        for p in progs:
            for v in a.variants:
                if v not in p.bins or v in p.na:
                    continue
                r, why = run_once(a, spawn, p, v)
                if r is None:
                    p.na[v] = why
                    log("  %s %s: %s" % (p.name, v, why.splitlines()[0]))
                    continue
                p.results[v].append(r[:2])
                if r[2]:
                    p.flags[v].add("RACE")
            log("round %d/%d %-22s %s  (load %.2f)" % (
                rnd + 1, a.repeat, p.name,
                " ".join("%s %.2fs" % (v, p.results[v][-1][0]) for v in a.variants if p.results[v]),
                os.getloadavg()[0]))
    load_after = os.getloadavg()
    geo = print_table(a, progs, load_before, load_after)
    if a.json:
        doc = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "load_before": load_before, "load_after": load_after, "repeat": a.repeat,
               "scale": a.scale, "cc": a.cc, "geomeans": geo,
               "programs": [{"name": p.name, "suite": p.suite, "args": p.args,
                             "stdin": str(p.stdin) if p.stdin else None,
                             "runs": {v: [{"wall": w, "maxrss_kib": m} for w, m in p.results[v]]
                                      for v in a.variants},
                             "flags": {v: sorted(p.flags[v]) for v in a.variants},
                             "na": p.na} for p in progs]}
        a.json.write_text(json.dumps(doc, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
