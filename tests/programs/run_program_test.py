#!/usr/bin/env python3
"""run_program_test.py: run one program test of tests/programs/.

Each test is a small threaded C program carrying its expected outcome in
comment lines of its own source (see README.md next to this file):

    // RACEWATCH-EXPECT: exit=66
    // RACEWATCH-EXPECT: races=1
    // RACEWATCH-EXPECT: race @inc @inc
    // RACEWATCH-EXPECT: stdout=done\\n
    // RACEWATCH-EXPECT: location=global counter
    // RACEWATCH-EXPECT: prev=free

`@name` refers to the source line that ends with the marker `/* @name */`;
a plain number is a line number.  A race expectation matches a report whose
two accesses (current and previous) have their top frames at those two lines,
in either order.  The "top frame" of an access is its first frame in the test
file itself: interceptor frames above it (memcpy(), free(), ...) are skipped,
and reported as such when a check fails.

Modes:
  (default)  compile with racewatch-cc, run under `racewatch run`, check the
             report text against the expectations (shared/spec/reports.md).
  --native   compile with plain cc, run, check it terminates, exits 0 (the
             racy programs exit 0 natively too) and prints the expected stdout.
  --tsan     compile with gcc -fsanitize=thread (libtsan), check that
             ThreadSanitizer agrees, except where the source documents a known
             ThreadSanitizer divergence with `// TSAN-EXPECT: ...` lines:
                 TSAN-EXPECT: miss            (TSan misses the race(s))
                 TSAN-EXPECT: false-positive  (TSan reports a race on a
                                               correct program)
                 TSAN-EXPECT: dies-after-fork (a fork child of a threaded
                                               program starts threads: TSan
                                               ends it, die_after_fork)
                 TSAN-EXPECT: races=N         (TSan reports N, e.g. because
                                               it reports one race per address)

  --preload  compile with plain cc (-g -O1, no instrumentation), run under
             `racewatch run` (the runtime comes in by LD_PRELOAD) and check
             the `// PRELOAD-EXPECT: ...` lines instead, same syntax: what
             racewatch must say when all it sees is the intercepted calls.
             A file without PRELOAD-EXPECT lines is skipped.

Exit status: 0 pass, 1 fail, 77 skip (tools missing).

Usage:
  run_program_test.py --racewatch-cc CC --racewatch RW TEST.c
  run_program_test.py RACEWATCH_CC RACEWATCH TEST.c
  run_program_test.py --native [--cc cc] TEST.c
  run_program_test.py --tsan [--cc gcc] TEST.c
  run_program_test.py --preload --racewatch RW TEST.c
  run_program_test.py --repeat 10 ...   (the stress suite: 10 runs, every
             other one under taskset -c 0; each must pass)
  (any mode) --cflag=-fopenmp ...   extra compile flags (tests/openmp)
"""

import argparse
import difflib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

TIMEOUT = 30
SKIP = 77
# racewatch's public headers (racewatch/annotations.h) from the source tree.
INCLUDE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'include')
CFLAGS = ['-O1', '-g', '-I' + INCLUDE]
LIBS = ['-lpthread']

SEP = '=================='
ANSI = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')

# --- expectations -----------------------------------------------------------

EXPECT_RE = re.compile(r'^\s*//\s*RACEWATCH-EXPECT:\s*(.*?)\s*$')
TSAN_RE = re.compile(r'^\s*//\s*TSAN-EXPECT:\s*(.*?)\s*$')
PRELOAD_RE = re.compile(r'^\s*//\s*PRELOAD-EXPECT:\s*(.*?)\s*$')
MARKER_RE = re.compile(r'/\*\s*@([A-Za-z0-9_]+)\s*\*/')


class SpecError(Exception):
    pass


def unescape(s):
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == '\\' and i + 1 < len(s):
            n = s[i + 1]
            out.append({'n': '\n', 't': '\t', '\\': '\\', 'r': '\r'}.get(n, '\\' + n))
            i += 2
        else:
            out.append(c)
            i += 1
    return ''.join(out)


