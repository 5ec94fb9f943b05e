#!/usr/bin/env python3
"""bench/chan/run.py: channel throughput, libracewatch-chan against a mutex +
condition-variable queue (chanbench.c), natively and under racewatch.

Builds chanbench.c twice in DIR/bench/chan-work/: natively (gcc -O2) and
instrumented (gcc -O2 -fsanitize=thread -c, linked with libracewatch as
bench/run.py does), both linked with DIR/chan/libracewatch-chan.so.  Then
runs every workload x implementation x variant --repeat times,
interleaved (so that a burst of load from elsewhere hits every cell
alike), and prints the median wall-clock ns per message, the ratio
channel / queue (the goal: <= 1.5 natively) and the same ratio of CPU time
(user + system of all threads), which a busy machine disturbs less.

    python3 bench/chan/run.py --build build --repeat 7
    ninja -C build bench-chan          # the same, --repeat 5

Options: --build DIR (default build), --repeat N (default 5), --messages N
(default 200000 natively, a tenth of it under racewatch), --only
WORKLOAD (repeatable), --native-only, --cc (default gcc).
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
WORKLOADS = ['pingpong', 'buffered1', 'buffered4', 'select4']
LABELS = {
    'pingpong': 'unbuffered ping-pong',
    'buffered1': 'buffered (64), 1 producer',
    'buffered4': 'buffered (64), 4 producers',
    'select4': 'select over 4 channels',
}


def sh(argv):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit('command failed: %s\n%s' % (' '.join(argv), r.stdout))


def build(cc, build_dir, work):
    work.mkdir(parents=True, exist_ok=True)
    src = str(HERE / 'chanbench.c')
    inc = '-I' + str(ROOT / 'include')
    chan = build_dir / 'chan'
    rt = build_dir / 'runtime'
    link_chan = ['-L' + str(chan), '-lracewatch-chan', '-Wl,-rpath,' + str(chan)]
    flags = ['-std=gnu11', '-O2', '-g', '-pthread', inc]
    native = work / 'chanbench'
    sh([cc, *flags, '-o', str(native), src, *link_chan])
    obj = work / 'chanbench.tsan.o'
    sh([cc, *flags, '-fsanitize=thread', '-c', '-o', str(obj), src])
    inst = work / 'chanbench.racewatch'
    sh([cc, '-pthread', '-o', str(inst), str(obj), *link_chan,
        '-L' + str(rt), '-Wl,-rpath,' + str(rt), '-lracewatch'])
    return native, inst


def clean_env():
    env = dict(os.environ)
    for k in ('RACEWATCH_OPTIONS', 'TSAN_OPTIONS', 'LD_PRELOAD', 'LD_LIBRARY_PATH'):
        env.pop(k, None)
    return env


def cpu_children():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_one(exe, workload, impl, messages, env):
    """(wall ns per message, CPU ns per message, checksum)."""
    cpu0 = cpu_children()
    r = subprocess.run([str(exe), workload, impl, str(messages)], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, env=env, timeout=600)
    cpu = (cpu_children() - cpu0) * 1e9 / messages
    if r.returncode != 0 or r.stderr.strip():
        sys.exit('%s %s %s: status %d, stderr:\n%s' % (exe.name, workload, impl, r.returncode,
                                                       r.stderr))
    fields = r.stdout.split()
    return float(fields[3]), cpu, fields[4]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default='build')
    ap.add_argument('--repeat', type=int, default=5)
    ap.add_argument('--messages', type=int, default=200000)
    ap.add_argument('--only', action='append', choices=WORKLOADS)
    ap.add_argument('--native-only', action='store_true')
    ap.add_argument('--cc', default='gcc')
    a = ap.parse_args()
    build_dir = Path(a.build).resolve()
    if not (build_dir / 'chan').is_dir():
        sys.exit('%s/chan not found: build first (ninja -C %s)' % (build_dir, a.build))
    if not shutil.which(a.cc):
        sys.exit('%s not found' % a.cc)
    native, inst = build(a.cc, build_dir, build_dir / 'bench' / 'chan-work')
    variants = [('native', native, a.messages)]
    if not a.native_only:
        variants.append(('racewatch', inst, max(1000, a.messages // 10)))
    workloads = a.only or WORKLOADS
    env = clean_env()
    times = {}
    cpus = {}
    checks = {}
    for rep in range(a.repeat):
        print('round %d/%d' % (rep + 1, a.repeat), file=sys.stderr)
        for vname, exe, msgs in variants:
            for w in workloads:
                for impl in ('chan', 'queue'):
                    t, cpu, check = run_one(exe, w, impl, msgs, env)
                    times.setdefault((vname, w, impl), []).append(t)
                    cpus.setdefault((vname, w, impl), []).append(cpu)
                    checks.setdefault((vname, w), set()).add(check)
    for key, sums in checks.items():
        if len(sums) != 1:
            sys.exit('checksums differ for %s: %s' % (key, sums))

    print('median of %d runs, ns per message (%d messages natively%s)' % (
        a.repeat, a.messages,
        '' if a.native_only else ', %d under racewatch' % max(1000, a.messages // 10)))
    print()
    head = '| workload |'
    sep = '| --- |'
    for vname, _, _ in variants:
        head += ' %s chan | %s queue | chan / queue | CPU chan / queue |' % (vname, vname)
        sep += ' ---: | ---: | ---: | ---: |'
    if not a.native_only:
        head += ' racewatch / native (chan) |'
        sep += ' ---: |'
    print(head)
    print(sep)
    worst = 0.0
    for w in workloads:
        row = '| %s |' % LABELS[w]
        for vname, _, _ in variants:
            c = statistics.median(times[(vname, w, 'chan')])
            q = statistics.median(times[(vname, w, 'queue')])
            cc = statistics.median(cpus[(vname, w, 'chan')])
            cq = statistics.median(cpus[(vname, w, 'queue')])
            row += ' %.0f | %.0f | %.2fx | %.2fx |' % (c, q, c / q, cc / cq)
            if vname == 'native':
                worst = max(worst, c / q)
        if not a.native_only:
            row += ' %.1fx |' % (statistics.median(times[('racewatch', w, 'chan')]) /
                                 statistics.median(times[('native', w, 'chan')]))
        print(row)
    print()
    print('worst native chan / queue: %.2fx (goal: <= 1.5x)' % worst)
    spread = max(max(v) / min(v) for v in times.values())
    if spread > 2:
        print('note: runs of one cell differ by up to %.1fx: the machine is busy, '
              'repeat with a larger --repeat' % spread)
    return 0


if __name__ == '__main__':
    sys.exit(main())
