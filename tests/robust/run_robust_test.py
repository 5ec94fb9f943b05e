#!/usr/bin/env python3
"""run_robust_test.py: a program must behave under racewatch exactly as it
does without it.

Each test is a C program of this directory (README.md lists them).  The
runner builds it natively (gcc -g -O1 -pthread) and runs it, then runs it
under `racewatch run --color=never` in one mode:

  --mode instrumented   the program rebuilt with racewatch-cc -g -O1
  --mode preload        the very same native binary, runtime by LD_PRELOAD
  --mode ldpreload      the native binary with LD_PRELOAD=libracewatch.so set
                        by hand (no `racewatch run`, so no "exit status" line)

and requires the same stdout, the same exit status, the same stderr (plus
the `exit status N` line that `racewatch run` adds when N is not 0) and no
report at all: the programs are correct.  Comment lines in the source:

    // ROBUST: exit=N          the native exit status (checked too: the
                               program itself must do what it says)
    // ROBUST: stdout=TEXT     the native stdout, exactly (\\n escapes)
    // ROBUST: lines=N         or just its number of lines
    // ROBUST: timeout=S       per run (default 60)
    // ROBUST: ldflags=-ldl    extra link arguments
    // ROBUST: plugin=FILE.c   a shared library built from FILE.c (with
                               racewatch-cc in instrumented mode), its path
                               passed as argv[1]
    // ROBUST: helper=FILE.c   a program built from FILE.c with plain gcc,
                               its path passed as the next argument

Special cases with their own checks (--case): exec (children watched, and
with --follow-exec=0 not), static, setuid.

Exit status: 0 pass, 1 fail, 77 skip.
"""

import argparse
import os
import pwd
import re
import shutil
import stat
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(HERE, '..', 'programs'))
import run_program_test as rpt  # noqa: E402  (helpers only: run, clean_env, unescape)

SKIP = 77
DEFAULT_TIMEOUT = 60
KEY_RE = re.compile(r'^\s*//\s*ROBUST:\s*(\w[\w-]*)=(.*?)\s*$')
REPORT_RE = re.compile(r'^(==================|WARNING: |fatal error: |Found \d+ |racewatch: )')


class Spec:
    def __init__(self, path):
        self.path = path
        self.exit = None
        self.stdout = None
        self.lines = None
        self.timeout = DEFAULT_TIMEOUT
        self.ldflags = []
        self.plugins = []
        self.helpers = []
        with open(path, encoding='utf-8') as f:
            for no, line in enumerate(f, 1):
                m = KEY_RE.match(line)
                if not m:
                    continue
                k, v = m.group(1), m.group(2)
                if k == 'exit':
                    self.exit = int(v)
                elif k == 'stdout':
                    self.stdout = rpt.unescape(v)
                elif k == 'lines':
                    self.lines = int(v)
                elif k == 'timeout':
                    self.timeout = float(v)
                elif k == 'ldflags':
                    self.ldflags += v.split()
                elif k == 'plugin':
                    self.plugins.append(v)
                elif k == 'helper':
                    self.helpers.append(v)
                else:
                    raise ValueError('line %d: unknown key %r' % (no, k))
        if self.exit is None:
            raise ValueError('no "// ROBUST: exit=N" line')


class Failure(Exception):
    pass


def show(title, res):
    out = ['----- %s: status %s%s -----' % (title, res.rc, ' (timed out)' if res.timed_out else '')]
    out.append('stdout (%d bytes):' % len(res.out))
    out.append(res.out[:4000] + ('...[cut]' if len(res.out) > 4000 else ''))
    out.append('stderr:')
    out.append(res.err[:8000] + ('...[cut]' if len(res.err) > 8000 else ''))
    return '\n'.join(out)


def build(cmd, tmp, env):
    r = rpt.run(cmd, tmp, env, timeout=180)
    if r.timed_out or r.rc != 0:
        raise Failure('build failed: %s\n%s' % (' '.join(cmd), show('build', r)))


def racewatch_cmd(a, exe, args, extra=()):
    return [os.path.abspath(a.racewatch), 'run', '--color=never', *extra, exe, *args]


