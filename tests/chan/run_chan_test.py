#!/usr/bin/env python3
"""run_chan_test.py: run one detector integration test of tests/chan/progs/.

Each test is a small C program using libracewatch-chan, carrying its
expected racewatch outcome in comment lines of its own source:

    // RACEWATCH-EXPECT: exit=66
    // RACEWATCH-EXPECT: stdout=done\\n
    // RACEWATCH-EXPECT: races=1
    // RACEWATCH-EXPECT: race @write_after @read
    // RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
    // RACEWATCH-EXPECT: thread 1 [chan send] @send
    // RACEWATCH-EXPECT: native=hang

`@name` is the source line carrying the marker `/* @name */` (a plain
number is a line number).  The program is compiled with -g -O1, linked
with libracewatch-chan (shared with an rpath, or the static archive into a
PIE with --link static) and run under `racewatch run --color=never`:

  --mode instrumented   compiled by racewatch-cc (ThreadSanitizer
                        instrumentation, libracewatch linked)
  --mode preload        compiled by plain gcc; `racewatch run` preloads
                        libracewatch.so
  --mode native         plain gcc, run without racewatch: checks the program
                        itself (a deadlock program must still hang after
                        3 s, the others must exit 0 / the panic status 2).

Checks, all of them strict:
  exit=N        the exit status of `racewatch run`; when N != 0 the last
                line of stderr must be `exit status N`.
  stdout=S      the program's stdout, exactly (\\n escapes).
  races=N       N `WARNING: DATA RACE` blocks and `Found N data race(s)`
                (none of either when 0).
  race @a @b    a race report whose two accesses have their first frames
                in the test file at lines a and b (either order); with race
                lines every report must be one of them.
  first-line=T  the first line of stderr.
  fatal=T       a fatal report whose first line is T ends the run, after
                race reports (first-line= when it must come first).
  access K @l   a race report has an access whose line starts `K at 0x`
                (K: Write, Read, Previous read, Previous write, ...) and
                whose first frame is in the test file at line l.
  location P @l every race report's `Location is ...` line matches the
                glob P (`*` for the address) and its stack's first frame
                is in the test file at line l (` @l` may be left out).
  thread N [R] @l
                the fatal report (deadlock or panic) lists `thread N [R]:`
                and that thread's stack starts in the test file at line l
                (no frame of the library above it, as Go's reports show no
                runtime frame); with thread lines, exactly those threads
                are listed.
Every line of stderr must belong to a report block, a fatal report, a
`Found ...` summary or the final `exit status N`: anything else fails, and
so does a fatal report or any `==================` block no expectation
asks for.

Exit status: 0 pass, 1 fail, 77 skip (tools missing).
"""

import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(HERE, '..', 'programs'))
import run_program_test as rpt  # noqa: E402  (helpers: run, clean_env, parse_racewatch...)

TIMEOUT = 30
NATIVE_HANG = 3
SKIP = 77
SEP = '=================='
INCLUDE = os.path.join(HERE, '..', '..', 'include')

EXPECT_RE = re.compile(r'^\s*//\s*RACEWATCH-EXPECT:\s*(.*?)\s*$')
MARKER_RE = re.compile(r'/\*\s*@([A-Za-z0-9_]+)\s*\*/')
THREAD_EXP_RE = re.compile(r'^thread (\d+) \[([^\]]+)\] (@\w+|\d+)$')
THREAD_HEAD_RE = re.compile(r'^thread (\d+) \[([^\]]+)\]:$')
GO_FUNC_RE = re.compile(r'^(\S.*)\(\)$')
GO_LOC_RE = re.compile(r'^\t(?:(.+):(\d+) \+0x[0-9a-f]+|(\S+)\+0x[0-9a-f]+)$')
CREATED_RE = re.compile(r'^created by (\S+)\(\) in thread (\d+)$')
FOUND_RE = re.compile(r'^Found (\d+) (.+)$')
EXIT_RE = re.compile(r'^exit status (\d+)$')
FATAL_RE = re.compile(r'^(fatal error|panic): ')


class SpecError(Exception):
    pass


