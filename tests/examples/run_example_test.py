#!/usr/bin/env python3
"""run_example_test.py: run one program of examples/ under racewatch and
check its output and its report against expectations in its own source.

The examples are built by examples/meson.build (racewatch-cc -g -O1, linked
with libracewatch-chan); this runner takes the built program and its source:

    run_example_test.py --racewatch build/tools/racewatch \\
        --exe build/examples/hello_channel examples/hello_channel.c

runs `racewatch run --color=never ./NAME` in a temporary directory and
parses stderr strictly (every line must belong to a report, a summary line
or the final `exit status N`).  The expectations are comment lines of the
example's source:

    // RACEWATCH-EXPECT: exit=66          exact status of `racewatch run` (required)
    // RACEWATCH-EXPECT: out=first line   stdout, one line each (in order) ...
    // RACEWATCH-EXPECT: stdout=a\\nb\\n    ... or all of it with \\n escapes
    // RACEWATCH-EXPECT: first-line=WARNING: DATA RACE
    // RACEWATCH-EXPECT: races=1          race reports and "Found 1 data race(s)"
    // RACEWATCH-EXPECT: race @inc @inc   one report's two accesses at these lines
    // RACEWATCH-EXPECT: thread 1 [chan send] @send
    // RACEWATCH-EXPECT: thread 2 [chan receive] @recv from 1 @go

`@name` is the line carrying the marker `/* @name */`, a plain number a line
number.  `first-line` is compared with the first line of stderr, which for a
race is the `==================` separator's successor: the runner checks the
first line that is not the separator.  With no `out=`/`stdout=` key, stdout
is not checked (only counter_race.c, whose count is unpredictable, does that).

Races: the number of race blocks must equal `races=` (default 0) and every
report must match a `race` line and vice versa; a race line matches a report
whose current and previous access have their first frame in the example file
at those two lines, in either order.  A fatal report (`fatal error: ...` or a
`panic: ...`) is expected when `thread` lines are given: exactly those
threads, each `thread N [REASON]:` with its first frame in the example file
at @top (library frames above it are skipped) and, for threads other than 1,
`created by F() in thread M` at @create.  Anything else on stderr (lock-order
or misuse blocks, stray lines) fails the test.  With no report expected and
exit status 0 stderr must be empty.

Exit status: 0 pass, 1 fail, 77 skip (racewatch or the example missing).
"""

import argparse
import os
import re
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(HERE, '..', 'programs'))
sys.path.insert(0, os.path.join(HERE, '..', 'deadlock'))
import run_program_test as rpt   # noqa: E402  (run, clean_env, race report parsing)
import run_deadlock_test as rdt  # noqa: E402  (strict stderr parsing, fatal reports)

TIMEOUT = 60
SKIP = 77
EXPECT_RE = re.compile(r'^\s*//\s*RACEWATCH-EXPECT:\s?(.*?)\s*$')
MARKER_RE = re.compile(r'/\*\s*@([A-Za-z0-9_]+)\s*\*/')
THREAD_RE = re.compile(r'^thread (\d+) \[([^\]]+)\] (@\w+|\d+)(?: from (\d+) (@\w+|\d+))?$')
PANIC_TAG = 'fatal error: <panic> '
FATAL_COUNT_RE = re.compile(r'^Found (\d+) (deadlock\(s\)|misuse error\(s\))$')


class SpecError(Exception):
    pass


