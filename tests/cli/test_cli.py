#!/usr/bin/env python3
"""test_cli.py: end-to-end tests of the racewatch and racewatch-cc commands.

Run by meson (tests/cli/meson.build registers one meson test per case):

    test_cli.py CASE RACEWATCH RACEWATCH_CC [LIBRACEWATCH]

Each case is a function below named case_<CASE>.  It runs the built tools
in a fresh temporary directory with a clean environment (no inherited
RACEWATCH_* or LD_PRELOAD) and checks exit statuses, the exact error lines,
the environment the program receives, and, for programs built with
racewatch-cc, what the objects and executables reference (nm, readelf,
ldd).  Exit 0 = pass, 77 = skipped (a tool such as clang or cmake is
missing), anything else = fail with the reason on stderr.  No network.
"""

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time


class Skip(Exception):
    pass


RACEWATCH = CC = LIB = None
WORK = None

# Writes 8 MiB once: 32 MiB of shadow.
BIG_ARRAY_C = r"""
#include <stdlib.h>
#include <string.h>
int main(void) {
    size_t n = 8u << 20;
    char *volatile p = malloc(n);
    for (size_t i = 0; i < n; i += 8)
        *(long *)(p + i) = (long)i;
    return p[12345] == 0x7f;   /* not freed: freeing gives the shadow back */
}
"""

# The second worker waits (relaxed flag, no happens-before edge) until the
# first has incremented: the race is there in every run and the output is
# always counter=2 (two truly simultaneous increments could print 1).
RACE_C = r"""
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
int counter;
static int first_done;
static void *worker(void *arg) {
    if (arg)
        while (!__atomic_load_n(&first_done, __ATOMIC_RELAXED))
            usleep(1000);
    counter++;
    __atomic_store_n(&first_done, 1, __ATOMIC_RELAXED);
    return NULL;
}
int main(void) {
    pthread_t a, b;
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, worker, (void *)1);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("counter=%d\n", counter);
    return 0;
}
"""

HELLO_C = r"""
#include <stdio.h>
int global;
int main(void) { global++; printf("hello %d\n", global); return 0; }
"""


# ---------------------------------------------------------------- helpers

def clean_env(**extra):
    env = dict(os.environ)
    for k in ("RACEWATCH_OPTIONS", "LD_PRELOAD", "RACEWATCH_CC", "RACEWATCH_CC_VERBOSE",
              "RACEWATCH_CC_NESTED", "CC", "CFLAGS", "LDFLAGS", "MAKEFLAGS", "MFLAGS"):
        env.pop(k, None)
    # meson test points LD_LIBRARY_PATH at the build's runtime directory;
    # the tools and the programs must find the runtime without it.
    if LIB and env.get("LD_LIBRARY_PATH"):
        libdir = os.path.dirname(os.path.realpath(LIB))
        keep = [d for d in env["LD_LIBRARY_PATH"].split(":")
                if d and os.path.realpath(d) != libdir]
        if keep:
            env["LD_LIBRARY_PATH"] = ":".join(keep)
        else:
            del env["LD_LIBRARY_PATH"]
    env["TMPDIR"] = os.path.join(WORK, "tmp")
    env["LC_ALL"] = "C"
    env.update({k: v for k, v in extra.items() if v is not None})
    return env