class Expect:
    def __init__(self, path):
        self.base = os.path.basename(path)
        self.exit = None
        self.stdout = None
        self.races = 0
        self.pairs = []
        self.first_line = None
        self.threads = {}
        self.native = None
        self.fatal = None
        self.accesses = []
        self.location = None
        self.markers = {}
        with open(path, encoding='utf-8') as f:
            src = f.read().split('\n')
        for no, line in enumerate(src, 1):
            for m in MARKER_RE.finditer(line):
                if m.group(1) in self.markers:
                    raise SpecError('marker @%s defined twice' % m.group(1))
                self.markers[m.group(1)] = no
        for no, line in enumerate(src, 1):
            m = EXPECT_RE.match(line)
            if m:
                self._parse(m.group(1), no)
        if self.exit is None:
            raise SpecError('no "RACEWATCH-EXPECT: exit=N" line')
        if self.pairs and len(self.pairs) > self.races:
            raise SpecError('more race lines than races=%d' % self.races)
        if self.fatal is not None and self.first_line is not None:
            raise SpecError('fatal= and first-line= together')
        if self.threads and not self.fatal_title():
            raise SpecError('thread lines need a first-line= or fatal= of a fatal report')

    def ref(self, tok, no):
        if tok.startswith('@'):
            if tok[1:] not in self.markers:
                raise SpecError('line %d: marker %s not found' % (no, tok))
            return self.markers[tok[1:]]
        if tok.isdigit():
            return int(tok)
        raise SpecError('line %d: bad line reference %r' % (no, tok))

    def _parse(self, v, no):
        if v.startswith('exit='):
            self.exit = int(v[5:])
        elif v.startswith('stdout='):
            self.stdout = rpt.unescape(v[7:])
        elif v.startswith('races='):
            self.races = int(v[6:])
        elif v.startswith('race '):
            toks = v.split()
            if len(toks) != 3:
                raise SpecError('line %d: "race A B" takes two line references' % no)
            self.pairs.append((self.ref(toks[1], no), self.ref(toks[2], no), v))
        elif v.startswith('first-line='):
            self.first_line = v[11:]
        elif v.startswith('thread '):
            m = THREAD_EXP_RE.match(v)
            if not m:
                raise SpecError('line %d: expected "thread N [REASON] @line"' % no)
            self.threads[int(m.group(1))] = (m.group(2), self.ref(m.group(3), no), v)
        elif v.startswith('fatal='):
            self.fatal = v[6:]
        elif v.startswith('access '):
            m = re.match(r'^access (.+?) (@\w+|\d+)$', v)
            if not m:
                raise SpecError('line %d: expected "access KIND @line"' % no)
            self.accesses.append((m.group(1), self.ref(m.group(2), no), v))
        elif v.startswith('location '):
            m = re.match(r'^location (.+?)(?: (@\w+|\d+))?$', v)
            self.location = (m.group(1), self.ref(m.group(2), no) if m.group(2) else None, v)
        elif v in ('native=hang', 'native=exit'):
            self.native = v[7:]
        else:
            raise SpecError('line %d: unknown expectation %r' % (no, v))

    def fatal_title(self):
        """The fatal report's first line this test expects, or None."""
        if self.first_line is not None and FATAL_RE.match(self.first_line):
            return self.first_line
        return self.fatal

    def name_of(self, n):
        names = [k for k, v in self.markers.items() if v == n]
        return '%d (@%s)' % (n, names[0]) if names else str(n)


# --- parsing stderr --------------------------------------------------------------

class ThreadBlock:
    def __init__(self, number, reason):
        self.number, self.reason, self.frames = number, reason, []


def parse(stderr):
    """(fatal title or None, [ThreadBlock], [blocks], {found}, [exit lines], [stray])."""
    lines = rpt.ANSI.sub('', stderr).split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    fatals, threads, blocks, found, exits, stray = [], [], [], {}, [], []
    i = 0
    while i < len(lines):
        line = lines[i]
        if FATAL_RE.match(line) and not line.startswith(' '):
            fatals.append(line)
            i += 1
            while i < len(lines) and lines[i] == '':
                i += 1
                m = THREAD_HEAD_RE.match(lines[i]) if i < len(lines) else None
                if not m:
                    break
                tb = ThreadBlock(int(m.group(1)), m.group(2))
                threads.append(tb)
                i += 1
                while i + 1 < len(lines) and lines[i] != '':
                    fm, lm = GO_FUNC_RE.match(lines[i]), GO_LOC_RE.match(lines[i + 1])
                    if CREATED_RE.match(lines[i]) and lm:
                        i += 2
                        continue
                    if not fm or not lm:
                        break
                    tb.frames.append((fm.group(1), lm.group(1),
                                      int(lm.group(2)) if lm.group(2) else None))
                    i += 2
            continue
        if line == SEP:
            block = []
            i += 1
            while i < len(lines) and lines[i] != SEP:
                block.append(lines[i])
                i += 1
            blocks.append(block)
            i += 1
            continue
        m = FOUND_RE.match(line)
        if m:
            found[m.group(2)] = found.get(m.group(2), []) + [int(m.group(1))]
        elif EXIT_RE.match(line):
            exits.append((i, int(EXIT_RE.match(line).group(1))))
        else:
            stray.append(line)
        i += 1
    return lines, fatals, threads, blocks, found, exits, stray


def first_in(frames, base):
    """(line, index) of the first frame in the test file."""
    for k, (_, file, line) in enumerate(frames):
        if file and os.path.basename(file) == base:
            return line, k
    return None, len(frames)