class Expect:
    def __init__(self, path, preload=False):
        self.path = path
        self.has_lines = False
        self.exit = None
        self.races = None
        self.pairs = []          # [(lineA, lineB, text)]
        self.stdout = None
        self.location = None
        self.prev = None
        self.uafs = 0
        self.uaf_pairs = []      # [(use line, free line, text)]
        self.markers = {}        # name -> line
        self.tsan = set()        # 'miss', 'false-positive', 'dies-after-fork'
        self.tsan_races = None
        with open(path, encoding='utf-8') as f:
            lines = f.read().split('\n')
        for no, line in enumerate(lines, 1):
            for m in MARKER_RE.finditer(line):
                name = m.group(1)
                if name in self.markers:
                    raise SpecError('marker @%s defined twice (lines %d and %d)'
                                    % (name, self.markers[name], no))
                self.markers[name] = no
        for no, line in enumerate(lines, 1):
            m = (PRELOAD_RE if preload else EXPECT_RE).match(line)
            if m:
                self.has_lines = True
                self._parse(m.group(1), no)
                continue
            m = TSAN_RE.match(line)
            if m:
                v = m.group(1)
                if v.startswith('races='):
                    self.tsan_races = int(v[6:])
                elif v in ('miss', 'false-positive', 'dies-after-fork'):
                    self.tsan.add(v)
                else:
                    raise SpecError('line %d: unknown TSAN-EXPECT %r' % (no, v))
        if preload and not self.has_lines:
            return
        if self.exit is None:
            raise SpecError('no "RACEWATCH-EXPECT: exit=N" line')
        if self.races is None:
            raise SpecError('no "RACEWATCH-EXPECT: races=N" line')
        if self.races == 0 and self.pairs:
            raise SpecError('races=0 but race lines are given')

    def _line(self, tok, no):
        if tok.startswith('@'):
            if tok[1:] not in self.markers:
                raise SpecError('line %d: marker %s not found in the source' % (no, tok))
            return self.markers[tok[1:]]
        if tok.isdigit():
            return int(tok)
        raise SpecError('line %d: bad line reference %r' % (no, tok))

    def _parse(self, v, no):
        if v.startswith('exit='):
            self.exit = int(v[5:])
        elif v.startswith('races='):
            self.races = int(v[6:])
        elif v.startswith('race ') or v.startswith('race\t'):
            toks = v.split()
            if len(toks) != 3:
                raise SpecError('line %d: "race A B" takes two line references' % no)
            self.pairs.append((self._line(toks[1], no), self._line(toks[2], no),
                               '%s %s' % (toks[1], toks[2])))
        elif v.startswith('stdout='):
            self.stdout = unescape(v[7:])
        elif v.startswith('location='):
            self.location = v[9:].strip()
        elif v.startswith('prev='):
            self.prev = v[5:].strip()
        elif v.startswith('uafs='):
            self.uafs = int(v[5:])
        elif v.startswith('uaf '):
            toks = v.split()
            if len(toks) != 3:
                raise SpecError('line %d: "uaf USE FREE" takes two line references' % no)
            self.uaf_pairs.append((self._line(toks[1], no), self._line(toks[2], no),
                                   '%s %s' % (toks[1], toks[2])))
        else:
            raise SpecError('line %d: unknown expectation %r' % (no, v))

    def describe_line(self, n):
        names = [k for k, v in self.markers.items() if v == n]
        return '%d (@%s)' % (n, names[0]) if names else str(n)


# --- running ------------------------------------------------------------------

class Result:
    def __init__(self, rc, out, err, timed_out):
        self.rc, self.out, self.err, self.timed_out = rc, out, err, timed_out


def run(cmd, cwd, env, timeout=TIMEOUT):
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                         start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        return Result(p.returncode, out.decode('utf-8', 'replace'),
                      err.decode('utf-8', 'replace'), False)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
        return Result(None, out.decode('utf-8', 'replace'),
                      err.decode('utf-8', 'replace'), True)


def clean_env():
    env = dict(os.environ)
    for k in ('RACEWATCH_OPTIONS', 'TSAN_OPTIONS', 'LD_PRELOAD'):
        env.pop(k, None)
    env['LC_ALL'] = 'C'
    return env


def compile_prog(compiler, extra, src, tmp, env):
    exe = os.path.join(tmp, os.path.splitext(os.path.basename(src))[0])
    cmd = [*compiler, *CFLAGS, *extra, '-o', exe, os.path.abspath(src), *LIBS]
    r = run(cmd, tmp, env, timeout=120)
    return exe, cmd, r


# --- report parsing -------------------------------------------------------------

ACCESS_RE = re.compile(
    r'^(Read|Write|Atomic read|Atomic write)( of size (\d+))? at (\S+) by (.+?):\s*$')