def run(cmd, env=None, input=None, cwd=None, timeout=120, check_rc=None):
    p = subprocess.run(cmd, env=env or clean_env(), input=input, cwd=cwd or WORK,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    if check_rc is not None and p.returncode != check_rc:
        fail(f"{shlex.join(cmd)}: exit {p.returncode}, want {check_rc}\n"
             f"--- stdout:\n{p.stdout.decode(errors='replace')}\n"
             f"--- stderr:\n{p.stderr.decode(errors='replace')}")
    return p


def fail(msg):
    raise AssertionError(msg)


def expect(cond, msg):
    if not cond:
        fail(msg)


def one_line(p, what):
    err = p.stderr.decode(errors="replace")
    expect(err.endswith("\n") and err.count("\n") == 1,
           f"{what}: want exactly one line on stderr, got {err!r}")
    return err[:-1]


def write(name, text, mode=None):
    path = os.path.join(WORK, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    if mode is not None:
        os.chmod(path, mode)
    return path


def need(tool):
    path = shutil.which(tool)
    if path is None:
        raise Skip(f"{tool} not found")
    return path


def undefined_symbols(obj):
    out = run(["nm", "-u", obj], check_rc=0).stdout.decode()
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


def needed_libs(binary):
    out = run(["readelf", "-d", binary], check_rc=0).stdout.decode()
    libs = []
    for line in out.splitlines():
        if "(NEEDED)" in line:
            libs.append(line.split("[", 1)[1].rstrip("]"))
    return libs


def ldd_paths(binary):
    """{soname: resolved path} as the dynamic loader would load them."""
    out = run(["ldd", binary], check_rc=0).stdout.decode()
    res = {}
    for line in out.splitlines():
        parts = line.split()
        if "=>" in parts:
            i = parts.index("=>")
            res[parts[0]] = parts[i + 1] if i + 1 < len(parts) else ""
    return res


def check_instrumented_object(obj):
    syms = undefined_symbols(obj)
    tsan = sorted(s for s in syms if s.startswith("__tsan_"))
    expect("__tsan_init" in syms or "__tsan_func_entry" in syms,
           f"{obj}: no __tsan_ references, got {sorted(syms)}")
    return tsan


def check_linked(binary, lib_dir=None):
    """binary depends on libracewatch.so (resolved in lib_dir), not on libtsan."""
    libs = needed_libs(binary)
    expect("libracewatch.so" in libs, f"{binary}: NEEDED {libs} lacks libracewatch.so")
    expect(not any("tsan" in lib for lib in libs), f"{binary}: NEEDED {libs} has libtsan")
    paths = ldd_paths(binary)
    expect(not any("tsan" in k for k in paths), f"{binary}: ldd shows libtsan: {paths}")
    where = paths.get("libracewatch.so", "")
    expect(where and where != "not", f"{binary}: ldd cannot resolve libracewatch.so: {paths}")
    if lib_dir is not None:
        expect(os.path.dirname(os.path.realpath(where)) == os.path.realpath(lib_dir),
               f"{binary}: libracewatch.so resolves to {where}, want one in {lib_dir}")


def no_temp_leftovers():
    left = os.listdir(os.path.join(WORK, "tmp"))
    expect(not left, f"temporary files left behind in TMPDIR: {left}")


def runtime_dir():
    expect(LIB and os.path.exists(LIB), f"runtime library {LIB} not built")
    return os.path.dirname(os.path.realpath(LIB))


# ------------------------------------------------------- racewatch (the CLI)

def case_run_bad_option():
    marker = os.path.join(WORK, "started")
    prog = write("prog.sh", f"#!/bin/sh\ntouch {marker}\n", 0o755)
    for args, want in (
        (["--exitcode=x", prog], "racewatch: bad value 'x' for --exitcode (want an integer 0..255)"),
        (["--history-size", "9", prog], "racewatch: bad value '9' for --history-size"),
        (["--color=purple", prog], "racewatch: bad value 'purple' for --color"),
        (["--verbosity=-1", prog], "racewatch: bad value '-1' for --verbosity"),
        (["--halt-on-error=maybe", prog], "racewatch: bad value 'maybe' for --halt-on-error"),
        (["--log-path=/tmp/a b", prog], "racewatch: bad value '/tmp/a b' for --log-path"),
        (["--exitcode=1,verbosity=2", prog], "racewatch: bad value '1,verbosity=2' for --exitcode"),
        (["--bogus", prog], "racewatch: unknown option '--bogus'"),
        (["--exitcode"], "racewatch: option --exitcode needs a value"),
    ):
        p = run([RACEWATCH, "run"] + args)
        expect(p.returncode == 125, f"run {args}: exit {p.returncode}, want 125")
        line = one_line(p, f"run {args}")
        expect(line.startswith(want), f"run {args}: got {line!r}, want {want!r}...")
        expect(not os.path.exists(marker), f"run {args}: the program was started")
    # A bad inherited RACEWATCH_OPTIONS is caught before start too.
    p = run([RACEWATCH, "run", prog], env=clean_env(RACEWATCH_OPTIONS="frobnicate=1"))
    expect(p.returncode == 125, f"bad RACEWATCH_OPTIONS: exit {p.returncode}")
    expect(one_line(p, "bad RACEWATCH_OPTIONS")
           == "racewatch: RACEWATCH_OPTIONS: unknown option 'frobnicate'", p.stderr)
    expect(not os.path.exists(marker), "bad RACEWATCH_OPTIONS: the program was started")


def case_run_usage_errors():
    p = run([RACEWATCH, "frobnicate"])
    expect(p.returncode == 125, f"unknown subcommand: exit {p.returncode}")
    expect(one_line(p, "unknown subcommand").startswith("racewatch: unknown command 'frobnicate'"),
           p.stderr)
    for args in (["run"], ["run", "--halt-on-error"], ["run", "--"]):
        p = run([RACEWATCH] + args)
        expect(p.returncode == 125, f"{args}: exit {p.returncode}")
        expect(one_line(p, str(args)).startswith("racewatch: run: no program"), p.stderr)
    p = run([RACEWATCH])
    expect(p.returncode == 125 and b"usage" in p.stderr, "no arguments: want usage and exit 125")
    p = run([RACEWATCH, "help", "nonsense"])
    expect(p.returncode == 125, f"unknown help topic: exit {p.returncode}")


def case_run_own_errors():
    """racewatch's own errors are exit 125 (never the program's status or a
    deadlock's 2), one line, and the program does not start: malformed or
    missing suppression files, a missing --json-path directory, bad
    --baseline / --fail-on / --write-baseline, and a bad RACEWATCH_OPTIONS
    or suppression file met by the runtime itself, in a program built by
    racewatch-cc or with the runtime LD_PRELOADed by hand."""
    marker = os.path.join(WORK, "started")
    prog = write("prog.sh", f"#!/bin/sh\ntouch {marker}\n", 0o755)
    bad_supp = write("bad.supp", "# comment\nrace:worker\nnot a rule\n")
    bad_base = write("bad.baseline", "# ok\n0123456789abcdef\nrace:worker\n")
    for args, want in (
        ([f"--suppressions={bad_supp}", prog], f"racewatch: {bad_supp}:3: expected TYPE:PATTERN, got 'not a rule'"),
        ([f"--suppressions={WORK}/none.supp", prog], f"racewatch: {WORK}/none.supp: cannot read suppressions"),
        ([f"--json-path={WORK}/nodir/report", prog], f"racewatch: --json-path: directory {WORK}/nodir does not exist"),
        (["--baseline", bad_base, prog], f"racewatch: {bad_base}:3: expected a fingerprint (16 hex digits), got 'race:worker'"),
        (["--baseline", f"{WORK}/none.baseline", prog], f"racewatch: {WORK}/none.baseline: no such file or directory"),
        (["--fail-on=races", prog], "racewatch: bad value 'races' for --fail-on"),
        (["--write-baseline", f"{WORK}/nodir/b", prog], f"racewatch: --write-baseline: {WORK}/nodir: no such file"),
        (["--baseline=", prog], "racewatch: option --baseline needs a value"),
    ):
        p = run([RACEWATCH, "run"] + args)
        expect(p.returncode == 125, f"run {args}: exit {p.returncode}, want 125; {p.stderr!r}")
        line = one_line(p, f"run {args}")
        expect(line.startswith(want), f"run {args}: got {line!r}, want {want!r}...")
        expect(not os.path.exists(marker), f"run {args}: the program was started")
    # The runtime itself, without racewatch run.
    src = write("hello.c", HELLO_C)
    run([CC, "-g", src, "-o", "hello"], check_rc=0)
    for env, want in (({"RACEWATCH_OPTIONS": "frobnicate=1"}, "racewatch: RACEWATCH_OPTIONS: unknown option 'frobnicate'"),
                      ({"RACEWATCH_OPTIONS": "exitcode=x"}, "racewatch: RACEWATCH_OPTIONS: bad value 'x'"),
                      ({"RACEWATCH_OPTIONS": f"suppressions={bad_supp}"}, f"racewatch: {bad_supp}:3: ")):
        p = run(["./hello"], env=clean_env(**env))
        expect(p.returncode == 125 and p.stdout == b"", f"./hello with {env}: exit {p.returncode}, "
               f"stdout {p.stdout!r}")
        expect(one_line(p, str(env)).startswith(want), f"./hello with {env}: {p.stderr!r}")
        p = run([prog], env=clean_env(LD_PRELOAD=os.path.realpath(LIB), **env))
        expect(p.returncode == 125 and not os.path.exists(marker),
               f"LD_PRELOAD with {env}: exit {p.returncode} {p.stderr!r}")
    # racewatch merge's errors too.
    p = run([RACEWATCH, "merge", "--bogus", WORK])
    expect(p.returncode == 125, f"merge --bogus: exit {p.returncode}")


RACE_EXIT_C = r"""
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
int counter, other;
static void *worker(void *arg) { (void)arg; counter++; return NULL; }
static void *worker2(void *arg) { (void)arg; other++; return NULL; }
static void race(void *(*fn)(void *)) {
    pthread_t a, b;
    pthread_create(&a, NULL, fn, NULL);
    pthread_create(&b, NULL, fn, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
}
/* argv[1]: "race" (on counter), "both" (counter and other), "child" (a
 * forked child races on other; the parent is clean); argv[2]: exit status. */
int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "race";
    if (what[0] == 'c') {
        pid_t pid = fork();
        if (pid == 0) {
            race(worker2);
            return 0;
        }
        waitpid(pid, NULL, 0);
    } else {
        race(worker);
        if (what[0] == 'b')
            race(worker2);
    }
    printf("done\n");
    return argc > 2 ? atoi(argv[2]) : 0;
}
"""


def case_run_baseline():
    """racewatch run --write-baseline / --baseline / --fail-on: known
    reports are printed but do not fail (the program's own status), new
    ones do, in the program and in its children."""
    src = write("race.c", RACE_EXIT_C)
    run([CC, "-g", "-O1", "-pthread", src, "-o", "race"], check_rc=0)
    base = os.path.join(WORK, "race.baseline")
    rw = lambda *a, **kw: run([RACEWATCH, "run", "--color=never"] + list(a), **kw)

    p = rw("--write-baseline", base, "./race", check_rc=66)
    err = p.stderr.decode()
    expect("WARNING: DATA RACE" in err and f"racewatch: wrote 1 fingerprint(s) to {base}\nexit status 66\n" in err,
           f"--write-baseline: {err[-400:]}")
    with open(base) as f:
        fps = [l.split()[0] for l in f if l.strip() and not l.startswith("#")]
    expect(len(fps) == 1, f"baseline {fps}")

    # Known: printed, not failing; the program's own status.
    p = rw("--baseline", base, "./race", check_rc=0)
    err = p.stderr.decode()
    expect("WARNING: DATA RACE" in err and "Found 1 data race(s)" in err, f"known race not printed: {err}")
    expect(f"racewatch: known (in baseline): {fps[0]} WARNING: DATA RACE at worker() race.c:" in err,
           f"known line: {err[-500:]}")
    expect(err.endswith("racewatch: 1 distinct report(s): 0 new, 1 known (in baseline); "
                        "PASS: no new report of the kinds in --fail-on (all)\n"), f"verdict: {err[-300:]}")
    expect(p.stdout == b"done\n", f"stdout {p.stdout!r}")
    p = rw("--baseline", base, "./race", "race", "5", check_rc=5)
    expect(p.stderr.decode().endswith("PASS: no new report of the kinds in --fail-on (all)\nexit status 5\n"),
           f"program's own failure: {p.stderr[-300:]!r}")

    # A new report fails, with --exitcode's status; the known one is listed.
    p = rw("--baseline", base, "--exitcode=7", "./race", "both", check_rc=7)
    err = p.stderr.decode()
    expect(err.count("==================\nWARNING: DATA RACE") == 2 and "racewatch: new: " in err and "known (in baseline)" in err
           and "1 new, 1 known (in baseline); FAIL: 1 new report(s)" in err and err.endswith("exit status 7\n"),
           f"new report: {err[-600:]}")
    # --fail-on: kinds that do not fail; an empty baseline knows nothing.
    rw("--fail-on=deadlock,misuse", "./race", check_rc=0)
    rw("--fail-on", "none", "./race", "both", check_rc=0)
    rw("--fail-on", "data_race", "./race", check_rc=66)
    empty = write("empty.baseline", "")
    rw("--baseline", empty, "./race", check_rc=66)

    # Children: a forked child's new race fails the run even though the
    # parent exits 0; baselined, it does not.
    p = rw("--baseline", base, "./race", "child", check_rc=66)
    expect("racewatch: new: " in p.stderr.decode(), f"child's race: {p.stderr[-400:]!r}")
    base2 = os.path.join(WORK, "both.baseline")
    rw("--write-baseline", base2, "./race", "child", check_rc=0)
    rw("--baseline", base2, "./race", "child", check_rc=0)

    # --json-path still gets every record; the private copy is removed.
    os.makedirs(os.path.join(WORK, "rw"))
    rw("--baseline", base, f"--json-path={WORK}/rw/report", "./race", check_rc=0)
    files = os.listdir(os.path.join(WORK, "rw"))
    expect(len(files) == 1, f"--json-path files {files}")
    expect(not [f for f in os.listdir(os.path.join(WORK, "tmp")) if f.startswith("racewatch-run.")],
           f"private records left in TMPDIR: {os.listdir(os.path.join(WORK, 'tmp'))}")
    p = run([RACEWATCH, "run", "--help"], check_rc=0)
    for word in (b"--baseline=FILE", b"--write-baseline=FILE", b"--fail-on=KINDS", b"125"):
        expect(word in p.stdout, f"run --help lacks {word!r}")


def case_run_missing_program():
    p = run([RACEWATCH, "run", os.path.join(WORK, "no-such-prog"), "x"])
    expect(p.returncode == 127, f"exit {p.returncode}, want 127")
    expect(one_line(p, "missing program")
           == f"racewatch: {os.path.join(WORK, 'no-such-prog')}: no such file or directory",
           p.stderr)
    p = run([RACEWATCH, "run", "racewatch-no-such-command-xyz"])
    expect(p.returncode == 127, f"PATH lookup: exit {p.returncode}, want 127")
    expect(one_line(p, "PATH lookup") == "racewatch: racewatch-no-such-command-xyz: "
           "executable file not found in $PATH", p.stderr)


def case_run_not_executable():
    prog = write("data.txt", "just text\n", 0o644)
    p = run([RACEWATCH, "run", prog])
    expect(p.returncode == 126, f"exit {p.returncode}, want 126")
    expect(one_line(p, "not executable") == f"racewatch: {prog}: permission denied", p.stderr)
    p = run([RACEWATCH, "run", WORK])
    expect(p.returncode == 126, f"directory: exit {p.returncode}, want 126")
    one_line(p, "directory")


def case_run_start_like_execvp():
    """racewatch run starts the program as execvp would: a script without #! runs
    under /bin/sh, and the program's ignored and blocked signals are the ones a
    plain exec gives (glibc's posix_spawn would leave its two internal signals
    ignored, 32 and 33: SigIgn 0000000180000000)."""
    script = write("no_shebang", "echo script-ran \"$@\"\nexit 4\n", 0o755)
    p = run([RACEWATCH, "run", script, "a", "b c"])
    expect(p.returncode == 4 and p.stdout == b"script-ran a b c\n",
           f"script without #!: exit {p.returncode} stdout {p.stdout!r} stderr {p.stderr!r}")

    def signal_lines(cmd, ignore_int):
        def dispositions():
            signal.signal(signal.SIGINT, signal.SIG_IGN if ignore_int else signal.SIG_DFL)
        out = subprocess.run(cmd + ["/bin/cat", "/proc/self/status"], env=clean_env(), cwd=WORK,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60,
                             preexec_fn=dispositions).stdout.decode()
        return [l for l in out.splitlines() if l.startswith(("SigIgn:", "SigBlk:"))]
    for ignore_int in (False, True):
        plain = signal_lines([], ignore_int)
        watched = signal_lines([RACEWATCH, "run"], ignore_int)
        expect(len(plain) == 2 and watched == plain,
               f"SIGINT ignored={ignore_int}: under racewatch {watched}, plainly {plain}")


def case_run_exit_status():
    p = run([RACEWATCH, "run", "/bin/sh", "-c", "echo out; echo err >&2; exit 3"])
    expect(p.returncode == 3, f"exit {p.returncode}, want 3")
    expect(p.stdout == b"out\n", f"stdout {p.stdout!r}")
    expect(p.stderr.decode().endswith("err\nexit status 3\n"), f"stderr {p.stderr!r}")
    p = run([RACEWATCH, "run", "/bin/sh", "-c", "exit 0"])
    expect(p.returncode == 0 and p.stderr == b"", f"exit 0: rc {p.returncode}, stderr {p.stderr!r}")
    p = run([RACEWATCH, "run", "--", "/bin/sh", "-c", "exit 255"])
    expect(p.returncode == 255 and p.stderr == b"exit status 255\n", f"{p.returncode} {p.stderr!r}")


def case_run_signal():
    for sig, text in ((signal.SIGKILL, "killed"), (signal.SIGSEGV, "segmentation fault"),
                      (signal.SIGTERM, "terminated")):
        p = run([RACEWATCH, "run", "/bin/sh", "-c", f"kill -{int(sig)} $$"])
        expect(p.returncode == 128 + sig, f"{text}: exit {p.returncode}, want {128 + sig}")
        line = one_line(p, text)
        expect(line in (f"signal: {text}", f"signal: {text} (core dumped)"),
               f"got {line!r}, want 'signal: {text}'")


def case_run_passthrough():
    data = bytes(range(256)) * 64 + b"no newline at the end"
    path = os.path.join(WORK, "blob")
    with open(path, "wb") as f:
        f.write(data)
    p = run([RACEWATCH, "run", "cat", path], check_rc=0)
    expect(p.stdout == data, "stdout not byte-exact")
    expect(p.stderr == b"", f"stderr {p.stderr!r}")
    p = run([RACEWATCH, "run", "cat"], input=data, check_rc=0)
    expect(p.stdout == data, "stdin -> stdout not byte-exact")
    p = run([RACEWATCH, "run", "/bin/sh", "-c", "cat >&2", "arg0"], input=data, check_rc=0)
    expect(p.stderr == data and p.stdout == b"", "stderr not byte-exact")
    # Arguments reach the program unchanged, options after PROG are its own.
    p = run([RACEWATCH, "run", "printf", "[%s]", "a b", "--exitcode=x", "", "--"], check_rc=0)
    expect(p.stdout == b"[a b][--exitcode=x][][--]", f"argv: {p.stdout!r}")


def case_run_environment():
    lib = os.path.realpath(LIB)
    p = run([RACEWATCH, "run", "--halt-on-error", "--exitcode", "7", "--color=never",
             "--history-size=3", "--verbosity=0", "--log-path=stderr", "env"], check_rc=0)
    env = dict(l.split("=", 1) for l in p.stdout.decode().splitlines() if "=" in l)
    expect(env.get("LD_PRELOAD") == lib, f"LD_PRELOAD={env.get('LD_PRELOAD')!r}, want {lib}")
    expect(env.get("RACEWATCH_OPTIONS") == "halt_on_error=1 exitcode=7 color=never "
           "history_size=3 verbosity=0 log_path=stderr", f"RACEWATCH_OPTIONS={env.get('RACEWATCH_OPTIONS')!r}")
    # Inherited values are kept: ours first in LD_PRELOAD, last in RACEWATCH_OPTIONS.
    p = run([RACEWATCH, "run", "-exitcode=5", "env"], check_rc=0,
            env=clean_env(RACEWATCH_OPTIONS="verbosity=1", LD_PRELOAD="libm.so.6"))
    env = dict(l.split("=", 1) for l in p.stdout.decode().splitlines() if "=" in l)
    expect(env.get("LD_PRELOAD") == lib + ":libm.so.6", f"LD_PRELOAD={env.get('LD_PRELOAD')!r}")
    expect(env.get("RACEWATCH_OPTIONS") == "verbosity=1 exitcode=5",
           f"RACEWATCH_OPTIONS={env.get('RACEWATCH_OPTIONS')!r}")
    # No CLI options: RACEWATCH_OPTIONS untouched (absent stays absent).
    p = run([RACEWATCH, "run", "env"], check_rc=0)
    expect(b"RACEWATCH_OPTIONS=" not in p.stdout, "RACEWATCH_OPTIONS set without options")


def case_run_signals_forwarded():
    """SIGTERM to racewatch reaches the program; SIGINT to racewatch alone does not kill it."""
    ready = os.path.join(WORK, "ready")
    script = write("trap.sh", f"""#!/bin/sh
trap 'echo got-term; exit 7' TERM
trap 'echo got-hup; exit 8' HUP
touch {ready}
i=0
while [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
echo timeout
exit 1
""", 0o755)

    # The dispositions racewatch starts with are set here, not inherited:
    # run under nohup (SIGHUP ignored), racewatch stays deaf to SIGHUP by
    # design and the shell cannot trap a signal ignored on entry, so the
    # SIGHUP case printed "timeout" whenever the suite itself was started
    # with SIGHUP ignored (a `nohup meson test` in the background).
    def start(hup=signal.SIG_DFL):
        if os.path.exists(ready):
            os.unlink(ready)

        def dispositions():
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGHUP, hup)
        p = subprocess.Popen([RACEWATCH, "run", script], env=clean_env(), cwd=WORK,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=dispositions)
        for _ in range(300):
            if os.path.exists(ready):
                return p
            time.sleep(0.05)
        p.kill()
        fail("the program did not start")

    for sig, word, code in ((signal.SIGTERM, b"got-term", 7), (signal.SIGHUP, b"got-hup", 8)):
        p = start()
        p.send_signal(sig)
        out, err = p.communicate(timeout=60)
        expect(p.returncode == code and word in out,
               f"{sig.name}: exit {p.returncode} stdout {out!r} stderr {err!r}")
        expect(err.endswith(f"exit status {code}\n".encode()), f"{sig.name}: stderr {err!r}")

    p = start()
    p.send_signal(signal.SIGINT)            # to racewatch only: it must survive
    time.sleep(0.3)
    expect(p.poll() is None, "racewatch died of SIGINT sent to it alone")
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=60)
    expect(p.returncode == 7, f"after SIGINT: exit {p.returncode} {out!r} {err!r}")

    p = start(hup=signal.SIG_IGN)           # under nohup: SIGHUP is not passed on
    p.send_signal(signal.SIGHUP)
    time.sleep(0.3)
    expect(p.poll() is None, "racewatch under nohup died of SIGHUP")
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=60)
    expect(p.returncode == 7 and b"got-hup" not in out,
           f"under nohup, SIGHUP: exit {p.returncode} {out!r} {err!r}")