def expect_as_native(native, res, what, wrapper=True):
    """Fails list: res must equal native (stdout, status, stderr + exit line)."""
    fails = []
    if res.timed_out:
        return ['%s: timed out (natively it ends)' % what]
    if res.rc != native.rc:
        fails.append('%s: exit status %s, natively %s' % (what, res.rc, native.rc))
    if res.out != native.out:
        fails.append('%s: stdout differs from the native run:\n%s' % (
            what, rpt.stdout_diff(native.out, res.out)))
    want_err = native.err
    if native.rc != 0 and wrapper:
        want_err += 'exit status %d\n' % native.rc
    if res.err != want_err:
        extra = [l for l in rpt.ANSI.sub('', res.err).split('\n') if REPORT_RE.match(l)]
        fails.append('%s: stderr differs from the native run (+ "exit status" line)%s:\n%s' % (
            what, ' -- racewatch reported something' if extra else '',
            rpt.stdout_diff(want_err, res.err)))
    return fails


def check_native(spec, native):
    fails = []
    if native.timed_out:
        return ['native run timed out: the test program itself is broken']
    if native.rc != spec.exit:
        fails.append('native exit status %s, the test says %d' % (native.rc, spec.exit))
    if spec.stdout is not None and native.out != spec.stdout:
        fails.append('native stdout is not what the test says:\n' + rpt.stdout_diff(spec.stdout, native.out))
    if spec.lines is not None and native.out.count('\n') != spec.lines:
        fails.append('native stdout has %d lines, the test says %d' % (native.out.count('\n'), spec.lines))
    return fails


def compile_main(a, spec, src, tmp, env, exe, instrumented):
    if instrumented:
        cmd = [os.path.abspath(a.racewatch_cc), '-g', '-O1', '-o', exe, src, '-lpthread', *spec.ldflags]
    else:
        cmd = [a.cc, '-g', '-O1', '-pthread', '-o', exe, src, *spec.ldflags]
    build(cmd, tmp, env)


def generic(a, src, tmp, env):
    spec = Spec(src)
    native_exe = os.path.join(tmp, 'native')
    compile_main(a, spec, src, tmp, env, native_exe, False)
    args_native, args_rw = [], []
    for p in spec.plugins:
        psrc = os.path.join(HERE, p)
        base = os.path.splitext(p)[0]
        nat = os.path.join(tmp, 'lib%s-native.so' % base)
        build([a.cc, '-g', '-O1', '-pthread', '-shared', '-fPIC', '-o', nat, psrc], tmp, env)
        args_native.append(nat)
        if a.mode == 'instrumented':
            ins = os.path.join(tmp, 'lib%s-rw.so' % base)
            build([os.path.abspath(a.racewatch_cc), '-g', '-O1', '-shared', '-fPIC', '-o', ins,
                   psrc, '-lpthread'], tmp, env)
            args_rw.append(ins)
        else:
            args_rw.append(nat)
    for h in spec.helpers:
        hexe = os.path.join(tmp, os.path.splitext(h)[0])
        build([a.cc, '-g', '-O1', '-pthread', '-o', hexe, os.path.join(HERE, h)], tmp, env)
        args_native.append(hexe)
        args_rw.append(hexe)
    native = rpt.run([native_exe, *args_native], tmp, env, timeout=spec.timeout)
    fails = check_native(spec, native)
    if fails:
        raise Failure('\n'.join(fails) + '\n' + show('native', native))
    if a.mode == 'instrumented':
        exe = os.path.join(tmp, 'instrumented')
        compile_main(a, spec, src, tmp, env, exe, True)
    else:
        exe = native_exe
    if a.mode == 'ldpreload':
        penv = dict(env)
        penv['LD_PRELOAD'] = os.path.abspath(a.lib)
        res = rpt.run([exe, *args_rw], tmp, penv, timeout=spec.timeout)
        fails = expect_as_native(native, res, 'LD_PRELOAD=libracewatch.so', wrapper=False)
    else:
        res = rpt.run(racewatch_cmd(a, exe, args_rw), tmp, env, timeout=spec.timeout)
        fails = expect_as_native(native, res, 'racewatch run (%s)' % a.mode)
    if fails:
        raise Failure('\n'.join(fails) + '\n' + show('native', native) + '\n' + show('racewatch', res))


# --- special cases -------------------------------------------------------------

LOCKORDER_TITLE = 'WARNING: LOCK ORDER INVERSION (potential deadlock)'


