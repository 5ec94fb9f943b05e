#!/usr/bin/env python3
"""run.py: OpenMP kernels under racewatch, gcc's TSan and clang's Archer.

Each kernel of this directory (race-free OpenMP programs) is built
natively with gcc and with clang (-O2 -g -fopenmp) and for each tool:

  racewatch    racewatch-cc -fopenmp (gcc, libgomp), run by `racewatch run`
  tsan-gcc     gcc -fopenmp -fsanitize=thread (libtsan cannot see libgomp)
  archer       clang -fopenmp -fsanitize=thread, OMP_TOOL_LIBRARIES=libarcher.so
  racewatch-clang  racewatch-cc --cc=clang -fopenmp (libomp, OMPT), `racewatch run`

and run with OMP_NUM_THREADS threads (default 4).  The table gives each
tool's median wall time and peak memory as a multiple of the native
program's (gcc's for racewatch and tsan-gcc, clang's for Archer), and the
number of race reports, which should be 0: the kernels have no race.
The load average at the start and the end of the run is printed with the
table (the machine may be shared: compare ratios within one run).

Usage: bench/openmp/run.py [--build build] [--repeat 3] [--threads 4]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
KERNELS = ['stencil', 'matmul', 'fib_tasks', 'histogram']
ARCHER = '/usr/lib/llvm-14/lib/libarcher.so'
FLAGS = ['-O2', '-g', '-fopenmp']


def timed(cmd, env, timeout):
    """(seconds, stderr) of one run, or None if it timed out."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL)
    try:
        _, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        return None
    return time.monotonic() - start, err.decode('utf-8', 'replace')


def measure(cmd, env, repeat, timeout):
    times, rss, reports = [], [], 0
    gnu_time = '/usr/bin/time'  # GNU time: the peak RSS (%M, KiB)
    for _ in range(repeat):
        with tempfile.NamedTemporaryFile('r', suffix='.rss') as f:
            full = [gnu_time, '-f', '%M', '-o', f.name, *cmd] if os.path.exists(gnu_time) else cmd
            r = timed(full, env, timeout)
            if r is None:
                return None
            secs, err = r
            times.append(secs)
            try:
                rss.append(int(f.read().strip().splitlines()[-1]))
            except (ValueError, IndexError):
                pass
            reports = max(reports, err.count('WARNING: DATA RACE') +
                          err.count('WARNING: ThreadSanitizer: data race'))
    return statistics.median(times), (statistics.median(rss) if rss else None), reports


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default='build')
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--threads', default='4')
    ap.add_argument('--timeout', type=float, default=600)
    a = ap.parse_args(argv)
    rw_cc = os.path.abspath(os.path.join(a.build, 'tools', 'racewatch-cc'))
    rw = os.path.abspath(os.path.join(a.build, 'tools', 'racewatch'))
    clang = shutil.which('clang') or shutil.which('clang-14')
    have_archer = clang and os.path.exists(ARCHER)
    env = dict(os.environ, OMP_NUM_THREADS=a.threads)
    for k in ('LD_PRELOAD', 'RACEWATCH_OPTIONS', 'TSAN_OPTIONS', 'OMP_TOOL_LIBRARIES'):
        env.pop(k, None)
    tsan_env = dict(env, TSAN_OPTIONS='halt_on_error=0:report_signal_unsafe=0')
    archer_env = dict(tsan_env, OMP_TOOL_LIBRARIES=ARCHER,
                      TSAN_OPTIONS=tsan_env['TSAN_OPTIONS'] + ':ignore_noninstrumented_modules=1')
    work = tempfile.mkdtemp(prefix='omp-bench-')
    rows = []
    load_start = os.getloadavg()
    try:
        for k in KERNELS:
            src = os.path.join(HERE, k + '.c')
            builds = {'native-gcc': ['gcc'], 'racewatch': [rw_cc], 'tsan-gcc': ['gcc', '-fsanitize=thread']}
            if have_archer:
                builds['native-clang'] = [clang]
                builds['archer'] = [clang, '-fsanitize=thread']
                builds['racewatch-clang'] = [rw_cc, '--cc=' + clang]
            exes = {}
            for name, cc in builds.items():
                exe = os.path.join(work, '%s-%s' % (k, name))
                subprocess.run([*cc, *FLAGS, '-o', exe, src], check=True)
                exes[name] = exe
            res = {}
            runs = {'native-gcc': ([exes['native-gcc']], env),
                    'racewatch': ([rw, 'run', '--color=never', exes['racewatch']], env),
                    'tsan-gcc': ([exes['tsan-gcc']], tsan_env)}
            if have_archer:
                runs['native-clang'] = ([exes['native-clang']], env)
                runs['archer'] = ([exes['archer']], archer_env)
                runs['racewatch-clang'] = ([rw, 'run', '--color=never',
                                            exes['racewatch-clang']], env)
            for name, (cmd, e) in runs.items():
                sys.stderr.write('%s %s...\n' % (k, name))
                res[name] = measure(cmd, e, a.repeat, a.timeout)
            rows.append((k, res))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def cell(res, name, base):
        r, b = res.get(name), res.get(base)
        if r is None or b is None:
            return 'n/a'
        t = '%.1fx' % (r[0] / b[0]) if b[0] > 0 else '?'
        m = '%.1fx' % (r[1] / b[1]) if r[1] and b[1] else '?'
        return '%s / %s / %d' % (t, m, r[2])

    load_end = os.getloadavg()
    print('OpenMP kernels, %s threads, median of %d: time / peak memory / race reports '
          '(ratios to the native build of the same compiler)' % (a.threads, a.repeat))
    print('load average (1, 5, 15 min) at the start %.2f %.2f %.2f, at the end %.2f %.2f %.2f\n'
          % (*load_start, *load_end))
    print('| kernel | native gcc | racewatch | gcc TSan | native clang | clang Archer '
          '| racewatch clang |')
    print('| --- | --- | --- | --- | --- | --- | --- |')
    for k, res in rows:
        ng, nc = res.get('native-gcc'), res.get('native-clang')
        print('| %s | %s | %s | %s | %s | %s | %s |' % (
            k, '%.2f s' % ng[0] if ng else 'n/a', cell(res, 'racewatch', 'native-gcc'),
            cell(res, 'tsan-gcc', 'native-gcc'), '%.2f s' % nc[0] if nc else 'n/a',
            cell(res, 'archer', 'native-clang'), cell(res, 'racewatch-clang', 'native-clang')))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