def case_run_help():
    p = run([RACEWATCH, "run", "--help"], check_rc=0)
    text = p.stdout.decode()
    for opt, key in (("--log-path", "log_path"), ("--exitcode", "exitcode"),
                     ("--halt-on-error", "halt_on_error"), ("--history-size", "history_size"),
                     ("--color", "color"), ("--verbosity", "verbosity")):
        expect(opt in text and f"[{key}]" in text, f"run --help lacks {opt} [{key}]")
    for word in ("RACEWATCH_OPTIONS", "66", "126", "127", "exit status", "signal: killed"):
        expect(word in text, f"run --help lacks {word!r}")
    for args in (["--help"], ["help"], ["help", "run"], ["help", "cc"], ["-h"]):
        p = run([RACEWATCH] + args, check_rc=0)
        expect(b"usage" in p.stdout, f"{args}: no usage text")
    p = run([RACEWATCH, "--version"], check_rc=0)
    lines = p.stdout.decode().splitlines()
    expect(lines[0].startswith("racewatch version "), f"--version: {lines}")
    expect(lines[1] == "runtime: " + os.path.realpath(LIB), f"--version: {lines}")


def case_run_race_report():
    """A program built with racewatch-cc, run under racewatch run: 66 and Go's shape."""
    src = write("race.c", RACE_C)
    run([CC, "-g", "-O1", "-pthread", src, "-o", "race"], check_rc=0)
    p = run([RACEWATCH, "run", "./race"])
    err = p.stderr.decode(errors="replace")
    expect(p.returncode == 66, f"exit {p.returncode}, want 66; stderr:\n{err}")
    expect("WARNING: DATA RACE" in err, f"no race report:\n{err}")
    expect(err.endswith("exit status 66\n"), f"stderr does not end with exit status 66:\n{err}")
    expect(p.stdout == b"counter=2\n", f"stdout {p.stdout!r}")
    p = run([RACEWATCH, "run", "--exitcode=3", "./race"])
    expect(p.returncode == 3, f"--exitcode=3: exit {p.returncode}")
    log = os.path.join(WORK, "report")
    p = run([RACEWATCH, "run", f"--log-path={log}", "./race"])
    err = p.stderr.decode(errors="replace")
    expect("WARNING: DATA RACE" not in err, f"--log-path: report still on stderr:\n{err}")
    logs = [f for f in os.listdir(WORK) if f.startswith("report.")]
    expect(logs, "--log-path: no report.<pid> file")
    with open(os.path.join(WORK, logs[0])) as f:
        expect("WARNING: DATA RACE" in f.read(), "--log-path: file has no report")