class Expect:
    def __init__(self, path):
        self.base = os.path.basename(path)
        self.exit = None
        self.stdout = None
        self.out_lines = None
        self.first_line = None
        self.races = 0
        self.pairs = []          # (lineA, lineB, text), the shape rpt.match_pairs wants
        self.threads = {}        # n -> (reason, top, parent, create, text)
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
        if self.out_lines is not None:
            if self.stdout is not None:
                raise SpecError('both stdout= and out= given')
            self.stdout = ''.join(l + '\n' for l in self.out_lines)
        if self.races != len(self.pairs):
            raise SpecError('races=%d but %d race lines' % (self.races, len(self.pairs)))
        if self.races and self.threads:
            raise SpecError('an example either races or ends in a fatal report')

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
        elif v.startswith('out='):
            self.out_lines = (self.out_lines or []) + [v[4:]]
        elif v.startswith('first-line='):
            self.first_line = v[11:]
        elif v.startswith('races='):
            self.races = int(v[6:])
        elif v.startswith('race '):
            toks = v.split()
            if len(toks) != 3:
                raise SpecError('line %d: "race A B" takes two line references' % no)
            self.pairs.append((self.ref(toks[1], no), self.ref(toks[2], no), v))
        elif v.startswith('thread '):
            m = THREAD_RE.match(v)
            if not m:
                raise SpecError('line %d: expected "thread N [REASON] @top [from M @create]"' % no)
            n = int(m.group(1))
            if n in self.threads:
                raise SpecError('line %d: thread %d listed twice' % (no, n))
            if n != 1 and not m.group(4):
                raise SpecError('line %d: thread %d needs "from M @create"' % (no, n))
            self.threads[n] = (m.group(2), self.ref(m.group(3), no),
                               int(m.group(4)) if m.group(4) else None,
                               self.ref(m.group(5), no) if m.group(5) else None, v)
        else:
            raise SpecError('line %d: unknown expectation %r' % (no, v))

    def describe_line(self, n):
        names = [k for k, v in self.markers.items() if v == n]
        return '%d (@%s)' % (n, names[0]) if names else str(n)


def first_in_file(frames, base):
    """The first frame of `frames` in the example's own file, or None."""
    for fr in frames:
        if fr.file and os.path.basename(fr.file) == base:
            return fr
    return None


