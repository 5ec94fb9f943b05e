#!/usr/bin/env python3
"""real_programs.py: real multithreaded programs from Debian packages, run
under `racewatch run` in preload mode, must behave exactly as natively.

For each of `xz -T4`, `zstd -T4`, `pigz -p 4` and `sort --parallel=4`
present on the machine (each absent one is skipped with a message; exit 77
when all are absent), on a deterministic input of ~20 MiB of compressible
text (seeded pseudo-random "log lines": words from a fixed vocabulary and
numbers), the runner runs every step natively and under racewatch and
requires:
  - byte-identical output (stdout) and identical exit status;
  - nothing on racewatch's stderr but what the native run printed: a report
    (race, deadlock, lock order, misuse) on these programs must be
    investigated, so it is printed in full and fails the test.
The compressors are also run backwards (decompress under racewatch) and the
result must be the input again.

Debian packages: xz-utils, zstd, pigz, coreutils.  About 30-60 s on two
cores.  Exit 0 pass, 1 fail, 77 skip.

Usage: real_programs.py --racewatch build/tools/racewatch [--only xz,sort]
       [--mib 20] [--keep]
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77
TIMEOUT = 240

# name -> (package, [steps]); a step is (label, argv with {in}, stdin file or
# None, what its output must equal natively).  Outputs go to stdout.
PROGRAMS = {
    'xz': ('xz-utils', [
        ('compress', ['xz', '-T4', '-0', '--block-size=1MiB', '-c', '{in}']),
        ('decompress', ['xz', '-T4', '-d', '-c', '{in}.xz']),
    ]),
    'zstd': ('zstd', [
        ('compress', ['zstd', '-T4', '-3', '-q', '-c', '{in}']),
        ('decompress', ['zstd', '-T4', '-d', '-q', '-c', '{in}.zst']),
    ]),
    'pigz': ('pigz', [
        ('compress', ['pigz', '-p', '4', '-c', '{in}']),
        ('decompress', ['pigz', '-p', '4', '-d', '-c', '{in}.gz']),
    ]),
    'sort': ('coreutils', [
        ('sort', ['sort', '--parallel=4', '-S', '64M', '{in}']),
        ('sort -n -k1,1', ['sort', '--parallel=4', '-S', '16M', '-n', '-k1,1', '{in}']),
    ]),
}
SUFFIX = {'xz': '.xz', 'zstd': '.zst', 'pigz': '.gz'}


def make_input(path, mib, seed=20240611):
    """Deterministic compressible text: ~mib MiB of log-like lines."""
    r = random.Random(seed)
    letters = 'abcdefghijklmnopqrstuvwxyz'
    words = [''.join(r.choice(letters) for _ in range(r.randint(2, 10))) for _ in range(5000)]
    levels = ['INFO', 'WARN', 'DEBUG', 'ERROR']
    target = mib * 1024 * 1024
    size = 0
    i = 0
    with open(path, 'w', encoding='ascii') as f:
        chunk = []
        while size < target:
            line = '%08d %s [%s] %s #%d\n' % (
                r.randrange(10 ** 8), levels[r.randrange(4)], words[r.randrange(5000)],
                ' '.join(r.choices(words, k=r.randint(3, 14))), i)
            chunk.append(line)
            size += len(line)
            i += 1
            if len(chunk) >= 10000:
                f.write(''.join(chunk))
                chunk = []
        f.write(''.join(chunk))
    return size


def run(cmd, cwd, env, out_path):
    with open(out_path, 'wb') as out:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.PIPE,
                             stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            _, err = p.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, 9)
            _, err = p.communicate()
            return None, err.decode('utf-8', 'replace'), time.monotonic() - t0
        return p.returncode, err.decode('utf-8', 'replace'), time.monotonic() - t0


def same_file(a, b):
    if os.path.getsize(a) != os.path.getsize(b):
        return False
    with open(a, 'rb') as fa, open(b, 'rb') as fb:
        while True:
            x, y = fa.read(1 << 20), fb.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--racewatch', required=True)
    ap.add_argument('--only', default='')
    ap.add_argument('--mib', type=int, default=20)
    ap.add_argument('--keep', action='store_true')
    a = ap.parse_args(argv)
    rw = os.path.abspath(a.racewatch)
    if not (os.path.isfile(rw) and os.access(rw, os.X_OK)):
        print('SKIP: racewatch not available (%r)' % a.racewatch)
        return SKIP
    only = [x for x in a.only.split(',') if x]
    present = []
    for name, (pkg, _) in PROGRAMS.items():
        if only and name not in only:
            continue
        if shutil.which(name):
            present.append(name)
        else:
            print('skip %s: not installed (Debian package %s)' % (name, pkg))
    if not present:
        print('SKIP: none of %s is installed' % ', '.join(PROGRAMS))
        return SKIP

    env = dict(os.environ)
    for k in ('RACEWATCH_OPTIONS', 'LD_PRELOAD', 'TSAN_OPTIONS', 'XZ_DEFAULTS', 'XZ_OPT',
              'ZSTD_CLEVEL', 'ZSTD_NBTHREADS', 'GZIP', 'PIGZ'):
        env.pop(k, None)
    env['LC_ALL'] = 'C'
    tmp = tempfile.mkdtemp(prefix='rw-real-')
    fails = []
    try:
        inp = os.path.join(tmp, 'input.txt')
        size = make_input(inp, a.mib)
        print('input: %s, %.1f MiB of text' % (inp, size / 1048576.0))
        for name in present:
            for label, argv_t in PROGRAMS[name][1]:
                cmd = [x.replace('{in}', inp) for x in argv_t]
                nat_out = os.path.join(tmp, '%s-%s.native' % (name, label.replace(' ', '_')))
                rw_out = os.path.join(tmp, '%s-%s.racewatch' % (name, label.replace(' ', '_')))
                nrc, nerr, nt = run(cmd, tmp, env, nat_out)
                rrc, rerr, rt = run([rw, 'run', '--color=never', *cmd], tmp, env, rw_out)
                what = '%s %s (%s)' % (name, label, ' '.join(argv_t))
                bad = []
                if nrc is None:
                    bad.append('native run timed out')
                elif nrc != 0:
                    bad.append('native run failed with status %s: %s' % (nrc, nerr.strip()[:500]))
                if rrc is None:
                    bad.append('under racewatch: timed out after %d s' % TIMEOUT)
                elif rrc != nrc:
                    bad.append('exit status under racewatch %s, natively %s' % (rrc, nrc))
                if rrc is not None and not same_file(nat_out, rw_out):
                    bad.append('output differs: %d bytes natively, %d under racewatch'
                               % (os.path.getsize(nat_out), os.path.getsize(rw_out)))
                want_err = nerr + ('exit status %d\n' % nrc if nrc else '')
                if rerr != want_err:
                    bad.append('racewatch printed something (a report on a real program must be '
                               'investigated):\n----- stderr under racewatch -----\n%s'
                               '----- native stderr -----\n%s-----' % (rerr, nerr))
                if label == 'compress' and nrc == 0:
                    shutil.copyfile(nat_out, inp + SUFFIX[name])
                if label == 'decompress' and rrc == 0 and not same_file(rw_out, inp):
                    bad.append('decompressed output under racewatch is not the input')
                print('%s %s: native %.2f s, racewatch %.2f s (%.2fx)' % (
                    'FAIL' if bad else 'ok  ', what, nt, rt, rt / nt if nt > 0 else 0))
                for b in bad:
                    print('    ' + b.replace('\n', '\n    '))
                fails += [what + ': ' + b for b in bad]
                for f in (nat_out, rw_out):
                    if not a.keep:
                        os.unlink(f)
        if fails:
            print('FAIL: %d problem(s)' % len(fails))
            return 1
        print('PASS: %s' % ', '.join(present))
        return 0
    finally:
        if a.keep:
            print('kept %s' % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
