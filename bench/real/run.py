#!/usr/bin/env python3
"""bench/real/run.py: real programs under racewatch (preload mode), and how
fast a deadlock is reported.  A measurement, not a test.

1. Slowdown.  The runs of tests/robust/real_programs.py (xz -T4, zstd -T4,
   pigz -p 4, sort --parallel=4, compressing and decompressing the same
   deterministic ~20 MiB of text) are timed natively, under `racewatch run`
   and, with --with-helgrind, under `valgrind --tool=helgrind` (slow: run
   once each).  The table gives the native median wall time and the median
   ratios.  Outputs are compared with the native one (a difference is
   flagged), and so is anything racewatch prints.

2. Deadlock-report latency.  bench/real/latency.c deadlocks at a known
   moment: the thread whose call completes the deadlock prints a
   CLOCK_MONOTONIC timestamp just before that call.  This script reads the
   program's stdout and stderr as they come and notes (same clock) when the
   "fatal error" line arrives: the delay is the report latency.  Median and
   maximum over --latency-runs runs (default 10) per shape (mutex: ABBA with
   main joining; cycle: ABBA while main sleeps; cond: a lost wake-up and a
   join; sem: a semaphore nobody posts), in preload and instrumented mode.

Usage:
  python3 bench/real/run.py [--build build] [--repeat 3] [--mib 20]
                            [--only xz,sort] [--with-helgrind]
                            [--latency-runs 10] [--no-slowdown] [--no-latency]
                            [--json FILE]

Python 3 standard library only.  Takes ~1-2 minutes on 2 cores without
Helgrind; Helgrind adds several minutes.
"""

import argparse
import json
import os
import re
import selectors
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(REPO, 'tests', 'robust'))
import real_programs  # noqa: E402  (the same programs, steps and input)

HELGRIND_ERRORS_RE = re.compile(r'ERROR SUMMARY: (\d+) errors')


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def timed(cmd, cwd, env, out_path, timeout):
    """(status, stderr, seconds); status None on timeout."""
    with open(out_path, 'wb') as out:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.PIPE,
                             stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            _, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, 9)
            _, err = p.communicate()
            return None, err.decode('utf-8', 'replace'), time.monotonic() - t0
        return p.returncode, err.decode('utf-8', 'replace'), time.monotonic() - t0