PREV_RE = re.compile(
    r'^Previous (read|write|atomic read|atomic write|free)( of size (\d+))? at (\S+) by (.+?):\s*$')
FUNC_RE = re.compile(r'^  (\S.*)\(\)\s*$')
LOC_RE = re.compile(r'^\s+(.+?):(\d+)(?::\d+)?(?: \+0x[0-9a-fA-F]+)?\s*$')
FOUND_RE = re.compile(r'^Found (\d+) data race\(s\)\s*$')
EXIT_STATUS_RE = re.compile(r'^exit status \d+$')


class Access:
    def __init__(self, kind, head):
        self.kind = kind          # 'Write', 'Previous read', ...
        self.head = head          # the whole access line
        self.frames = []          # [(func, file or None, line or None, raw)]

    def top_in(self, basename):
        """(line, skipped_frames) of the first frame in the test file."""
        for i, (_, file, line, _) in enumerate(self.frames):
            if file is not None and os.path.basename(file) == basename:
                return line, i
        return None, len(self.frames)

    def where(self):
        if not self.frames:
            return '<no frames>'
        f = self.frames[0]
        return '%s() at %s' % (f[0], f[3].strip())


class RaceReport:
    def __init__(self, text):
        self.text = text
        self.cur = None
        self.prev = None
        self.location = None


def parse_frames(lines, i, acc):
    """Parse the frames following an access line; return the next index."""
    while i < len(lines) and lines[i].strip():
        m = FUNC_RE.match(lines[i])
        if not m:
            break
        func = m.group(1)
        raw = lines[i + 1] if i + 1 < len(lines) else ''
        lm = LOC_RE.match(raw)
        if lm and not raw.strip().startswith('??'):
            acc.frames.append((func, lm.group(1), int(lm.group(2)), raw))
        else:
            acc.frames.append((func, None, None, raw))
        i += 2
    return i


def parse_racewatch(stderr):
    """Split stderr into blocks; return (race reports, other blocks, found)."""
    lines = ANSI.sub('', stderr).split('\n')
    races, others, found = [], [], []
    block = None
    for line in lines:
        if line.rstrip() == SEP:
            if block is None:
                block = []
            else:
                (races if block and block[0].strip() == 'WARNING: DATA RACE'
                 else others).append(block)
                block = None
            continue
        if block is not None:
            block.append(line)
            continue
        m = FOUND_RE.match(line)
        if m:
            found.append(int(m.group(1)))
    if block is not None:                       # unterminated block
        others.append(block)
    return [parse_report_block(b) for b in races], others, found


UAF_TITLE = 'WARNING: USE AFTER FREE'


def parse_report_block(b):
    """A race (or use after free) block, without its separators."""
    r = RaceReport('\n'.join(b))
    i = 0
    while i < len(b):
        m = ACCESS_RE.match(b[i])
        if m and r.cur is None:
            r.cur = Access(m.group(1), b[i])
            i = parse_frames(b, i + 1, r.cur)
            continue
        m = PREV_RE.match(b[i])
        if m and r.prev is None:
            r.prev = Access('Previous ' + m.group(1), b[i])
            i = parse_frames(b, i + 1, r.prev)
            continue
        if b[i].startswith('Location is ') and r.location is None:
            r.location = b[i].strip()
        i += 1
    return r


TSAN_WARN_RE = re.compile(r'^WARNING: ThreadSanitizer: (.*?)(?: \(pid=\d+\))?\s*$')
TSAN_ACC_RE = re.compile(
    r'^\s+(Read|Write|Atomic read|Atomic write)( of size \d+)? at \S+ by .*:\s*$')
TSAN_PREV_RE = re.compile(
    r'^\s+Previous (read|write|atomic read|atomic write)( of size \d+)? at \S+ by .*:\s*$')
TSAN_FRAME_RE = re.compile(r'^\s+#(\d+) (\S+) (.*?)(?::(\d+))?(?::\d+)? \(.*\)\s*$')


