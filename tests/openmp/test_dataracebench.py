#!/usr/bin/env python3
"""test_dataracebench.py: bench/dataracebench.py on a tiny fake checkout.

DataRaceBench itself is not here (it is never committed, and tests use no
network): this lays out its documented shape, micro-benchmarks/ with
DRB<nnn>-<name>-yes.c / -no.c files and a utilities/ folder, from
programs of this directory (two racy, two correct, one file that is not
a benchmark), runs the script for racewatch with gcc and checks its
score table and JSON.

Usage: test_dataracebench.py BUILD_DIR.  Exit 0 pass, 1 fail, 77 skip.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, '..', '..', 'bench', 'dataracebench.py')
PROGRAMS = [('DRB001-task-orig-yes.c', 'task_race.c'),
            ('DRB002-task-orig-no.c', 'task_clean.c'),
            ('DRB003-barrier-orig-yes.c', 'barrier_race.c'),
            ('DRB004-barrier-orig-no.c', 'barrier_clean.c'),
            ('README.c', 'lock_race.c')]          # not a benchmark: ignored
WANT_ROWS = ['| races found (TP) | 2/2 |', '| races missed (FN) | 0 |',
             '| false reports (FP) | 0/2 |', '| silent on race-free (TN) | 2 |',
             '| precision | 1.00 |', '| recall | 1.00 |', '| crashes | 0 |',
             '| timeouts | 0 |', '| deadlocks reported | 0 |', '| not compiled | 0 |']


def main(argv):
    build = argv[0] if argv else 'build'
    if not os.access(os.path.join(build, 'tools', 'racewatch-cc'), os.X_OK):
        print('SKIP: no racewatch-cc in %s' % build)
        return 77
    tmp = tempfile.mkdtemp(prefix='fake-drb-')
    try:
        mb = os.path.join(tmp, 'micro-benchmarks')
        os.makedirs(os.path.join(mb, 'utilities'))
        for name, src in PROGRAMS:
            shutil.copy(os.path.join(HERE, src), os.path.join(mb, name))
        shutil.copy(os.path.join(HERE, 'omp_test.h'), mb)
        out_json = os.path.join(tmp, 'results.json')
        r = subprocess.run([sys.executable, SCRIPT, '--build', build, '--tools', 'racewatch-gcc',
                            '--timeout', '60', '--json', out_json, tmp],
                           capture_output=True, text=True, timeout=600)
        fails = []
        if r.returncode != 0:
            fails.append('exit status %d' % r.returncode)
        if '4 programs (2 with a race, 2 without), 4 threads' not in r.stdout:
            fails.append('header line missing')
        if '| | racewatch-gcc |' not in r.stdout:
            fails.append('table header missing')
        for row in WANT_ROWS:
            if row not in r.stdout.splitlines():
                fails.append('missing row: %s' % row)
        try:
            with open(out_json) as f:
                res = json.load(f)['results']['racewatch-gcc']
            want = {'DRB001-task-orig-yes.c': 'reported', 'DRB002-task-orig-no.c': 'silent',
                    'DRB003-barrier-orig-yes.c': 'reported', 'DRB004-barrier-orig-no.c': 'silent'}
            got = {k: v['outcome'] for k, v in res.items()}
            if got != want:
                fails.append('JSON outcomes: %r' % got)
        except (OSError, ValueError, KeyError) as e:
            fails.append('JSON: %s' % e)
        if fails:
            print('FAIL: bench/dataracebench.py on a fake checkout')
            for f in fails:
                print('  ' + f)
            print('----- stdout -----\n' + r.stdout + '----- stderr -----\n' + r.stderr)
            return 1
        print('PASS: bench/dataracebench.py on a fake checkout')
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