def check(exp, res):
    if res.timed_out:
        return ['timed out after %d s' % TIMEOUT]
    fails = []
    base = exp.base
    if res.rc != exp.exit:
        fails.append('exit status: expected %d, got %s' % (exp.exit, res.rc))
    if exp.stdout is not None and res.out != exp.stdout:
        fails.append('stdout differs:\n' + rpt.stdout_diff(exp.stdout, res.out))

    # A panic has the shape of a fatal report under another title.
    text = rpt.ANSI.sub('', res.err)
    text = re.sub(r'(?m)^panic: ', PANIC_TAG, text)
    p = rdt.parse_stderr(text)
    fails += ['malformed report: ' + e for e in p.errors]
    lines = rpt.ANSI.sub('', res.err).split('\n')
    if lines and lines[-1] == '':
        lines.pop()

    # `exit status N` last, and only when non-zero
    if exp.exit != 0:
        if not lines or lines[-1] != 'exit status %d' % exp.exit:
            fails.append('last line of stderr: expected "exit status %d", got %r'
                         % (exp.exit, lines[-1] if lines else ''))
        if len(p.exit_lines) != 1:
            fails.append('%d "exit status" lines' % len(p.exit_lines))
    elif p.exit_lines:
        fails.append('unexpected "exit status %d" line' % p.exit_lines[-1][1])

    if exp.first_line is not None:
        first = next((l for l in lines if l != rdt.SEP), '')
        if first != exp.first_line:
            fails.append('first line of the report: expected %r, got %r' % (exp.first_line, first))

    # data races
    races = [b for b in p.blocks if b and b[0] == 'WARNING: DATA RACE']
    others = [b for b in p.blocks if not (b and b[0] == 'WARNING: DATA RACE')]
    for b in others:
        fails.append('unexpected report block: %r' % (b[0] if b else ''))
    if len(races) != exp.races:
        fails.append('race reports: expected %d, got %d' % (exp.races, len(races)))
    found = p.found.get('data race(s)', [])
    if exp.races and found != [exp.races]:
        fails.append('"Found %d data race(s)": got %s' % (exp.races, found or 'no such line'))
    if not exp.races and found:
        fails.append('unexpected "Found %s data race(s)"' % found)
    for kind in ('potential deadlock(s)', 'misuse warning(s)'):
        if p.found.get(kind):
            fails.append('unexpected "Found %s %s"' % (p.found[kind], kind))
    # After a fatal report the runtime may count it: `Found 1 deadlock(s)`
    # after a deadlock, `Found 1 misuse error(s)` after a panic.
    fatal_kind = None
    if exp.threads and p.fatals:
        fatal_kind = 'misuse error(s)' if p.fatals[0].title.startswith(PANIC_TAG) else 'deadlock(s)'
    for m in filter(None, map(FATAL_COUNT_RE.match, lines)):
        if m.group(2) != fatal_kind or m.group(1) != '1':
            fails.append('unexpected %r' % m.group(0))
    p.stray = [l for l in p.stray if not FATAL_COUNT_RE.match(l)]
    reports = rpt.parse_racewatch(res.err)[0]
    for r in reports:
        if r.cur is None or r.prev is None:
            fails.append('malformed race report:\n' + r.text)
    if exp.races or reports:
        sub = []
        rpt.match_pairs(exp, reports, base, sub)
        if not exp.pairs:
            sub += ['unexpected race report:\n      ' + rpt.describe_report(r, base, exp)
                    for r in reports]
        fails += sub

    fails += ['stderr line that no report explains: %r' % s for s in p.stray]

    # the fatal report (deadlock or panic)
    if len(p.fatals) != (1 if exp.threads else 0):
        fails.append('fatal reports: expected %d, got %d (%s)' % (
            1 if exp.threads else 0, len(p.fatals),
            ', '.join(repr(f.title.replace(PANIC_TAG, 'panic: ')) for f in p.fatals)))
    if exp.threads and p.fatals:
        got = {}
        for tb in p.fatals[0].threads:
            if tb.number in got:
                fails.append('thread %d listed twice' % tb.number)
            got[tb.number] = tb
        if set(got) != set(exp.threads):
            fails.append('threads listed: expected %s, got %s' % (sorted(exp.threads), sorted(got)))
        for n, (reason, top, parent, create, text) in sorted(exp.threads.items()):
            tb = got.get(n)
            if tb is None:
                continue
            if tb.reason != reason:
                fails.append('%s: got "thread %d [%s]:"' % (text, n, tb.reason))
            fr = first_in_file(tb.frames, base)
            if fr is None or fr.line != top:
                fails.append('%s: first frame in %s expected at line %s, got %s (stack: %s)' % (
                    text, base, exp.describe_line(top), fr and fr.line,
                    ' / '.join(str(f) for f in tb.frames)))
            if parent is None:
                if tb.parent is not None:
                    fails.append('%s: unexpected "created by %s() in thread %d"'
                                 % (text, tb.parent[0], tb.parent[1]))
            elif tb.parent is None:
                fails.append('%s: no "created by ... in thread %d" line' % (text, parent))
            else:
                pfunc, pthr, pfr = tb.parent
                if pthr != parent:
                    fails.append('%s: created by thread %d, expected %d' % (text, pthr, parent))
                if pfr.file is None or os.path.basename(pfr.file) != base or pfr.line != create:
                    fails.append('%s: "created by" location expected at %s:%s, got %r'
                                 % (text, base, exp.describe_line(create), pfr.raw.strip()))

    if not exp.races and not exp.threads and exp.exit == 0 and res.err:
        fails.append('expected an empty stderr, got %d line(s), first %r'
                     % (len(lines), lines[0] if lines else ''))
    return fails


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--racewatch', required=True)
    ap.add_argument('--exe', required=True, help='the example, built by examples/meson.build')
    ap.add_argument('--repeat', type=int, metavar='N',
                    help='run N times, alternating both CPUs free and taskset -c 0 '
                         '(RACEWATCH_STRESS_REPEAT overrides N)')
    ap.add_argument('src', help="the example's source (holds the expectations)")
    a = ap.parse_args(argv)
    try:
        exp = Expect(a.src)
    except (SpecError, OSError, ValueError) as e:
        print('FAIL: %s: bad expectations: %s' % (a.src, e))
        return 1
    for tool in (a.racewatch, a.exe):
        if not rpt.executable(tool):
            print('SKIP: %s: %s not available' % (a.src, tool))
            return SKIP
    tmp = tempfile.mkdtemp(prefix='rw-example-')
    try:
        exe = os.path.join(tmp, os.path.basename(a.exe))
        shutil.copy2(a.exe, exe)
        cmd = [os.path.abspath(a.racewatch), 'run', '--color=never', './' + os.path.basename(exe)]

        def run_and_check(prefix):
            res = rpt.run(prefix + cmd, tmp, rpt.clean_env(), timeout=TIMEOUT)
            return check(exp, res), res, prefix + cmd

        runs = rpt.repeat_count(a.repeat)
        fails, res, cmd = rpt.run_repeated(runs, run_and_check)
        if fails:
            return rpt.fail(a.src, fails, res, cmd)
        print('PASS: %s%s' % (a.src, ' (%d runs)' % runs if runs > 1 else ''))
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