def parse_tsan(stderr):
    """ThreadSanitizer's blocks, in the same RaceReport shape."""
    lines = stderr.split('\n')
    reports, others = [], []
    block = None
    for line in lines:
        if line.rstrip() == SEP:
            if block is None:
                block = []
            else:
                m = TSAN_WARN_RE.match(block[0]) if block else None
                kind = m.group(1) if m else '?'
                if kind in ('data race', 'heap-use-after-free'):
                    reports.append(block)
                else:
                    others.append(block)
                block = None
            continue
        if block is not None:
            block.append(line)
    out = []
    for b in reports:
        r = RaceReport('\n'.join(b))
        r.uaf = 'heap-use-after-free' in b[0]
        i = 0
        cur = None
        while i < len(b):
            m = TSAN_ACC_RE.match(b[i])
            pm = TSAN_PREV_RE.match(b[i])
            if m and r.cur is None:
                r.cur = cur = Access(m.group(1), b[i].strip())
            elif pm and r.prev is None:
                r.prev = cur = Access('Previous ' + pm.group(1), b[i].strip())
            elif b[i].strip().startswith('Location is') and r.location is None:
                r.location = b[i].strip()
                cur = None
            elif not b[i].strip() or b[i].strip().startswith(('Thread ', 'Mutex ', 'SUMMARY')):
                cur = None
            else:
                fm = TSAN_FRAME_RE.match(b[i])
                if fm and cur is not None:
                    line = int(fm.group(4)) if fm.group(4) else None
                    file = fm.group(3) if line is not None else None
                    cur.frames.append((fm.group(2), file, line, b[i].strip()))
            i += 1
        out.append(r)
    return out, others


# --- checking -------------------------------------------------------------------

def pair_of(r, base):
    a = r.cur.top_in(base)[0] if r.cur else None
    b = r.prev.top_in(base)[0] if r.prev else None
    return a, b


def describe_report(r, base, exp):
    parts = []
    for acc in (r.cur, r.prev):
        if acc is None:
            parts.append('<access line not found>')
            continue
        line, skipped = acc.top_in(base)
        head = acc.head.strip().rstrip(':')
        if line is None:
            parts.append('%s: no frame in %s (top: %s)' % (head, base, acc.where()))
        else:
            s = '%s: %s:%s' % (head, base, exp.describe_line(line))
            if skipped:
                s += ' (below %d frame(s), top: %s)' % (skipped, acc.where())
            parts.append(s)
    return '\n      '.join(parts)


def match_pairs(exp, reports, base, fails):
    """Every expected pair has a report; every report is expected."""
    used = set()
    for (a, b, text) in exp.pairs:
        want = sorted((a, b))
        hit = None
        for k, r in enumerate(reports):
            got = pair_of(r, base)
            if None not in got and sorted(got) == want:
                hit = k
                break
        if hit is None:
            fails.append('missing race: %s (lines %s and %s)'
                         % (text, exp.describe_line(a), exp.describe_line(b)))
        else:
            used.add(hit)
    if exp.pairs:
        wanted = {tuple(sorted(p[:2])) for p in exp.pairs}
        for k, r in enumerate(reports):
            got = pair_of(r, base)
            if None in got or tuple(sorted(got)) not in wanted:
                fails.append('unexpected race report:\n      '
                             + describe_report(r, base, exp))


def location_ok(want, got):
    if got is None:
        return False
    if want.startswith('global '):
        return got.startswith("Location is global '%s'" % want[7:].strip())
    if want == 'heap':
        return got.startswith('Location is heap block')
    if want == 'stack':
        return got.startswith('Location is stack')
    if want == 'tls':
        return got.startswith('Location is TLS')
    return got.startswith('Location is ' + want)


def stdout_diff(want, got):
    return ''.join(difflib.unified_diff(
        want.splitlines(True), got.splitlines(True), 'expected stdout', 'got stdout'))


def check_uafs(exp, others, err, base, fails):
    """`WARNING: USE AFTER FREE` blocks: exp.uafs of them, each the access
    (top frame at the first line of a uaf pair) after the free (`Previous
    free`, at the second); returns the other blocks."""
    uafs = [parse_report_block(b) for b in others if b and b[0].strip() == UAF_TITLE]
    rest = [b for b in others if not (b and b[0].strip() == UAF_TITLE)]
    if len(uafs) != exp.uafs:
        fails.append('use-after-free reports: expected %d, got %d' % (exp.uafs, len(uafs)))
    found = [int(m.group(1)) for m in re.finditer(r'^Found (\d+) use\(s\) after free$',
                                                  ANSI.sub('', err), re.M)]
    if found != ([exp.uafs] if exp.uafs else []):
        fails.append('"Found %d use(s) after free": got %s' % (exp.uafs, found or 'no such line'))
    for r in uafs:
        if r.prev is None or r.prev.kind != 'Previous free':
            fails.append('use after free without "Previous free":\n' + r.text)
    for (use, free, text) in exp.uaf_pairs:
        if not any(r.cur and r.prev and r.cur.top_in(base)[0] == use
                   and r.prev.top_in(base)[0] == free for r in uafs):
            fails.append('missing use after free: %s; got %s' % (
                text, '; '.join(describe_report(r, base, exp) for r in uafs) or 'none'))
    return rest