def case_exec(a, tmp, env):
    """exec_parent.c runs exec_child.c (plain gcc, a lock-order inversion in
    one thread) three ways: fork + execv, system() (through /bin/sh), and
    finally execv in place of itself.  Watched, each of the three processes
    reports for itself and exits 66; with --follow-exec=0 none is watched
    and everything is as native."""
    src = os.path.join(HERE, 'exec_parent.c')
    child = os.path.join(tmp, 'exec_child')
    build([a.cc, '-g', '-O1', '-pthread', '-o', child, os.path.join(HERE, 'exec_child.c')], tmp, env)
    native_exe = os.path.join(tmp, 'native')
    spec = Spec(src)
    compile_main(a, spec, src, tmp, env, native_exe, False)
    native = rpt.run([native_exe, child], tmp, env, timeout=spec.timeout)
    fails = check_native(spec, native)
    if native.err:
        fails.append('native stderr is not empty')
    if fails:
        raise Failure('\n'.join(fails) + '\n' + show('native', native))
    if a.mode == 'instrumented':
        exe = os.path.join(tmp, 'instrumented')
        compile_main(a, spec, src, tmp, env, exe, True)
    else:
        exe = native_exe
    fails = []
    # watched: the children report
    res = rpt.run(racewatch_cmd(a, exe, [child]), tmp, env, timeout=spec.timeout)
    want_out = native.out.replace('status 0', 'status 66')
    if res.timed_out:
        fails.append('watched: timed out')
    else:
        if res.out != want_out:
            fails.append('watched: stdout (each exec\'d child must report and exit 66):\n'
                         + rpt.stdout_diff(want_out, res.out))
        if res.rc != 66:
            fails.append('watched: exit status %s, expected 66 (the final exec\'d image reports)'
                         % res.rc)
        lines = rpt.ANSI.sub('', res.err).split('\n')
        n_blocks = lines.count(LOCKORDER_TITLE)
        n_found = lines.count('Found 1 potential deadlock(s)')
        if n_blocks != 3 or n_found != 3:
            fails.append('watched: expected 3 lock-order reports and 3 "Found 1 potential '
                         'deadlock(s)" (fork+exec, system, exec in place), got %d and %d'
                         % (n_blocks, n_found))
        tops = [lines[i + 2].strip() for i, l in enumerate(lines)
                if l.startswith('Mutex ') and ' acquired here while holding ' in l and i + 2 < len(lines)]
        if any('exec_child.c' not in t for t in tops):
            fails.append('watched: lock-order stacks should point into exec_child.c: %s' % tops)
        if not lines or [l for l in lines if l][-1] != 'exit status 66':
            fails.append('watched: last stderr line should be "exit status 66"')
    if fails:
        fails.append(show('watched', res))
    # --follow-exec=0: as native
    res0 = rpt.run(racewatch_cmd(a, exe, [child], ['--follow-exec=0']), tmp, env, timeout=spec.timeout)
    f0 = expect_as_native(native, res0, 'racewatch run --follow-exec=0 (%s)' % a.mode)
    if f0:
        fails += f0 + [show('follow-exec=0', res0)]
    if fails:
        raise Failure('\n'.join(fails) + '\n' + show('native', native))


def unwatched_check(a, exe, tmp, env, kind, timeout=60):
    """Run exe natively and by `racewatch run`: one racewatch line, then the
    program as native, status kept."""
    native = rpt.run([exe], tmp, env, timeout=timeout)
    if native.timed_out:
        raise Failure('native run timed out\n' + show('native', native))
    res = rpt.run(racewatch_cmd(a, exe, []), tmp, env, timeout=timeout)
    fails = []
    if res.timed_out:
        raise Failure('racewatch run timed out\n' + show('racewatch', res))
    if res.rc != native.rc:
        fails.append('exit status %s, natively %s (the status must be kept)' % (res.rc, native.rc))
    if res.out != native.out:
        fails.append('stdout differs:\n' + rpt.stdout_diff(native.out, res.out))
    lines = res.err.split('\n')
    msg = lines[0] if lines else ''
    want_msg = 'racewatch: %s is %s' % (exe, kind)
    if not (msg.startswith(want_msg) and msg.endswith('running it unwatched')):
        fails.append('first stderr line: expected %r...%r, got %r'
                     % (want_msg, 'running it unwatched', msg))
    rest = '\n'.join(lines[1:])
    want_rest = native.err + ('exit status %d\n' % native.rc if native.rc else '')
    if rest != want_rest:
        fails.append('stderr after the message line differs from native (+ exit status line):\n'
                     + rpt.stdout_diff(want_rest, rest))
    if fails:
        raise Failure('\n'.join(fails) + '\n' + show('native', native) + '\n' + show('racewatch', res))
    return native