def check(exp, res):
    if res.timed_out:
        return ['timed out after %d s: a hang, the deadlock was not reported' % TIMEOUT]
    fails = []
    base = exp.base
    if res.rc != exp.exit:
        fails.append('exit status: expected %d, got %s' % (exp.exit, res.rc))
    if exp.stdout is not None and res.out != exp.stdout:
        fails.append('stdout differs:\n' + rpt.stdout_diff(exp.stdout, res.out))
    lines, fatals, threads, blocks, found, exits, stray = parse(res.err)
    for s in stray:
        fails.append('stderr line that no report explains: %r' % s)
    if exp.exit != 0:
        if not exits or exits[-1] != (len(lines) - 1, exp.exit) or len(exits) > 1:
            fails.append('last line of stderr: expected "exit status %d", got %r'
                         % (exp.exit, lines[-1] if lines else ''))
    elif exits:
        fails.append('unexpected "exit status %d" line' % exits[-1][1])
    if exp.first_line is not None:
        first = lines[0] if lines else ''
        if first != exp.first_line:
            fails.append('first line of stderr: expected %r, got %r' % (exp.first_line, first))

    # data races: the blocks, the pairs of lines, the summary
    reports, others, _ = rpt.parse_racewatch(res.err)
    if len(reports) != exp.races:
        fails.append('race reports: expected %d, got %d' % (exp.races, len(reports)))
        for r in reports:
            fails.append('  ' + rpt.describe_report(r, base, exp_for_rpt(exp)))
    if exp.pairs:
        rpt.match_pairs(exp_for_rpt(exp), reports, base, fails)
    want_found = [exp.races] if exp.races else []
    if found.get('data race(s)', []) != want_found:
        fails.append('"Found N data race(s)": expected %s, got %s'
                     % (want_found, found.get('data race(s)', [])))
    for b in blocks:
        if not b or b[0] != 'WARNING: DATA RACE':
            fails.append('unexpected report block: %r' % (b[0] if b else ''))

    # the fatal report (deadlock or panic)
    for kind, line, text in exp.accesses:
        if not any(acc is not None and acc.head.startswith(kind + ' at 0x')
                   and acc.top_in(base) == (line, 0)
                   for r in reports for acc in (r.cur, r.prev)):
            fails.append('%s: no such access; got: %s'
                         % (text, '; '.join(rpt.describe_report(r, base, exp_for_rpt(exp))
                                            for r in reports) or 'no report'))
    if exp.location is not None:
        pattern, line, text = exp.location
        for b in blocks:
            if not b or b[0] != 'WARNING: DATA RACE':
                continue
            k = next((i for i, l in enumerate(b) if l.startswith('Location is ')), None)
            if k is None or not fnmatch.fnmatchcase(b[k], pattern):
                fails.append('%s: got %r' % (text, b[k] if k is not None else 'no location'))
                continue
            if line is not None:
                frames = []
                i = k + 1
                while i + 1 < len(b) and rpt.FUNC_RE.match(b[i]):
                    lm = rpt.LOC_RE.match(b[i + 1])
                    frames.append((rpt.FUNC_RE.match(b[i]).group(1),
                                   lm.group(1) if lm else None,
                                   int(lm.group(2)) if lm else None))
                    i += 2
                fl, fk = first_in(frames, base)
                if fl != line or fk != 0:
                    fails.append('%s: its stack starts with %s' % (
                        text, ', '.join('%s() %s:%s' % f for f in frames) or 'nothing'))
    want_fatal = exp.fatal_title()
    if not want_fatal and fatals:
        fails.append('unexpected fatal report: %r' % fatals[0])
    if want_fatal:
        if fatals != [want_fatal]:
            fails.append('fatal reports: expected [%r], got %r' % (want_fatal, fatals))
        got = {}
        for tb in threads:
            if tb.number in got:
                fails.append('thread %d listed twice' % tb.number)
            got[tb.number] = tb
        if exp.threads and set(got) != set(exp.threads):
            fails.append('threads listed: expected %s, got %s'
                         % (sorted(exp.threads), sorted(got)))
        for n, (reason, line, text) in sorted(exp.threads.items()):
            tb = got.get(n)
            if tb is None:
                continue
            if tb.reason != reason:
                fails.append('%s: got "thread %d [%s]:"' % (text, n, tb.reason))
            fl, k = first_in(tb.frames, base)
            if fl != line or k != 0:
                fails.append('%s: stack expected to start in %s at line %s, got first frame '
                             'there %s (frame %d); frames: %s'
                             % (text, base, exp.name_of(line), fl, k,
                                ', '.join('%s() %s:%s' % f for f in tb.frames) or 'none'))
        for kind, n in found.items():
            if kind != 'data race(s)' and n != [1]:
                fails.append('"Found %s %s": expected at most one fatal report' % (n, kind))
    else:
        for kind, n in found.items():
            if kind != 'data race(s)':
                fails.append('unexpected "Found %s %s"' % (n, kind))
    return fails