def check_racewatch(exp, res, base):
    fails = []
    if res.timed_out:
        return ['timed out after %d s' % TIMEOUT]
    if res.rc != exp.exit:
        fails.append('exit status: expected %d, got %s' % (exp.exit, res.rc))
    reports, others, found = parse_racewatch(res.err)
    others = check_uafs(exp, others, res.err, base, fails)
    if exp.races == 0:
        if reports:
            fails.append('expected no race report, got %d:' % len(reports))
            for r in reports:
                fails.append('  ' + describe_report(r, base, exp))
        if others:
            fails.append('expected no report at all, got %d other block(s) (first line: %r)'
                         % (len(others), others[0][0] if others[0] else ''))
        if found:
            fails.append('expected no "Found N data race(s)" line, got Found %s' % found)
    else:
        if len(reports) != exp.races:
            fails.append('race reports: expected %d, got %d' % (exp.races, len(reports)))
        if found != [exp.races]:
            fails.append('"Found %d data race(s)": got %s' % (
                exp.races, ('Found %s' % ', '.join(map(str, found))) if found else 'no Found line'))
        for r in reports:
            if r.cur is None or r.prev is None:
                fails.append('malformed report (access or previous access line missing):\n'
                             + r.text)
        match_pairs(exp, reports, base, fails)
        if exp.location is not None:
            for r in reports:
                if not location_ok(exp.location, r.location):
                    want = exp.location
                    if want.startswith('global '):
                        want = "global '%s' ..." % want[7:].strip()
                    fails.append('location: expected "Location is %s", got %r'
                                 % (want, r.location))
        if exp.prev is not None:
            want = 'Previous ' + exp.prev
            for r in reports:
                if r.prev is None or r.prev.kind != want:
                    fails.append('previous access: expected %r, got %r' % (
                        want, r.prev.head if r.prev else None))
    # `racewatch run` ends with "exit status N" when the program exits non-zero
    # (as `go run` does), and says nothing of the kind otherwise.
    status_lines = [l.strip() for l in ANSI.sub('', res.err).split('\n')
                    if EXIT_STATUS_RE.match(l.strip())]
    tail = [l for l in ANSI.sub('', res.err).split('\n') if l.strip()]
    if exp.exit != 0:
        if not tail or tail[-1].strip() != 'exit status %d' % exp.exit:
            fails.append('last line of stderr: expected "exit status %d", got %r'
                         % (exp.exit, tail[-1] if tail else ''))
    elif status_lines:
        fails.append('unexpected %r line (expected exit 0)' % status_lines[-1])
    if exp.stdout is not None and res.out != exp.stdout:
        fails.append('stdout differs:\n' + stdout_diff(exp.stdout, res.out))
    return fails


def check_native(exp, res):
    if res.timed_out:
        return ['timed out after %d s' % TIMEOUT]
    fails = []
    want = 0 if exp.exit == 66 else exp.exit
    if res.rc != want:
        fails.append('native exit status: expected %d, got %s' % (want, res.rc))
    if exp.stdout is not None and res.out != exp.stdout:
        fails.append('stdout differs:\n' + stdout_diff(exp.stdout, res.out))
    return fails