# The first reports of a process, two at once, one of them from a
# library's constructor inside dlopen (the loader's lock held): thread 2
# writes `shared_value`, says so through a relaxed flag and writes
# `other_value`, which main wrote with no order to it; the constructor
# of the library main dlopens waits for the flag and writes
# `shared_value` too.  libdw is opened on first need, never under a lock
# of ours (runtime/symbolize.c): both reports come out, symbolized.  The
# twin orders everything with release/acquire and is silent.
CTOR_MAIN_C = r"""
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
int shared_value, other_value;
atomic_int gate, thread_wrote;
static void *second(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&gate, ORDER))
        ;
    shared_value = 2;                               /* thread_shared */
    atomic_store_explicit(&thread_wrote, 1, ORDER);
    other_value = 2;                                /* thread_other */
    return NULL;
}
int main(int argc, char **argv)
{
    pthread_t t;
    if (argc < 2 || pthread_create(&t, NULL, second, NULL) != 0)
        return 2;
    other_value = 1;                                /* main_other */
    atomic_store_explicit(&gate, 1, ORDER);
    void *h = dlopen(argv[1], RTLD_NOW);
    pthread_join(t, NULL);
    printf("%s %d %d\n", h ? "loaded" : dlerror(), shared_value, other_value);
    return 0;
}
"""
CTOR_LIB_C = r"""
#include <stdatomic.h>
extern int shared_value;
extern atomic_int thread_wrote;
__attribute__((constructor)) static void lib_init(void)
{
    while (!atomic_load_explicit(&thread_wrote, ORDER))
        ;
    shared_value = 3;                               /* ctor_shared */
}
"""