def slowdown(a, rw, env, tmp, results):
    inp = os.path.join(tmp, 'input.txt')
    size = real_programs.make_input(inp, a.mib)
    log('input: %.1f MiB of text' % (size / 1048576.0))
    only = [x for x in a.only.split(',') if x]
    rows = []
    for name, (pkg, steps) in real_programs.PROGRAMS.items():
        if only and name not in only:
            continue
        if not shutil.which(name):
            log('skip %s: not installed (Debian package %s)' % (name, pkg))
            continue
        for label, argv_t in steps:
            cmd = [x.replace('{in}', inp) for x in argv_t]
            shown = ' '.join(argv_t).replace('{in}', 'IN')
            nat_out = os.path.join(tmp, 'native.out')
            rw_out = os.path.join(tmp, 'rw.out')
            row = {'program': shown, 'native': [], 'racewatch': [], 'helgrind': [],
                   'flags': []}
            for _ in range(a.repeat):
                rc, err, t = timed(cmd, tmp, env, nat_out, 600)
                if rc != 0:
                    row['flags'].append('native failed (%s)' % rc)
                row['native'].append(t)
            for _ in range(a.repeat):
                rc, err, t = timed([rw, 'run', '--color=never', *cmd], tmp, env, rw_out, 600)
                row['racewatch'].append(t)
                if rc != 0:
                    row['flags'].append('racewatch status %s' % rc)
                if err:
                    row['flags'].append('racewatch printed: %s' % err.strip().split('\n')[0])
                if not real_programs.same_file(nat_out, rw_out):
                    row['flags'].append('OUTPUT DIFFERS')
            if a.with_helgrind:
                vg = ['valgrind', '--tool=helgrind', '--quiet', *cmd]
                for _ in range(a.helgrind_repeat):
                    rc, err, t = timed(vg, tmp, env, rw_out, a.helgrind_timeout)
                    if rc is None:
                        row['flags'].append('helgrind timed out after %d s' % a.helgrind_timeout)
                        row['helgrind'].append(None)
                        break
                    row['helgrind'].append(t)
                    m = HELGRIND_ERRORS_RE.search(err)
                    n = int(m.group(1)) if m else len([l for l in err.split('\n')
                                                       if 'Possible data race' in l])
                    if n:
                        row['flags'].append('helgrind: %d error(s)' % n)
            if label == 'compress':
                shutil.copyfile(nat_out, inp + real_programs.SUFFIX[name])
            row['flags'] = sorted(set(row['flags']))
            rows.append(row)
            log('  %-45s native %.2f s  racewatch %.2f s%s' % (
                shown, statistics.median(row['native']), statistics.median(row['racewatch']),
                ('  helgrind %.1f s' % statistics.median([x for x in row['helgrind'] if x])
                 if [x for x in row['helgrind'] if x] else '')))
    results['slowdown'] = rows
    print()
    print('Real programs, preload mode (median of %d; helgrind %s):'
          % (a.repeat, ('%d run(s)' % a.helgrind_repeat) if a.with_helgrind else 'not run'))
    print('%-45s | %8s | %9s | %9s' % ('program', 'native s', 'racewatch', 'helgrind'))
    print('-' * 45 + '-+-' + '-' * 8 + '-+-' + '-' * 9 + '-+-' + '-' * 9)
    ratios_rw, ratios_hg = [], []
    for r in rows:
        n = statistics.median(r['native'])
        rr = statistics.median(r['racewatch']) / n
        ratios_rw.append(rr)
        hg = [x for x in r['helgrind'] if x]
        hs = 'n/a'
        if hg:
            h = statistics.median(hg) / n
            ratios_hg.append(h)
            hs = '%.1fx' % h
        r['ratio_racewatch'] = rr
        r['ratio_helgrind'] = statistics.median(hg) / n if hg else None
        print('%-45s | %8.2f | %8.2fx | %9s%s' % (r['program'], n, rr, hs,
                                                  ('  ' + '; '.join(r['flags'])) if r['flags'] else ''))
    if ratios_rw:
        gm = statistics.geometric_mean(ratios_rw)
        gh = statistics.geometric_mean(ratios_hg) if ratios_hg else None
        print('%-45s | %8s | %8.2fx | %9s' % ('geomean', '', gm, '%.1fx' % gh if gh else 'n/a'))
        results['geomean_racewatch'] = gm
        results['geomean_helgrind'] = gh


def build_latency(a, tmp, env):
    src = os.path.join(HERE, 'latency.c')
    exes = {}
    pre = os.path.join(tmp, 'latency-preload')
    subprocess.run([a.cc, '-O1', '-g', '-pthread', '-o', pre, src], check=True, env=env)
    exes['preload'] = pre
    rcc = os.path.join(a.build, 'tools', 'racewatch-cc')
    if os.access(rcc, os.X_OK):
        ins = os.path.join(tmp, 'latency-instrumented')
        subprocess.run([rcc, '-O1', '-g', '-o', ins, src, '-lpthread'], check=True, env=env)
        exes['instrumented'] = ins
    return exes


def one_latency(rw, exe, shape, env):
    """Seconds from the program's stamp to the 'fatal error' line, or None."""
    p = subprocess.Popen([rw, 'run', '--color=never', exe, shape], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL, start_new_session=True)
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ, 'out')
    sel.register(p.stderr, selectors.EVENT_READ, 'err')
    stamp = seen = None
    out = err = b''
    deadline = time.monotonic() + 30
    open_streams = 2
    while open_streams and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.5):
            chunk = os.read(key.fileobj.fileno(), 65536)
            now = time.monotonic()
            if not chunk:
                sel.unregister(key.fileobj)
                open_streams -= 1
                continue
            if key.data == 'out':
                out += chunk
                m = re.search(rb'^T (\d+\.\d+)$', out, re.M)
                if m and stamp is None:
                    stamp = float(m.group(1))
            else:
                err += chunk
                if seen is None and b'fatal error' in err:
                    seen = now
    if open_streams:
        os.killpg(p.pid, 9)
    p.wait()
    if stamp is None or seen is None:
        return None, (p.returncode, err.decode('utf-8', 'replace')[:300])
    return seen - stamp, None