def check_tsan(exp, res, base):
    """Returns (fails, notes)."""
    if res.timed_out:
        return ['timed out after %d s' % TIMEOUT], []
    reports, others = parse_tsan(res.err)
    fails, notes = [], []
    if others:
        notes.append('TSan printed %d other warning(s): %s' % (
            len(others), ', '.join(o[0].strip() for o in others if o)))
    if 'dies-after-fork' in exp.tsan:
        if 'starting new threads after multi-threaded fork is not supported' in res.err:
            notes.append('known: TSan ends a child that starts threads after a threaded fork')
        else:
            fails.append('annotated TSan die_after_fork did not occur')
        return fails, notes
    if 'false-positive' in exp.tsan:
        if exp.races == 0 and not reports:
            notes.append('annotated TSan false positive did not occur')
        else:
            notes.append('known TSan false positive: %d report(s)' % len(reports))
        return fails, notes
    # TSan's heap-use-after-free is racewatch's WARNING: USE AFTER FREE
    # when the free happens before the access, a data race with "Previous
    # free" otherwise: the uaf pairs take theirs, the rest count as races.
    for (use, free, text) in exp.uaf_pairs:
        hit = [r for r in reports if getattr(r, 'uaf', False) and r.cur and r.prev
               and r.cur.top_in(base)[0] == use and r.prev.top_in(base)[0] == free]
        if hit:
            reports.remove(hit[0])
        else:
            fails.append('TSan misses the use after free %s' % text)
    want_n = exp.tsan_races if exp.tsan_races is not None else exp.races
    if 'miss' in exp.tsan:
        sub = []
        match_pairs(exp, reports, base, sub)
        if len(reports) == exp.races and not sub:
            notes.append('annotated TSan miss did not occur: TSan found it')
        else:
            notes.append('known TSan miss: %d of %d report(s)' % (len(reports), exp.races))
            # whatever TSan does report must still be an expected race
            for r in reports:
                got = pair_of(r, base)
                if None in got or tuple(sorted(got)) not in {tuple(sorted(p[:2])) for p in exp.pairs}:
                    fails.append('unexpected TSan report:\n      ' + describe_report(r, base, exp))
        return fails, notes
    if len(reports) != want_n:
        fails.append('TSan reports: expected %d, got %d' % (want_n, len(reports)))
    match_pairs(exp, reports, base, fails)
    want_rc = 66 if want_n or exp.uafs else exp.exit
    if res.rc != want_rc:
        fails.append('TSan exit status: expected %d, got %s' % (want_rc, res.rc))
    if exp.stdout is not None and res.out != exp.stdout:
        fails.append('stdout differs:\n' + stdout_diff(exp.stdout, res.out))
    return fails, notes


# --- main -------------------------------------------------------------------------

def executable(path):
    return bool(path) and os.path.isfile(path) and os.access(path, os.X_OK)


def repeat_count(requested):
    """The number of runs for --repeat N: N, or RACEWATCH_STRESS_REPEAT from
    the environment when set (the long form of the stress suite)."""
    if requested is None:
        return 1
    env = os.environ.get('RACEWATCH_STRESS_REPEAT')
    n = int(env) if env else requested
    if n < 1:
        raise ValueError('repeat count must be at least 1, not %d' % n)
    return n


def run_repeated(times, run_and_check):
    """Run one test `times` times: even runs with both CPUs free, odd runs
    pinned to CPU 0 by taskset (a verdict must hold with true parallelism
    and on one core).  run_and_check(prefix) runs the command with prefix
    in front and returns (fails, res, cmd).  Every run is made; the result
    is that of the first failing run, headed by how many failed of each
    kind, or the last run's when all passed."""
    first = None
    failed = [0, 0]
    res = cmd = None
    for i in range(times):
        pinned = i % 2 == 1
        prefix = ['taskset', '-c', '0'] if pinned else []
        fails, res, cmd = run_and_check(prefix)
        if fails:
            failed[pinned] += 1
            if first is None:
                first = (i, pinned, fails, res, cmd)
    if first is None:
        return [], res, cmd
    i, pinned, fails, res, cmd = first
    both_runs, pinned_runs = (times + 1) // 2, times // 2
    head = ('%d of %d runs failed (%d of %d with both CPUs free, %d of %d pinned to CPU 0); '
            'the first, run %d (%s):' % (failed[0] + failed[1], times, failed[0], both_runs,
                                         failed[1], pinned_runs, i + 1,
                                         'pinned' if pinned else 'both CPUs'))
    return ([head] if times > 1 else []) + fails, res, cmd