def case_run_report_in_constructor():
    main_src = write("ctor_main.c", CTOR_MAIN_C)
    lib_src = write("ctor_lib.c", CTOR_LIB_C)
    for order, racy in (("memory_order_relaxed", True), ("memory_order_seq_cst", False)):
        d = f"-DORDER={order}"
        run([CC, "-g", "-O1", "-pthread", "-rdynamic", d, main_src, "-ldl", "-o", "ctor_main"],
            check_rc=0)
        run([CC, "-g", "-O1", "-fPIC", "-shared", d, lib_src, "-o", "libctor.so"], check_rc=0)
        for _ in range(5):
            p = run(["./ctor_main", os.path.join(WORK, "libctor.so")], timeout=60)
            err = p.stderr.decode(errors="replace")
            expect(p.stdout == b"loaded 3 2\n", f"{order}: stdout {p.stdout!r}\n{err}")
            if not racy:
                expect(p.returncode == 0 and err == "", f"{order}: exit {p.returncode}:\n{err}")
                continue
            expect(p.returncode == 66, f"{order}: exit {p.returncode}, want 66:\n{err}")
            expect(err.count("WARNING: DATA RACE") == 2 and "Found 2 data race(s)" in err,
                   f"{order}: want two reports:\n{err}")
            blocks = err.split("==================\n")
            ctor = [b for b in blocks if "'shared_value'" in b]
            other = [b for b in blocks if "'other_value'" in b]
            expect(len(ctor) == 1 and len(other) == 1, f"{order}: the two globals:\n{err}")
            for block, frames in ((ctor[0], (("lib_init", "ctor_lib.c", "ctor_shared"),
                                             ("second", "ctor_main.c", "thread_shared"))),
                                  (other[0], (("second", "ctor_main.c", "thread_other"),
                                              ("main", "ctor_main.c", "main_other")))):
                for fn, base, marker in frames:
                    src = CTOR_LIB_C if base == "ctor_lib.c" else CTOR_MAIN_C
                    lines = src.split("\n")  # as written: src's first line is empty
                    line = next(i for i, l in enumerate(lines, 1) if f"/* {marker} */" in l)
                    expect(f"  {fn}()\n      {os.path.join(WORK, base)}:{line} " in block,
                           f"{order}: no {fn}() at {base}:{line} ({marker}):\n{block}")


# One thread writes bytes 0, 2, 4 and 6 of a word (four cells, no two of
# them neighbours that could merge), then reads byte 1: the word's shadow
# is full, and the read is recorded over the oldest of the four.  memset
# and memcpy with a size the compiler cannot see are calls, which both
# modes watch (the interceptors), so the same source evicts in both.
# A thread is created (and joined) first: while a program has had only
# one thread, the runtime's range checks store nothing (no race is
# possible yet), so there would be nothing to evict.
EVICT_C = r"""
#include <pthread.h>
#include <string.h>
static unsigned char word[8] __attribute__((aligned(8)));
static unsigned char out[8];
static volatile size_t one = 1;
static void *idle(void *arg) { return arg; }
int main(void) {
    pthread_t th;
    pthread_create(&th, 0, idle, 0);
    pthread_join(th, 0);
    memset(word + 0, 1, one);
    memset(word + 2, 1, one);
    memset(word + 4, 1, one);
    memset(word + 6, 1, one);
    memcpy(out, word + 1, one);
    return out[0];
}
"""

EVICTED_LINE = ("racewatch: cells evicted: earlier accesses overwritten because their 8-byte word's shadow "
                "was full; a race with one of them alone can go unreported (common when threads access many "
                "different bytes of one word, or with contended atomics). Nothing to tune: history_size does "
                "not change it; see docs/cli.md, \"Statistics\"\n")


def build_option(name, default):
    """A meson option of the build under test."""
    path = os.path.join(os.environ["RW_BUILD_ROOT"], "meson-info", "intro-buildoptions.json")
    with open(path) as f:
        for opt in json.load(f):
            if opt["name"] == name:
                return opt["value"]
    return default


def cells_per_granule():
    """The build's shadow layout: meson option cells_per_granule (4 or 2)."""
    return int(build_option("cells_per_granule", 4))


def shadow_planes():
    """The build's shadow layout: meson option shadow_planes."""
    return bool(build_option("shadow_planes", True))