def latency(a, rw, env, tmp, results):
    exes = build_latency(a, tmp, env)
    rows = []
    for mode, exe in exes.items():
        for shape in ('mutex', 'cycle', 'cond', 'sem'):
            vals, problems = [], []
            for _ in range(a.latency_runs):
                v, prob = one_latency(rw, exe, shape, env)
                if v is None:
                    problems.append(prob)
                else:
                    vals.append(v)
            rows.append({'mode': mode, 'shape': shape, 'latencies': vals, 'problems': problems})
            log('  latency %-12s %-6s %s' % (mode, shape, ' '.join('%.1f' % (v * 1000) for v in vals)))
    results['latency'] = rows
    print()
    print('Deadlock-report latency: from the last blocking call to the "fatal error" line '
          '(%d runs each, ms):' % a.latency_runs)
    print('%-13s | %-6s | %7s | %7s | %7s' % ('mode', 'shape', 'median', 'min', 'max'))
    print('-' * 13 + '-+-' + '-' * 6 + '-+-' + '-' * 7 + '-+-' + '-' * 7 + '-+-' + '-' * 7)
    for r in rows:
        v = r['latencies']
        if v:
            print('%-13s | %-6s | %7.1f | %7.1f | %7.1f%s' % (
                r['mode'], r['shape'], statistics.median(v) * 1000, min(v) * 1000,
                max(v) * 1000, ('  (%d run(s) without a report)' % len(r['problems']))
                if r['problems'] else ''))
        else:
            print('%-13s | %-6s | no report in any run: %s' % (r['mode'], r['shape'], r['problems'][:1]))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default=os.path.join(REPO, 'build'))
    ap.add_argument('--racewatch', help='default: BUILD/tools/racewatch')
    ap.add_argument('--cc', default='gcc')
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--mib', type=int, default=20)
    ap.add_argument('--only', default='')
    ap.add_argument('--with-helgrind', action='store_true')
    ap.add_argument('--helgrind-repeat', type=int, default=1)
    ap.add_argument('--helgrind-timeout', type=int, default=1800)
    ap.add_argument('--latency-runs', type=int, default=10)
    ap.add_argument('--no-slowdown', action='store_true')
    ap.add_argument('--no-latency', action='store_true')
    ap.add_argument('--json')
    a = ap.parse_args(argv)
    rw = os.path.abspath(a.racewatch or os.path.join(a.build, 'tools', 'racewatch'))
    if not os.access(rw, os.X_OK):
        log('no racewatch at %s (build first, or give --build / --racewatch)' % rw)
        return 2
    if a.with_helgrind and not shutil.which('valgrind'):
        log('--with-helgrind: valgrind is not installed (Debian package valgrind)')
        return 2
    env = dict(os.environ)
    for k in ('RACEWATCH_OPTIONS', 'LD_PRELOAD', 'TSAN_OPTIONS', 'XZ_DEFAULTS', 'XZ_OPT',
              'ZSTD_CLEVEL', 'ZSTD_NBTHREADS', 'GZIP', 'PIGZ'):
        env.pop(k, None)
    env['LC_ALL'] = 'C'
    try:
        load = os.getloadavg()[0] / (os.cpu_count() or 1)
    except OSError:
        load = 0
    results = {'date': time.strftime('%Y-%m-%d %H:%M:%S'), 'cpus': os.cpu_count(),
               'racewatch': rw, 'repeat': a.repeat, 'mib': a.mib}
    tmp = tempfile.mkdtemp(prefix='rw-bench-real-')
    try:
        if not a.no_slowdown:
            slowdown(a, rw, env, tmp, results)
        if not a.no_latency:
            latency(a, rw, env, tmp, results)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if load > 0.75:
        print('\nwarning: load average was %.2f per CPU at the start: times are noisy' % load)
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