def fail(src, fails, res=None, cmd=None, tag=None):
    """Print a failure with the run's whole output (shared by the other
    runners, which tag it with their mode); returns 1."""
    print('FAIL: %s%s' % (src, ' [%s]' % tag if tag else ''))
    for f in fails:
        print('  ' + f)
    if cmd:
        print('  command: %s' % ' '.join(cmd))
    if res is not None:
        print('----- stdout (%d bytes) -----' % len(res.out))
        sys.stdout.write(res.out)
        print('----- stderr (full) -----')
        sys.stdout.write(res.err)
        print('----- end -----')
    return 1


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--racewatch-cc')
    ap.add_argument('--racewatch')
    ap.add_argument('--native', action='store_true')
    ap.add_argument('--tsan', action='store_true')
    ap.add_argument('--preload', action='store_true')
    ap.add_argument('--cc', default=None, help='compiler for --native/--tsan')
    ap.add_argument('--cflag', action='append', default=[],
                    help='an extra compile flag (-fopenmp), in every mode')
    ap.add_argument('--keep', action='store_true', help='keep the temp dir')
    ap.add_argument('-q', '--quiet', action='store_true', help='no PASS line')
    ap.add_argument('--repeat', type=int, metavar='N',
                    help='run N times, alternating both CPUs free and taskset -c 0 '
                         '(RACEWATCH_STRESS_REPEAT overrides N)')
    ap.add_argument('args', nargs='+', help='[RACEWATCH_CC RACEWATCH] TEST.c')
    a = ap.parse_args(argv)
    if len(a.args) == 3:
        a.racewatch_cc, a.racewatch, src = a.args
    elif len(a.args) == 1:
        src = a.args[0]
    else:
        ap.error('expected TEST.c or RACEWATCH_CC RACEWATCH TEST.c')
    base = os.path.basename(src)
    try:
        exp = Expect(src, preload=a.preload)
        if a.preload and not exp.has_lines:
            print('SKIP: %s: no PRELOAD-EXPECT lines' % src)
            return SKIP
    except (SpecError, OSError, ValueError) as e:
        return fail(src, ['bad test file: %s' % e])

    env = clean_env()
    if a.native or a.tsan:
        cc = a.cc or ('gcc' if a.tsan else os.environ.get('CC', 'cc'))
        if not shutil.which(cc):
            print('SKIP: %s: compiler %s not found' % (src, cc))
            return SKIP
        compiler = [cc]
        extra = ['-fsanitize=thread'] if a.tsan else ['-Wall', '-Wextra']
    elif a.preload:
        if not a.racewatch or not os.access(a.racewatch, os.X_OK):
            print('SKIP: %s: racewatch not available (%r)' % (src, a.racewatch))
            return SKIP
        compiler = [a.cc or os.environ.get('CC', 'cc')]
        extra = ['-pthread']
    else:
        for tool, name in ((a.racewatch_cc, 'racewatch-cc'), (a.racewatch, 'racewatch')):
            if not tool or not (os.path.isfile(tool) and os.access(tool, os.X_OK)):
                print('SKIP: %s: %s not available (%r)' % (src, name, tool))
                return SKIP
        compiler = [os.path.abspath(a.racewatch_cc)]
        extra = []

    extra = extra + a.cflag
    tmp = tempfile.mkdtemp(prefix='rw-prog-')
    try:
        exe, ccmd, cres = compile_prog(compiler, extra, src, tmp, env)
        if cres.timed_out or cres.rc != 0:
            return fail(src, ['compilation failed (status %s)' % cres.rc], cres, ccmd)
        if a.native:
            cmd = [exe]
        elif a.tsan:
            env['TSAN_OPTIONS'] = 'halt_on_error=0:exitcode=66:report_signal_unsafe=0'
            cmd = [exe]
        else:
            cmd = [os.path.abspath(a.racewatch), 'run', '--color=never', './' + os.path.basename(exe)]
        notes = []

        def run_and_check(prefix):
            res = run(prefix + cmd, tmp, env)
            if a.native:
                fails = check_native(exp, res)
            elif a.tsan:
                fails, tsan_notes = check_tsan(exp, res, base)
                notes[:] = tsan_notes
            else:
                fails = check_racewatch(exp, res, base)
            return fails, res, prefix + cmd

        fails, res, cmd = run_repeated(repeat_count(a.repeat), run_and_check)
        if fails:
            return fail(src, fails + ['note: ' + n for n in notes], res, cmd)
        if not a.quiet:
            runs = repeat_count(a.repeat)
            print('PASS: %s%s%s' % (src, ' (%d runs)' % runs if runs > 1 else '',
                                    ''.join('  [%s]' % n for n in notes)))
        return 0
    finally:
        if a.keep:
            print('kept %s' % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
