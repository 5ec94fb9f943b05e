#!/usr/bin/env python3
"""dataracebench.py: score race detectors on LLNL's DataRaceBench.

Takes the path of a local checkout of the public LLNL/dataracebench
repository (never committed here) and runs every C micro-benchmark,
micro-benchmarks/DRB<nnn>-<name>-yes.c (has a data race) or -no.c (has
none), under each tool, 4 OpenMP threads, one run each, then prints a
score table side by side (the optimization flags are those DataRaceBench's
own harness gives ThreadSanitizer, scripts/test-harness.sh of the checkout:
`-O3 -march=native` since its v1.4.1, `-O0` before; the same for every
tool column; --opt overrides them):

  racewatch-gcc   racewatch-cc -fopenmp (gcc, libgomp), `racewatch run`
  racewatch-clang racewatch-cc --cc=clang -fopenmp (LLVM's libomp)
  tsan-gcc        gcc -fopenmp -fsanitize=thread (libtsan, libgomp)
  archer-clang    clang -fopenmp -fsanitize=thread with the Archer OMPT
                  tool (libomp-14-dev's libarcher.so)

A program counts as reported when the tool reports at least one data race
(racewatch: `WARNING: DATA RACE`; ThreadSanitizer: `WARNING:
ThreadSanitizer: data race`).  TP: a -yes program reported; FN: not; FP: a
-no program reported; TN: not.  precision = TP / (TP + FP), recall = TP /
(TP + FN).  A run killed by a signal, or ending in a fatal report that is
not a race (racewatch's own error), counts as a crash; a racewatch run
that ends with Go's deadlock report (exit 2) as a deadlock (the program
hangs natively); a run past --timeout seconds with no race reported as a
timeout (a race reported before the timeout counts: some programs never
end by design); none of these is scored.  A program
that does not compile with a tool is counted apart (e.g. `target`
offloading that a compiler rejects).

Usage:
  bench/dataracebench.py --build build PATH/TO/dataracebench
  bench/dataracebench.py --build build --tools racewatch-gcc,tsan-gcc \\
      --filter 'DRB0[0-4]' --jobs 2 --json results.json --opt=-O0 PATH
  bench/dataracebench.py --build build --opt='-O1' PATH   # not the harness's flags

The micro-benchmarks that include polybench.h are built with
micro-benchmarks/utilities/polybench.c, as DataRaceBench's own scripts do.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

THREADS = 4  # the setting; DataRaceBench's harness runs 3 to 256 threads
CFLAGS = ['-g', '-fopenmp']
FALLBACK_OPT = '-O0'  # the harness's flags before v1.4.1, when it says nothing
NAME_RE = re.compile(r'^DRB\d+-.*-(yes|no)\.c$')
RW_RACE = 'WARNING: DATA RACE'
TSAN_RACE = 'WARNING: ThreadSanitizer: data race'
DEADLOCK = 'fatal error: all threads are asleep - deadlock!'
ARCHER_PATHS = ['/usr/lib/llvm-14/lib/libarcher.so']


class Tool:
    def __init__(self, name, compiler, run_prefix, env, race_marker, racewatch):
        self.name = name
        self.compiler = compiler      # argv before the flags, or None: unavailable
        self.run_prefix = run_prefix  # argv before ./prog
        self.env = env
        self.race_marker = race_marker
        self.racewatch = racewatch    # exit statuses follow racewatch's rules


def make_tools(build):
    rw_cc = os.path.join(build, 'tools', 'racewatch-cc')
    rw = os.path.join(build, 'tools', 'racewatch')
    have_rw = os.access(rw_cc, os.X_OK) and os.access(rw, os.X_OK)
    gcc = shutil.which('gcc')
    clang = shutil.which('clang') or shutil.which('clang-14')
    archer = next((p for p in ARCHER_PATHS if os.path.exists(p)), None)
    tsan_env = {'TSAN_OPTIONS': 'halt_on_error=0:exitcode=66:report_signal_unsafe=0'}
    tools = [
        Tool('racewatch-gcc', [os.path.abspath(rw_cc)] if have_rw and gcc else None,
             [os.path.abspath(rw), 'run', '--color=never'], {}, RW_RACE, True),
        Tool('racewatch-clang',
             [os.path.abspath(rw_cc), '--cc=' + clang] if have_rw and clang else None,
             [os.path.abspath(rw), 'run', '--color=never'], {}, RW_RACE, True),
        Tool('tsan-gcc', [gcc, '-fsanitize=thread'] if gcc else None, [], tsan_env,
             TSAN_RACE, False),
        Tool('archer-clang', [clang, '-fsanitize=thread'] if clang and archer else None, [],
             dict(tsan_env, OMP_TOOL_LIBRARIES=archer or '',
                  TSAN_OPTIONS=tsan_env['TSAN_OPTIONS'] + ':ignore_noninstrumented_modules=1'),
             TSAN_RACE, False),
    ]
    return {t.name: t for t in tools}


def harness_opt(checkout):
    """The optimization flags DataRaceBench's own harness compiles with
    for ThreadSanitizer: TSAN_COMPILE_FLAGS in scripts/test-harness.sh,
    with ${OPTIMIZATION} expanded to its default."""
    try:
        with open(os.path.join(checkout, 'scripts', 'test-harness.sh'), encoding='utf-8',
                  errors='replace') as f:
            text = f.read()
    except OSError:
        return FALLBACK_OPT
    m = re.search(r'^OPTIMIZATION=\$\{OPTIMIZATION:-"([^"]*)"\}', text, re.M)
    t = re.search(r'^TSAN_COMPILE_FLAGS="([^"]*)"', text, re.M)
    if not t:
        return FALLBACK_OPT
    flags = t.group(1).replace('${OPTIMIZATION}', m.group(1) if m else '').split()
    opt = [f for f in flags if f.startswith('-O') or f.startswith('-march=')]
    return ' '.join(opt) or FALLBACK_OPT


def find_programs(checkout, pattern):
    mb = os.path.join(checkout, 'micro-benchmarks')
    if not os.path.isdir(mb):
        sys.exit('%s: no micro-benchmarks/ directory (is it a DataRaceBench checkout?)' % checkout)
    progs = []
    for name in sorted(os.listdir(mb)):
        m = NAME_RE.match(name)
        if m and (pattern is None or re.search(pattern, name)):
            progs.append((os.path.join(mb, name), m.group(1) == 'yes'))
    return progs


def build_args(src):
    """Extra sources and flags a micro-benchmark needs."""
    util = os.path.join(os.path.dirname(src), 'utilities')
    extra = ['-I' + util]
    with open(src, encoding='utf-8', errors='replace') as f:
        text = f.read()
    if 'polybench.h' in text and os.path.exists(os.path.join(util, 'polybench.c')):
        extra += [os.path.join(util, 'polybench.c'), '-DPOLYBENCH_NO_FLUSH_CACHE']
    return extra, ['-lm']


def run_one(tool, src, timeout, workdir, opt, threads=THREADS):
    """Returns a dict: outcome in reported / silent / crash / timeout /
    nocompile, with the exit status and the first lines of stderr."""
    base = os.path.splitext(os.path.basename(src))[0]
    tmp = tempfile.mkdtemp(prefix=base + '-', dir=workdir)
    exe = os.path.join(tmp, base)
    extra, libs = build_args(src)
    cmd = [*tool.compiler, *CFLAGS, *opt.split(), *extra, '-o', exe, src, *libs]
    env = dict(os.environ)
    for k in ('LD_PRELOAD', 'RACEWATCH_OPTIONS', 'TSAN_OPTIONS', 'OMP_TOOL_LIBRARIES'):
        env.pop(k, None)
    try:
        c = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, timeout=300)
    except subprocess.TimeoutExpired:
        return {'outcome': 'nocompile', 'detail': 'compiler timed out'}
    if c.returncode != 0:
        return {'outcome': 'nocompile',
                'detail': c.stderr.decode('utf-8', 'replace').strip()[-300:]}
    env.update(tool.env)
    env['OMP_NUM_THREADS'] = str(threads)
    p = subprocess.Popen([*tool.run_prefix, exe], cwd=tmp, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         start_new_session=True)
    try:
        _, err = p.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, 9)
        _, err = p.communicate()
        timed_out = True
    shutil.rmtree(tmp, ignore_errors=True)
    err = err.decode('utf-8', 'replace')
    rc = p.returncode
    if tool.race_marker in err:
        # A race reported while the program runs counts even if it then
        # runs past the timeout (some never end by design).
        outcome = 'reported'
    elif timed_out:
        outcome = 'timeout'
    elif tool.racewatch and rc == 2 and DEADLOCK in err:
        outcome = 'deadlock'
    elif rc < 0 or (tool.racewatch and rc in (2, 125)) or 'ThreadSanitizer: SEGV' in err \
            or 'ThreadSanitizer: CHECK failed' in err:
        outcome = 'crash'
    else:
        outcome = 'silent'
    return {'outcome': outcome, 'status': rc, 'detail': '\n'.join(err.splitlines()[:3])}


def score(results, progs):
    s = dict(tp=0, fp=0, fn=0, tn=0, crash=0, timeout=0, deadlock=0, nocompile=0)
    for src, racy in progs:
        o = results[src]['outcome']
        if o == 'reported':
            s['tp' if racy else 'fp'] += 1
        elif o == 'silent':
            s['fn' if racy else 'tn'] += 1
        else:
            s[o] += 1
    s['precision'] = s['tp'] / (s['tp'] + s['fp']) if s['tp'] + s['fp'] else None
    s['recall'] = s['tp'] / (s['tp'] + s['fn']) if s['tp'] + s['fn'] else None
    return s


def fmt(v):
    return 'n/a' if v is None else '%.2f' % v


def print_table(scores, nyes, nno, out):
    names = list(scores)
    rows = [('races found (TP)', lambda s: '%d/%d' % (s['tp'], nyes)),
            ('races missed (FN)', lambda s: str(s['fn'])),
            ('false reports (FP)', lambda s: '%d/%d' % (s['fp'], nno)),
            ('silent on race-free (TN)', lambda s: str(s['tn'])),
            ('precision', lambda s: fmt(s['precision'])),
            ('recall', lambda s: fmt(s['recall'])),
            ('crashes', lambda s: str(s['crash'])),
            ('timeouts', lambda s: str(s['timeout'])),
            ('deadlocks reported', lambda s: str(s.get('deadlock', 0))),
            ('not compiled', lambda s: str(s['nocompile']))]
    out.write('| | %s |\n' % ' | '.join(names))
    out.write('| --- |%s\n' % (' --- |' * len(names)))
    for label, f in rows:
        out.write('| %s | %s |\n' % (label, ' | '.join(
            'n/a' if scores[n] is None else f(scores[n]) for n in names)))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('checkout', help='a DataRaceBench checkout (has micro-benchmarks/)')
    ap.add_argument('--build', default='build', help="racewatch's build directory")
    ap.add_argument('--tools', default='racewatch-gcc,racewatch-clang,tsan-gcc,archer-clang')
    ap.add_argument('--filter', help='only programs whose file name matches this regex')
    ap.add_argument('--timeout', type=float, default=60, help='seconds per run')
    ap.add_argument('--jobs', type=int, default=1, help='runs at once')
    ap.add_argument('--json', help='write every result to this file')
    ap.add_argument('--opt', default=None,
                    help="optimization flags for every tool (default: those of the checkout's "
                         "scripts/test-harness.sh for ThreadSanitizer; at -O1 and above gcc "
                         "deletes the racing accesses of a few -yes programs)")
    ap.add_argument('--threads', type=int, default=THREADS,
                    help='OMP_NUM_THREADS (default %(default)s; with more threads a static '
                         "schedule's chunks are smaller, and races between neighbouring "
                         'iterations fall in two chunks)')
    ap.add_argument('--verbose', '-v', action='store_true', help='one line per run')
    a = ap.parse_args(argv)

    all_tools = make_tools(a.build)
    wanted = [t for t in a.tools.split(',') if t]
    for t in wanted:
        if t not in all_tools:
            ap.error('unknown tool %r (known: %s)' % (t, ', '.join(all_tools)))
    progs = find_programs(a.checkout, a.filter)
    if a.opt is None:
        a.opt = harness_opt(a.checkout)
    if not progs:
        sys.exit('no DRB*-yes.c / DRB*-no.c programs found')
    nyes = sum(1 for _, racy in progs if racy)
    nno = len(progs) - nyes

    workdir = tempfile.mkdtemp(prefix='drb-')
    results, scores = {}, {}
    try:
        for name in wanted:
            tool = all_tools[name]
            if tool.compiler is None:
                sys.stderr.write('%s: not available here, skipped\n' % name)
                scores[name] = None
                continue
            res = {}
            with concurrent.futures.ThreadPoolExecutor(max(1, a.jobs)) as ex:
                futs = {ex.submit(run_one, tool, src, a.timeout, workdir, a.opt, a.threads):
                        (src, racy)
                        for src, racy in progs}
                for fut in concurrent.futures.as_completed(futs):
                    src, racy = futs[fut]
                    res[src] = fut.result()
                    if a.verbose:
                        sys.stderr.write('%-16s %-45s %-3s %s\n' % (
                            name, os.path.basename(src), 'yes' if racy else 'no',
                            res[src]['outcome']))
            results[name] = {os.path.basename(k): v for k, v in res.items()}
            scores[name] = score(res, progs)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    sys.stdout.write('DataRaceBench C micro-benchmarks: %d programs (%d with a race, %d '
                     'without), %s threads, %s, one run each\n\n'
                     % (len(progs), nyes, nno, a.threads, a.opt))
    print_table(scores, nyes, nno, sys.stdout)
    if a.json:
        with open(a.json, 'w') as f:
            json.dump({'scores': scores, 'results': results}, f, indent=1, sort_keys=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