def exp_for_rpt(exp):
    """The view of exp that run_program_test's helpers expect."""
    class View:
        pass
    v = View()
    v.pairs = exp.pairs
    v.describe_line = exp.name_of
    return v


# --- main ----------------------------------------------------------------------------

def fail(src, tag, fails, res=None, cmd=None):
    return rpt.fail(src, fails, res, cmd, tag=tag)


executable = rpt.executable


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--mode', choices=['instrumented', 'preload', 'native'], required=True)
    ap.add_argument('--link', choices=['shared', 'static'], default='shared')
    ap.add_argument('--chan-lib-dir', required=True,
                    help='directory of libracewatch-chan.so and libracewatch-chan.a')
    ap.add_argument('--racewatch')
    ap.add_argument('--racewatch-cc')
    ap.add_argument('--cc', default='gcc')
    ap.add_argument('--keep', action='store_true')
    ap.add_argument('--repeat', type=int, metavar='N',
                    help='run N times, alternating both CPUs free and taskset -c 0 '
                         '(RACEWATCH_STRESS_REPEAT overrides N)')
    ap.add_argument('src')
    a = ap.parse_args(argv)
    src = a.src
    tag = '%s, %s' % (a.mode, a.link)
    try:
        exp = Expect(src)
    except (SpecError, OSError, ValueError) as e:
        return fail(src, tag, ['bad test file: %s' % e])

    env = rpt.clean_env()
    if a.mode == 'instrumented':
        if not executable(a.racewatch_cc) or not executable(a.racewatch):
            print('SKIP: %s: racewatch-cc / racewatch not available' % src)
            return SKIP
        compiler = [os.path.abspath(a.racewatch_cc)]
    else:
        if not shutil.which(a.cc):
            print('SKIP: %s: %s not found' % (src, a.cc))
            return SKIP
        if a.mode == 'preload' and not executable(a.racewatch):
            print('SKIP: %s: racewatch not available' % src)
            return SKIP
        compiler = [a.cc]
    libdir = os.path.abspath(a.chan_lib_dir)
    if a.link == 'shared':
        lib = ['-L' + libdir, '-lracewatch-chan', '-Wl,-rpath,' + libdir]
    else:
        lib = [os.path.join(libdir, 'libracewatch-chan.a'), '-pie']

    tmp = tempfile.mkdtemp(prefix='rw-chan-')
    try:
        exe = os.path.join(tmp, os.path.splitext(exp.base)[0])
        ccmd = [*compiler, '-g', '-O1', '-fPIE', '-I' + os.path.abspath(INCLUDE),
                '-o', exe, os.path.abspath(src), *lib, '-pthread']
        cres = rpt.run(ccmd, tmp, env, timeout=120)
        if cres.timed_out or cres.rc != 0:
            return fail(src, tag, ['compilation failed (status %s)' % cres.rc], cres, ccmd)
        if a.mode == 'native':
            res = rpt.run([exe], tmp, env,
                          timeout=NATIVE_HANG if exp.native == 'hang' else TIMEOUT)
            fails = []
            if exp.native == 'hang':
                if not res.timed_out:
                    fails.append('natively the program should hang, it exited %s' % res.rc)
            elif res.timed_out:
                fails.append('natively it hung')
            else:
                want = 0 if exp.exit == 66 else exp.exit
                if res.rc != want:
                    fails.append('native exit status: expected %d, got %s' % (want, res.rc))
                if exp.stdout is not None and res.out != exp.stdout:
                    fails.append('stdout differs:\n' + rpt.stdout_diff(exp.stdout, res.out))
            if fails:
                return fail(src, tag, fails, res, [exe])
            print('PASS: %s [%s]' % (src, tag))
            return 0
        cmd = [os.path.abspath(a.racewatch), 'run', '--color=never', './' + os.path.basename(exe)]
        elapsed = 0.0

        def run_and_check(prefix):
            nonlocal elapsed
            t0 = time.monotonic()
            res = rpt.run(prefix + cmd, tmp, env, timeout=TIMEOUT)
            elapsed = max(elapsed, time.monotonic() - t0)
            return check(exp, res), res, prefix + cmd

        runs = rpt.repeat_count(a.repeat)
        fails, res, cmd = rpt.run_repeated(runs, run_and_check)
        if fails:
            return fail(src, tag, fails, res, cmd)
        print('PASS: %s [%s] (%.2f s%s)' % (src, tag, elapsed,
                                            ' at most, %d runs' % runs if runs > 1 else ''))
        return 0
    finally:
        if a.keep:
            print('kept %s' % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