def case_static(a, tmp, env):
    src = os.path.join(HERE, 'unwatched.c')
    exe = os.path.join(tmp, 'static_prog')
    r = rpt.run([a.cc, '-g', '-O1', '-static', '-pthread', '-o', exe, src], tmp, env, timeout=180)
    if r.timed_out or r.rc != 0:
        print('SKIP: cannot link statically (libc.a missing?)\n' + r.err[-2000:])
        return SKIP
    native = unwatched_check(a, exe, tmp, env, 'statically linked')
    if native.rc != 5 or not native.out.startswith('unwatched: euid '):
        raise Failure('the program itself misbehaves natively:\n' + show('native', native))
    return 0


def case_setuid(a, tmp, env):
    if os.geteuid() != 0:
        print('SKIP: setuid test needs root (to chown the copy to nobody)')
        return SKIP
    try:
        nobody = pwd.getpwnam('nobody')
    except KeyError:
        print('SKIP: no user "nobody"')
        return SKIP
    src = os.path.join(HERE, 'unwatched.c')
    # the directory must be reachable once the program runs as nobody
    os.chmod(tmp, 0o755)
    exe = os.path.join(tmp, 'setuid_prog')
    build([a.cc, '-g', '-O1', '-pthread', '-o', exe, src], tmp, env)
    try:
        os.chown(exe, nobody.pw_uid, nobody.pw_gid)
        os.chmod(exe, 0o4755)
    except OSError as e:
        print('SKIP: cannot make a set-user-ID copy: %s' % e)
        return SKIP
    if not os.stat(exe).st_mode & stat.S_ISUID:
        print('SKIP: the set-user-ID bit did not stick')
        return SKIP
    probe = rpt.run([exe], tmp, env, timeout=30)
    if probe.out.strip() != 'unwatched: euid %d' % nobody.pw_uid:
        print('SKIP: set-user-ID has no effect here (nosuid mount?): %r' % probe.out)
        return SKIP
    native = unwatched_check(a, exe, tmp, env, 'set-user-ID')
    if native.rc != 5:
        raise Failure('the program itself misbehaves natively:\n' + show('native', native))
    return 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--mode', choices=['instrumented', 'preload', 'ldpreload'], default='preload')
    ap.add_argument('--lib', help='libracewatch.so (for --mode ldpreload)')
    ap.add_argument('--racewatch', required=True)
    ap.add_argument('--racewatch-cc')
    ap.add_argument('--cc', default='gcc')
    ap.add_argument('--case', choices=['exec', 'static', 'setuid'])
    ap.add_argument('--keep', action='store_true')
    ap.add_argument('src', nargs='?')
    a = ap.parse_args(argv)
    name = a.case or a.src
    if not a.case and not a.src:
        ap.error('give TEST.c or --case')
    if a.mode == 'ldpreload' and (a.case or not a.lib or not os.path.isfile(a.lib)):
        print('SKIP: %s: --mode ldpreload needs --lib and a TEST.c' % name)
        return SKIP
    for tool in [a.racewatch] + ([a.racewatch_cc] if a.mode == 'instrumented' else []):
        if not tool or not os.path.isfile(tool) or not os.access(tool, os.X_OK):
            print('SKIP: %s: %r not available' % (name, tool))
            return SKIP
    if not shutil.which(a.cc):
        print('SKIP: %s: %s not found' % (name, a.cc))
        return SKIP
    env = rpt.clean_env()
    tmp = tempfile.mkdtemp(prefix='rw-robust-')
    try:
        if a.case == 'exec':
            rc = case_exec(a, tmp, env)
        elif a.case == 'static':
            rc = case_static(a, tmp, env)
        elif a.case == 'setuid':
            rc = case_setuid(a, tmp, env)
        else:
            rc = generic(a, os.path.abspath(a.src), tmp, env)
        if rc:
            return rc
        print('PASS: %s [%s]' % (name, a.mode))
        return 0
    except Failure as e:
        print('FAIL: %s [%s]\n%s' % (name, a.mode, e))
        return 1
    except (ValueError, OSError) as e:
        print('FAIL: %s [%s]: %s' % (name, a.mode, e))
        return 1
    finally:
        if a.keep:
            print('kept %s' % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