def case_run_verbosity_stats():
    """--verbosity=1: the statistics line at exit, and when cells were
    evicted, a line saying what that means and what to do; in both modes
    (racewatch-cc, and a plain gcc binary under LD_PRELOAD)."""
    src = write("evict.c", EVICT_C)
    hello = write("hello.c", HELLO_C)
    run([CC, "-g", "-O1", src, "-o", "evict_cc"], check_rc=0)
    run([CC, "-g", "-O1", hello, "-o", "hello_cc"], check_rc=0)
    run([need("gcc"), "-g", "-O1", src, "-o", "evict_plain"], check_rc=0)
    run(["gcc", "-g", "-O1", hello, "-o", "hello_plain"], check_rc=0)
    stats = r"racewatch: 1 threads in 1 slots, \d+ MiB shadow mapped, (\d+) cells evicted\n"
    stats2 = stats.replace("1 threads in 1 slots", "2 threads in 2 slots")
    for mode in ("cc", "plain"):
        p = run([RACEWATCH, "run", "--verbosity=1", f"./evict_{mode}"], check_rc=0)
        err = p.stderr.decode(errors="replace")
        if cells_per_granule() == 4:
            m = re.fullmatch(stats2 + re.escape(EVICTED_LINE), err)
            expect(m and int(m.group(1)) >= 1, f"{mode}: evicting program, stderr:\n{err}")
        else:
            # With 2 cells a thread's own older accesses are never given
            # up (the fifth byte makes an extension): nothing evicted.
            m = re.fullmatch(stats2, err)
            expect(m and m.group(1) == "0", f"{mode}: 2 cells, want no eviction, stderr:\n{err}")
        p = run([RACEWATCH, "run", "--verbosity=1", f"./hello_{mode}"], check_rc=0)
        err = p.stderr.decode(errors="replace")
        m = re.fullmatch(stats, err)
        expect(m and m.group(1) == "0", f"{mode}: clean program, want the statistics line alone:\n{err}")
        # Without --verbosity, nothing.
        p = run([RACEWATCH, "run", f"./evict_{mode}"], check_rc=0)
        expect(p.stderr == b"", f"{mode}: verbosity 0 printed {p.stderr!r}")
    # The section the line points to exists and quotes it.
    with open(os.path.join(os.environ["RW_SOURCE_ROOT"], "docs", "cli.md")) as f:
        doc = f.read()
    expect("\n### Statistics\n" in doc, "docs/cli.md has no '### Statistics' section")
    expect(EVICTED_LINE.rstrip("\n") in doc, "docs/cli.md, Statistics: does not quote the evicted-cells line")


def case_run_memory_dump():
    """RACEWATCH_MEMORY_DUMP: one line of where the memory is at exit, on
    stderr or in <path>.<pid>; the shadow of a written 8 MiB array is
    counted as shadow (8 bytes per 8 with shadow planes: one thread's
    writes use plane 0 only; 32 without), and without the variable,
    nothing."""
    src = write("big.c", BIG_ARRAY_C)
    run([CC, "-g", "-O1", src, "-o", "big_cc"], check_rc=0)
    line = (r"racewatch memory \(KiB\): peak (\d+) at-exit (\d+) shadow (\d+) traces (\d+)"
            r" depot (\d+) other-maps (\d+) ext-records (\d+) other-anon (-?\d+) files (\d+)"
            r" regions (\d+)\n")
    p = run(["./big_cc"], check_rc=0, env=clean_env(RACEWATCH_MEMORY_DUMP="stderr"))
    err = p.stderr.decode(errors="replace")
    m = re.fullmatch(line, err)
    expect(m, f"stderr:\n{err}")
    kib = [int(x) for x in m.groups()]
    # 8 bytes of shadow per cell and granule: 32 MiB (4 cells), 16 (2);
    # with planes, only plane 0's pages: 8 MiB.
    lo = 8 * (1 if shadow_planes() else cells_per_granule())
    expect(lo * 1024 <= kib[2] <= (lo + 2) * 1024, f"shadow {kib[2]} KiB, want {lo}-{lo + 2} MiB")
    expect(kib[0] >= kib[2] + 8 * 1024, f"peak {kib[0]} KiB below shadow + array")
    p = run(["./big_cc"], check_rc=0, env=clean_env(RACEWATCH_MEMORY_DUMP=os.path.join(WORK, "mem")))
    expect(p.stderr == b"", f"stderr {p.stderr!r}")
    dumps = [f for f in os.listdir(WORK) if f.startswith("mem.")]
    expect(len(dumps) == 1, f"dump files {dumps}")
    with open(os.path.join(WORK, dumps[0])) as f:
        expect(re.fullmatch(line, f.read()), "dump file")
    p = run(["./big_cc"], check_rc=0)
    expect(p.stderr == b"", f"without the variable: stderr {p.stderr!r}")


# ------------------------------------------------------- racewatch-cc

def case_cc_compile_then_link():
    src = write("hello.c", HELLO_C)
    run([CC, "-g", "-O1", "-c", src, "-o", "hello.o"], check_rc=0)
    check_instrumented_object(os.path.join(WORK, "hello.o"))
    run([CC, "hello.o", "-o", "hello", "-fsanitize=thread"], check_rc=0)   # must be stripped
    check_linked(os.path.join(WORK, "hello"), runtime_dir())
    p = run(["./hello"], check_rc=0)
    expect(p.stdout == b"hello 1\n", f"stdout {p.stdout!r}")
    # "racewatch cc" is the same wrapper.
    run([RACEWATCH, "cc", "-O1", "-c", src, "-o", "hello2.o"], check_rc=0)
    check_instrumented_object(os.path.join(WORK, "hello2.o"))
    run([RACEWATCH, "cc", "hello2.o", "-o", "hello2"], check_rc=0)
    check_linked(os.path.join(WORK, "hello2"), runtime_dir())


def case_cc_one_step():
    write("a.c", "int helper(void);\nint g;\nint main(void) { g = helper(); return g - 42; }\n")
    write("b.c", "#include \"b.h\"\nint helper(void) { return B_VALUE; }\n")
    write("inc/b.h", "#define B_VALUE 42\n")
    write("c.c", "int unused_c(int *p) { return *p; }\n")
    run([CC, "-O1", "-c", "c.c", "-o", "c.o"], check_rc=0)
    os.makedirs(os.path.join(WORK, "out"))
    run([CC, "-O1", "-Iinc", "-MD", "-Wall", "-Werror", "a.c", "b.c", "c.o",
         "-o", "out/prog", "-lm"], check_rc=0)
    check_linked(os.path.join(WORK, "out/prog"), runtime_dir())
    run(["./out/prog"], check_rc=0)
    with open(os.path.join(WORK, "out/prog.d")) as f:
        dep = f.read()
    expect(dep.startswith("out/prog:") and "b.c" in dep, f"out/prog.d: {dep!r}")
    expect(not any(f.endswith(".o") for f in os.listdir(WORK) if f != "c.o"),
           f"objects left in the working directory: {os.listdir(WORK)}")
    no_temp_leftovers()
    # A failing compile gives the compiler's status and leaves nothing behind.
    write("bad.c", "int main(void) { return undeclared; }\n")
    p = run([CC, "bad.c", "-o", "bad"])
    expect(p.returncode == 1 and b"undeclared" in p.stderr, f"bad.c: {p.returncode} {p.stderr!r}")
    expect(not os.path.exists(os.path.join(WORK, "bad")), "bad: output exists")
    no_temp_leftovers()


def case_cc_memcpy_visible():
    """Fixed-size memcpy/memset stay calls (the interceptors see them)."""
    write("m.c", "#include <string.h>\nstruct s { long a[4]; };\n"
                 "void cp(struct s *d, const struct s *x) { memcpy(d, x, sizeof *d); }\n"
                 "void z(struct s *d) { memset(d, 0, sizeof *d); }\n")
    run([CC, "-O2", "-c", "m.c", "-o", "m.o"], check_rc=0)
    syms = undefined_symbols(os.path.join(WORK, "m.o"))
    expect({"memcpy", "memset"} <= syms or {"__tsan_memcpy", "__tsan_memset"} <= syms,
           f"memcpy/memset were inlined: undefined symbols {sorted(syms)}")


def case_cc_shared():
    write("lib.c", "int shared_counter;\nint lib_bump(void) { return ++shared_counter; }\n")
    write("main.c", "int lib_bump(void);\nint main(void) { return lib_bump() == 1 ? 0 : 1; }\n")
    run([CC, "-fPIC", "-shared", "-O1", "lib.c", "-o", "libbump.so"], check_rc=0)
    check_linked(os.path.join(WORK, "libbump.so"), runtime_dir())
    run([CC, "-O1", "main.c", "-L.", "-lbump", "-Wl,-rpath,$ORIGIN", "-o", "main"], check_rc=0)
    check_linked(os.path.join(WORK, "main"), runtime_dir())
    run(["./main"], check_rc=0)
    # Two steps, with -fsanitize=thread given by the user on the link.
    run([CC, "-fPIC", "-c", "lib.c", "-o", "lib.o"], check_rc=0)
    check_instrumented_object(os.path.join(WORK, "lib.o"))
    run([CC, "-shared", "-fsanitize=thread", "lib.o", "-o", "libbump2.so"], check_rc=0)
    check_linked(os.path.join(WORK, "libbump2.so"), runtime_dir())


def case_cc_stdin():
    p = run([CC, "-x", "c", "-", "-o", "from_stdin"], input=HELLO_C.encode(), check_rc=0)
    check_linked(os.path.join(WORK, "from_stdin"), runtime_dir())
    p = run(["./from_stdin"], check_rc=0)
    expect(p.stdout == b"hello 1\n", f"stdout {p.stdout!r}")
    run([CC, "-x", "c", "-c", "-", "-o", "stdin.o"], input=HELLO_C.encode(), check_rc=0)
    check_instrumented_object(os.path.join(WORK, "stdin.o"))
    no_temp_leftovers()


def case_cc_passthrough():
    cc = need("cc")
    for args in (["--version"], ["-dumpversion"], ["-dumpmachine"],
                 ["-print-file-name=libc.so"], ["-print-search-dirs"]):
        want = run([cc] + args)
        got = run([CC] + args)
        expect((got.returncode, got.stdout) == (want.returncode, want.stdout),
               f"{args}: racewatch-cc differs from cc: {got.stdout!r} vs {want.stdout!r}")
    p = run([CC, "-E", "-dM", "-x", "c", "/dev/null"], check_rc=0)
    expect(b"__SANITIZE_THREAD__" in p.stdout or b"__has_feature" in p.stdout
           or b"__clang__" in p.stdout, "-E does not see -fsanitize=thread")


def case_cc_clang():
    need("clang")
    env = clean_env(RACEWATCH_CC="clang")
    src = write("race.c", RACE_C)
    run([CC, "-g", "-O1", "-c", src, "-o", "race.o"], env=env, check_rc=0)
    check_instrumented_object(os.path.join(WORK, "race.o"))
    run([CC, "race.o", "-pthread", "-o", "race"], env=env, check_rc=0)
    check_linked(os.path.join(WORK, "race"), runtime_dir())
    run([CC, "-g", "-O1", "-pthread", "-Werror", src, "-o", "race1"], env=env, check_rc=0)
    check_linked(os.path.join(WORK, "race1"), runtime_dir())
    run([CC, "--cc=clang", "-fPIC", "-shared", "-Wall", "-Werror", "-fsanitize=thread",
         src, "-o", "librace.so"], check_rc=0)
    check_linked(os.path.join(WORK, "librace.so"), runtime_dir())
    p = run(["./race1"])
    expect(p.returncode == 66 and b"WARNING: DATA RACE" in p.stderr,
           f"clang-built race: exit {p.returncode}, stderr {p.stderr[-2000:]!r}")
    # Plain assembly gets no -f flags: clang -Werror would call them unused.
    write("f.s", ".text\n.globl f\nf: ret\n.section .note.GNU-stack,\"\",@progbits\n")
    run([CC, "-Werror", "-c", "f.s", "-o", "f.o"], env=env, check_rc=0)
    run([CC, "-Werror", "f.s", src, "-pthread", "-o", "race2"], env=env, check_rc=0)


def case_cc_gcc_lto():
    need("gcc")
    env = clean_env(RACEWATCH_CC="gcc")
    src = write("race.c", RACE_C)
    run([CC, "-O2", "-flto", "-pthread", src, "-o", "race"], env=env, check_rc=0)
    check_linked(os.path.join(WORK, "race"), runtime_dir())
    dis = run(["objdump", "-d", "race"], check_rc=0).stdout.decode()
    expect("__tsan_" in dis, "gcc -flto build has no __tsan_ calls")
    no_temp_leftovers()


def case_cc_errors():
    write("x.c", HELLO_C)
    p = run([CC, "-static", "x.c", "-o", "x"])
    expect(p.returncode == 125, f"-static: exit {p.returncode}")
    expect("-static is not supported" in one_line(p, "-static"), p.stderr)
    # The wrapper as its own underlying compiler: an error, not a fork bomb.
    p = run([CC, "-c", "x.c"], env=clean_env(RACEWATCH_CC=CC))
    expect(p.returncode == 125 and b"racewatch-cc itself" in p.stderr, f"nested: {p.stderr!r}")
    p = run([CC, "--cc=/no/such/compiler", "-c", "x.c"])
    expect(p.returncode == 127, f"missing compiler: exit {p.returncode}")
    expect(one_line(p, "missing compiler") ==
           "racewatch-cc: /no/such/compiler: no such file or directory", p.stderr)
    # A copy of the tools with no runtime next to it.
    lone = os.path.join(WORK, "lone", "bin")
    os.makedirs(lone)
    shutil.copy(CC, os.path.join(lone, "racewatch-cc"))
    shutil.copy(RACEWATCH, os.path.join(lone, "racewatch"))
    run([os.path.join(lone, "racewatch-cc"), "-c", "x.c", "-o", "x.o"], check_rc=0)
    p = run([os.path.join(lone, "racewatch-cc"), "x.o", "-o", "x"])
    expect(p.returncode == 125, f"no runtime: exit {p.returncode}")
    expect(one_line(p, "no runtime") == "racewatch-cc: cannot find libracewatch.so next to "
           + os.path.realpath(os.path.join(lone, "racewatch-cc")), p.stderr)
    p = run([os.path.join(lone, "racewatch"), "run", "/bin/true"])
    expect(p.returncode == 125, f"racewatch run, no runtime: exit {p.returncode}")
    expect(one_line(p, "no runtime") == "racewatch: cannot find libracewatch.so next to "
           + os.path.realpath(os.path.join(lone, "racewatch")), p.stderr)


def case_cc_response_file():
    write("r dir/hello.c", HELLO_C)
    write("args.rsp", "-O1 '-DGREETING=\"hi there\"'\n\"r dir/hello.c\" -o rsp_hello\n")
    run([CC, "@args.rsp"], check_rc=0)
    check_linked(os.path.join(WORK, "rsp_hello"), runtime_dir())
    run(["./rsp_hello"], check_rc=0)


def case_cc_make():
    make = need("make")
    write("Makefile", "prog: main.o util.o\n\t$(CC) $(LDFLAGS) -o $@ $^ -pthread\n"
                      "%.o: %.c\n\t$(CC) $(CFLAGS) -c -o $@ $<\n")
    write("main.c", "int util(void);\nint main(void) { return util(); }\n")
    write("util.c", "int u;\nint util(void) { return u; }\n")
    run([make, f"CC={CC}", "CFLAGS=-O1 -g"], check_rc=0)
    check_instrumented_object(os.path.join(WORK, "util.o"))
    check_linked(os.path.join(WORK, "prog"), runtime_dir())
    run(["./prog"], check_rc=0)


def meson_command():
    intro = os.environ.get("MESONINTROSPECT")
    if intro:
        words = shlex.split(intro)
        if words and words[-1] == "introspect":
            return words[:-1]
    return [need("meson")]


def case_cc_meson():
    need("ninja")
    write("proj/meson.build", "project('tiny', 'c')\n"
          "lib = shared_library('tl', 'lib.c')\n"
          "executable('hello', 'main.c', link_with: lib, dependencies: dependency('threads'))\n")
    write("proj/lib.c", "int tl_value;\nint tl_get(void) { return tl_value; }\n")
    write("proj/main.c", "int tl_get(void);\nint main(void) { return tl_get(); }\n")
    env = clean_env(CC=CC)
    for k in [k for k in env if k.startswith("MESON")]:
        del env[k]
    p = run(meson_command() + ["setup", "b"], env=env, cwd=os.path.join(WORK, "proj"), timeout=300)
    expect(p.returncode == 0, f"meson setup failed:\n{p.stdout.decode()}\n{p.stderr.decode()}")
    expect(CC.encode() in p.stdout, "meson did not pick racewatch-cc as the C compiler")
    run(["ninja", "-C", "b"], env=env, cwd=os.path.join(WORK, "proj"), check_rc=0, timeout=300)
    check_linked(os.path.join(WORK, "proj/b/hello"), runtime_dir())
    check_linked(os.path.join(WORK, "proj/b/libtl.so"), runtime_dir())
    run([os.path.join(WORK, "proj/b/hello")], check_rc=0)


def case_cc_cmake():
    cmake = shutil.which("cmake")
    if cmake is None:
        raise Skip("cmake not found")
    write("proj/CMakeLists.txt", "cmake_minimum_required(VERSION 3.10)\nproject(tiny C)\n"
          "add_library(tl SHARED lib.c)\nadd_executable(hello main.c)\n"
          "target_link_libraries(hello tl)\n")
    write("proj/lib.c", "int tl_value;\nint tl_get(void) { return tl_value; }\n")
    write("proj/main.c", "int tl_get(void);\nint main(void) { return tl_get(); }\n")
    env = clean_env(CC=CC)
    p = run([cmake, "-S", "proj", "-B", "proj/b"], env=env, timeout=300)
    expect(p.returncode == 0, f"cmake configure failed:\n{p.stdout.decode()}\n{p.stderr.decode()}")
    run([cmake, "--build", "proj/b"], env=env, check_rc=0, timeout=300)
    check_linked(os.path.join(WORK, "proj/b/hello"), runtime_dir())
    run([os.path.join(WORK, "proj/b/hello")], check_rc=0)


def case_install_relocatable():
    """meson install --destdir, then the installed tools find the installed runtime,
    also after the whole tree is moved elsewhere."""
    build = os.environ.get("RW_BUILD_ROOT")
    expect(build, "RW_BUILD_ROOT not set")
    dest = os.path.join(WORK, "dest")
    p = run(meson_command() + ["install", "-C", build, "--no-rebuild", "--destdir", dest],
            env=clean_env(), timeout=300)
    expect(p.returncode == 0, f"meson install failed:\n{p.stdout.decode()}\n{p.stderr.decode()}")
    found = [os.path.join(d, "racewatch") for d, _, files in os.walk(dest)
             if "racewatch" in files and os.path.basename(d) == "bin"]
    expect(len(found) == 1, f"installed racewatch: {found}")
    prefix = os.path.dirname(os.path.dirname(found[0]))
    libs = [os.path.join(d, "libracewatch.so") for d, _, files in os.walk(prefix)
            if "libracewatch.so" in files]
    expect(len(libs) == 1, f"installed libracewatch.so: {libs}")

    # Move the installed tree: nothing may point back to the build or the old place.
    moved = os.path.join(WORK, "elsewhere", "opt")
    os.makedirs(os.path.dirname(moved))
    shutil.move(prefix, moved)
    racewatch = os.path.join(moved, "bin", "racewatch")
    cc = os.path.join(moved, "bin", "racewatch-cc")
    lib = os.path.realpath(os.path.join(moved, os.path.relpath(libs[0], prefix)))
    p = run([racewatch, "--version"], check_rc=0)
    expect(f"runtime: {lib}\n" in p.stdout.decode(),
           f"installed racewatch uses another runtime: {p.stdout!r}")
    run([racewatch, "run", "/bin/true"], check_rc=0)
    p = run([racewatch, "run", "env"], check_rc=0)
    expect(f"LD_PRELOAD={lib}\n".encode() in p.stdout,
           "installed racewatch run preloads another runtime")
    write("inst/hello.c", HELLO_C)
    run([cc, "-O1", "inst/hello.c", "-o", "inst/hello"], check_rc=0)
    check_linked(os.path.join(WORK, "inst/hello"), os.path.dirname(lib))
    p = run([os.path.join(WORK, "inst/hello")], check_rc=0)
    expect(p.stdout == b"hello 1\n", f"installed-built hello: {p.stdout!r}")


# ---------------------------------------------------------------- main

def main():
    global RACEWATCH, CC, LIB, WORK
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    case, RACEWATCH, CC = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    LIB = os.path.abspath(sys.argv[4]) if len(sys.argv) > 4 else None
    fn = globals().get("case_" + case)
    if fn is None:
        print(f"unknown case {case}", file=sys.stderr)
        return 2
    WORK = tempfile.mkdtemp(prefix=f"rwcli-{case}-")
    os.makedirs(os.path.join(WORK, "tmp"))
    try:
        fn()
    except Skip as e:
        print(f"SKIP {case}: {e}")
        return 77
    except (AssertionError, subprocess.TimeoutExpired) as e:
        print(f"FAIL {case}: {e}", file=sys.stderr)
        print(f"(work directory kept: {WORK})", file=sys.stderr)
        return 1
    shutil.rmtree(WORK, ignore_errors=True)
    print(f"PASS {case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
