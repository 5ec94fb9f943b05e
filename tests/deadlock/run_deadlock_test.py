#!/usr/bin/env python3
"""run_deadlock_test.py: run one deadlock / lock-order / misuse test.

Each test is a small threaded C program of this directory that carries its
expected outcome in comment lines of its own source (README.md next to this
file lists the keys):

    // RACEWATCH-EXPECT: exit=2
    // RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
    // RACEWATCH-EXPECT: thread 1 [pthread_join] @join
    // RACEWATCH-EXPECT: thread 2 [pthread_mutex_lock] @lock_b from 1 @create_a
    // RACEWATCH-EXPECT: stdout=ready\\n

`@name` is the source line that carries the marker `/* @name */`.

Modes (both registered as meson tests, suite 'deadlock'):
  --mode instrumented   racewatch-cc -g -O1, then `racewatch run`
  --mode preload        plain gcc -g -O1 -pthread, then `racewatch run`
                        (the runtime comes in by LD_PRELOAD)
  --mode native         plain gcc, run without racewatch: checks the program
                        itself (a deadlock test must hang natively: it is
                        killed after 3 s; a clean one must exit as expected).
                        Not a meson test: for validating the programs.

The stderr of `racewatch run` is parsed strictly: every line must belong to
a fatal report (`fatal error: ...` and its thread blocks), a
`==================` block, a `Found N ...` summary or the final
`exit status N`; anything else fails the test, and so does any block that
no expectation accounts for.

Exit status: 0 pass, 1 fail, 77 skip (tools missing).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(HERE, '..', 'programs'))
import run_program_test as rpt  # noqa: E402  (helpers only: run, clean_env, unescape)

TIMEOUT = 30
NATIVE_HANG = 3          # --mode native: a deadlock test must still run after this
DEFAULT_WITHIN = 10      # a fatal deadlock report: the whole run within this
SKIP = 77
SEP = '=================='

EXPECT_RE = re.compile(r'^\s*//\s*RACEWATCH-EXPECT:\s*(.*?)\s*$')
MARKER_RE = re.compile(r'/\*\s*@([A-Za-z0-9_]+)\s*\*/')
THREAD_EXP_RE = re.compile(
    r'^thread (\d+) \[([^\]]+)\] (@\w+|\d+)(?: from (\d+) (@\w+|\d+))?$')
EDGE_EXP_RE = re.compile(r'^edge (\d+) (@\w+|\d+) (@\w+|\d+)$')
WARN_EXP_RE = re.compile(r'^warning=(.+?) (@\w+|\d+)$')
PREV_EXP_RE = re.compile(r'^previous=(.+?) (@\w+|\d+) (@\w+|\d+)$')
LEAK_EXP_RE = re.compile(r'^leak thread (\d+) (@\w+|\d+)$')


class SpecError(Exception):
    pass


class Expect:
    """The expectations of one test file."""

    def __init__(self, path):
        self.path = path
        self.base = os.path.basename(path)
        self.exit = None
        self.stdout = None
        self.first_line = None
        self.threads = {}        # number -> (reason, line, parent or None, create line or None, text)
        self.lines = []          # exact stderr lines that must appear
        self.edges = []          # (thread, acquired line, held line, text)
        self.cycle = None        # number of mutexes in the lock-order cycle
        self.inversions = 0
        self.misuse = 0
        self.warnings = []       # (title, line, text)
        self.previous = []       # (title, line, previous line, text)
        self.leaks = []          # (thread, creation line, text)
        self.races = 0           # data race blocks allowed (misuse programs that also race)
        self.flags = []          # extra `racewatch run` options
        self.within = None
        self.native = None       # 'hang', 'runs' (ends, any status) or None (as expected)
        self.clean = False
        self.markers = {}
        with open(path, encoding='utf-8') as f:
            src = f.read().split('\n')
        for no, line in enumerate(src, 1):
            for m in MARKER_RE.finditer(line):
                if m.group(1) in self.markers:
                    raise SpecError('marker @%s defined twice (lines %d and %d)'
                                    % (m.group(1), self.markers[m.group(1)], no))
                self.markers[m.group(1)] = no
        for no, line in enumerate(src, 1):
            m = EXPECT_RE.match(line)
            if m:
                self._parse(m.group(1), no)
        if self.exit is None:
            raise SpecError('no "RACEWATCH-EXPECT: exit=N" line')
        if self.clean and (self.first_line or self.threads or self.lines or self.edges
                           or self.warnings or self.inversions or self.misuse or self.exit
                           or self.leaks):
            raise SpecError('"clean" excludes every other report expectation and needs exit=0')
        fatal = [l for l in [self.first_line or ''] + self.lines if l.startswith('fatal error:')]
        self.fatal = fatal[0] if fatal else None
        if self.threads and not self.fatal:
            raise SpecError('thread expectations need a "fatal error: ..." first-line= or line=')
        if self.edges and not self.inversions:
            raise SpecError('edge lines need inversions=N')
        if len(self.warnings) != self.misuse:
            raise SpecError('misuse=%d but %d warning= lines' % (self.misuse, len(self.warnings)))
        if self.within is None and self.fatal:
            self.within = DEFAULT_WITHIN

    def ref(self, tok, no):
        if tok.startswith('@'):
            if tok[1:] not in self.markers:
                raise SpecError('line %d: marker %s not found in the source' % (no, tok))
            return self.markers[tok[1:]]
        return int(tok)

    def _parse(self, v, no):
        if v.startswith('exit='):
            self.exit = int(v[5:])
        elif v.startswith('stdout='):
            self.stdout = rpt.unescape(v[7:])
        elif v.startswith('first-line='):
            self.first_line = v[11:]
        elif v.startswith('line='):
            self.lines.append(v[5:])
        elif v.startswith('cycle='):
            self.cycle = int(v[6:])
        elif v.startswith('inversions='):
            self.inversions = int(v[11:])
        elif v.startswith('misuse='):
            self.misuse = int(v[7:])
        elif v.startswith('within='):
            self.within = float(v[7:])
        elif v in ('native=hang', 'native=runs'):
            self.native = v[7:]
        elif v == 'clean':
            self.clean = True
        elif v.startswith('thread '):
            m = THREAD_EXP_RE.match(v)
            if not m:
                raise SpecError('line %d: expected "thread N [REASON] @top [from M @create]"' % no)
            n = int(m.group(1))
            if n in self.threads:
                raise SpecError('line %d: thread %d listed twice' % (no, n))
            parent = int(m.group(4)) if m.group(4) else None
            if n != 1 and parent is None and m.group(2) != 'running':
                raise SpecError('line %d: thread %d needs "from M @create"' % (no, n))
            self.threads[n] = (m.group(2), self.ref(m.group(3), no), parent,
                               self.ref(m.group(5), no) if m.group(5) else None, v)
        elif v.startswith('edge '):
            m = EDGE_EXP_RE.match(v)
            if not m:
                raise SpecError('line %d: expected "edge THREAD @acquired @held"' % no)
            self.edges.append((int(m.group(1)), self.ref(m.group(2), no),
                               self.ref(m.group(3), no), v))
        elif v.startswith('leak '):
            m = LEAK_EXP_RE.match(v)
            if not m:
                raise SpecError('line %d: expected "leak thread N @create"' % no)
            self.leaks.append((int(m.group(1)), self.ref(m.group(2), no), v))
        elif v.startswith('races='):
            self.races = int(v[6:])
        elif v.startswith('flags='):
            self.flags += v[6:].split()
        elif v.startswith('previous='):
            m = PREV_EXP_RE.match(v)
            if not m:
                raise SpecError('line %d: expected "previous=TITLE @top @previous"' % no)
            self.previous.append((m.group(1), self.ref(m.group(2), no), self.ref(m.group(3), no), v))
        elif v.startswith('warning='):
            m = WARN_EXP_RE.match(v)
            if not m:
                raise SpecError('line %d: expected "warning=TITLE @top"' % no)
            self.warnings.append((m.group(1), self.ref(m.group(2), no), v))
        else:
            raise SpecError('line %d: unknown expectation %r' % (no, v))

    def name_of(self, n):
        names = [k for k, v in self.markers.items() if v == n]
        return '%s (@%s)' % (n, names[0]) if names else str(n)


# --- parsing racewatch's stderr ---------------------------------------------

GO_FUNC_RE = re.compile(r'^(\S.*)\(\)$')
GO_LOC_RE = re.compile(r'^\t(?:(.+):(\d+) \+0x[0-9a-f]+|(\S+)\+0x[0-9a-f]+)$')
TS_FUNC_RE = re.compile(r'^  (\S.*)\(\)$')
TS_LOC_RE = re.compile(r'^      (?:(.+):(\d+) \+0x[0-9a-f]+|(\S+)\+0x[0-9a-f]+)$')
THREAD_HEAD_RE = re.compile(r'^thread (\d+) \[([^\]]+)\]:$')
CREATED_RE = re.compile(r'^created by (\S+)\(\) in thread (\d+)$')
FOUND_RE = re.compile(r'^Found (\d+) (data race\(s\)|potential deadlock\(s\)|deadlock\(s\)|'
                      r'misuse warning\(s\)|misuse error\(s\)|thread leak\(s\))$')
EXIT_RE = re.compile(r'^exit status (\d+)$')
CYCLE_RE = re.compile(r'^Cycle in lock order graph: (M\d+ \(0x[0-9a-f]+\)(?: => M\d+ \(0x[0-9a-f]+\))+) => (M\d+)$')
EDGE_RE = re.compile(r'^Mutex (M\d+) acquired here while holding mutex (M\d+) in thread (\d+):$')
PREV_RE = re.compile(r'^Mutex (M\d+) previously acquired by the same thread here:$')


class Frame:
    def __init__(self, func, file, line, raw):
        self.func, self.file, self.line, self.raw = func, file, line, raw

    def __str__(self):
        return '%s() at %s' % (self.func, self.raw.strip())


class ThreadBlock:
    def __init__(self, number, reason):
        self.number, self.reason = number, reason
        self.frames = []
        self.parent = None       # (func, thread, Frame)


class Fatal:
    def __init__(self, title):
        self.title = title
        self.threads = []


class Parsed:
    def __init__(self):
        self.fatals = []         # [Fatal]
        self.blocks = []         # [[lines]]
        self.found = {}          # kind -> [N, ...]
        self.exit_lines = []     # [(index, N)]
        self.stray = []          # lines nothing accounts for
        self.errors = []         # malformed structures
        self.lines = []


def parse_frame(lines, i, func_re, loc_re):
    """One frame at lines[i], lines[i+1]; returns (Frame or None, error)."""
    m = func_re.match(lines[i])
    if not m:
        return None, None
    loc = lines[i + 1] if i + 1 < len(lines) else ''
    lm = loc_re.match(loc)
    if not lm:
        return None, 'frame %r: malformed location line %r' % (lines[i], loc)
    if lm.group(1) is not None:
        return Frame(m.group(1), lm.group(1), int(lm.group(2)), loc), None
    return Frame(m.group(1), None, None, loc), None


def parse_stderr(text):
    p = Parsed()
    lines = rpt.ANSI.sub('', text).split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    p.lines = lines
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith('fatal error: '):
            f = Fatal(line)
            p.fatals.append(f)
            i += 1
            if i >= len(lines) or lines[i] != '':
                p.errors.append('%r: not followed by a blank line' % line)
            while i < len(lines) and lines[i] == '':
                i += 1
                if i < len(lines) and THREAD_HEAD_RE.match(lines[i]):
                    m = THREAD_HEAD_RE.match(lines[i])
                    tb = ThreadBlock(int(m.group(1)), m.group(2))
                    f.threads.append(tb)
                    i += 1
                    while i < len(lines) and lines[i] != '':
                        cm = CREATED_RE.match(lines[i])
                        if cm:
                            loc = lines[i + 1] if i + 1 < len(lines) else ''
                            lm = GO_LOC_RE.match(loc)
                            if not lm:
                                p.errors.append('thread %d: malformed "created by" location %r'
                                                % (tb.number, loc))
                                fr = Frame(cm.group(1), None, None, loc)
                            elif lm.group(1) is not None:
                                fr = Frame(cm.group(1), lm.group(1), int(lm.group(2)), loc)
                            else:
                                fr = Frame(cm.group(1), None, None, loc)
                            tb.parent = (cm.group(1), int(cm.group(2)), fr)
                            i += 2
                            break
                        fr, err = parse_frame(lines, i, GO_FUNC_RE, GO_LOC_RE)
                        if fr is None:
                            if err:
                                p.errors.append('thread %d: %s' % (tb.number, err))
                            break
                        tb.frames.append(fr)
                        i += 2
                    if not tb.frames:
                        p.errors.append('thread %d: no frames' % tb.number)
                else:
                    break
            continue
        if line == SEP:
            block = []
            i += 1
            while i < len(lines) and lines[i] != SEP:
                block.append(lines[i])
                i += 1
            if i >= len(lines):
                p.errors.append('unterminated ================== block: %r' % block[:1])
            p.blocks.append(block)
            i += 1
            continue
        m = FOUND_RE.match(line)
        if m:
            p.found.setdefault(m.group(2), []).append(int(m.group(1)))
            i += 1
            continue
        m = EXIT_RE.match(line)
        if m:
            p.exit_lines.append((i, int(m.group(1))))
            i += 1
            continue
        p.stray.append(line)
        i += 1
    return p


def block_stacks(block, start):
    """Frames (two-space form) from block[start]; returns (frames, next, errors)."""
    frames, errs = [], []
    i = start
    while i < len(block):
        fr, err = parse_frame(block, i, TS_FUNC_RE, TS_LOC_RE)
        if fr is None:
            if err:
                errs.append(err)
            break
        frames.append(fr)
        i += 2
    return frames, i, errs


class Section:
    def __init__(self, acquired, held, thread):
        self.acquired, self.held, self.thread = acquired, held, thread
        self.frames = []
        self.prev_frames = []


def parse_lockorder(block):
    """(mutex names of the cycle, [Section], errors) of a lock-order block."""
    errs = []
    if len(block) < 2:
        return [], [], ['lock-order block too short']
    m = CYCLE_RE.match(block[1])
    if not m:
        return [], [], ['second line is not "Cycle in lock order graph: M1 (0x..) => ... => M1": %r'
                        % block[1]]
    names = re.findall(r'(M\d+) \(0x[0-9a-f]+\)', m.group(1))
    if m.group(2) != names[0]:
        errs.append('cycle line does not return to %s: %r' % (names[0], block[1]))
    secs = []
    i = 2
    while i < len(block):
        if block[i] == '':
            i += 1
            continue
        em = EDGE_RE.match(block[i])
        if em:
            s = Section(em.group(1), em.group(2), int(em.group(3)))
            s.frames, i, e = block_stacks(block, i + 1)
            errs += e
            secs.append(s)
            continue
        pm = PREV_RE.match(block[i])
        if pm and secs:
            if pm.group(1) != secs[-1].held:
                errs.append('"previously acquired" names %s, the edge held %s'
                            % (pm.group(1), secs[-1].held))
            secs[-1].prev_frames, i, e = block_stacks(block, i + 1)
            errs += e
            continue
        errs.append('unexpected line in lock-order block: %r' % block[i])
        i += 1
    return names, secs, errs


def top_line(frames, base):
    """Line of the first frame if it is in the test file, else None."""
    if frames and frames[0].file and os.path.basename(frames[0].file) == base:
        return frames[0].line
    return None


def describe_top(frames):
    return str(frames[0]) if frames else '<no frames>'


# --- checks --------------------------------------------------------------------

def check(exp, res, elapsed):
    fails = []
    if res.timed_out:
        return ['timed out after %d s (a hang: the deadlock was not reported, or the '
                'program was stopped when it should have run on)' % TIMEOUT]
    base = exp.base
    if res.rc != exp.exit:
        fails.append('exit status: expected %d, got %s' % (exp.exit, res.rc))
    if exp.stdout is not None and res.out != exp.stdout:
        fails.append('stdout differs:\n' + rpt.stdout_diff(exp.stdout, res.out))
    if exp.within is not None and elapsed > exp.within:
        fails.append('took %.1f s, more than within=%g s' % (elapsed, exp.within))
    p = parse_stderr(res.err)
    fails += ['malformed report: ' + e for e in p.errors]
    for s in p.stray:
        fails.append('stderr line that no report explains: %r' % s)

    # exit status line: last, and only when non-zero
    if exp.exit != 0:
        if not p.exit_lines or p.exit_lines[-1][0] != len(p.lines) - 1 \
                or p.exit_lines[-1][1] != exp.exit:
            fails.append('last line of stderr: expected "exit status %d", got %r'
                         % (exp.exit, p.lines[-1] if p.lines else ''))
        if len(p.exit_lines) > 1:
            fails.append('%d "exit status" lines' % len(p.exit_lines))
    elif p.exit_lines:
        fails.append('unexpected "exit status %d" line (expected exit 0)' % p.exit_lines[-1][1])

    if exp.clean:
        if res.err:
            fails.append('expected an empty stderr, got %d line(s), first %r'
                         % (len(p.lines), p.lines[0] if p.lines else ''))
        return fails

    # first line
    first = p.lines[0] if p.lines else ''
    if exp.first_line is not None and first != exp.first_line:
        fails.append('first line of stderr: expected %r, got %r' % (exp.first_line, first))

    # the fatal report and its threads
    want_fatal = 1 if exp.fatal else 0
    if len(p.fatals) != want_fatal:
        fails.append('fatal reports: expected %d, got %d (%s)' % (
            want_fatal, len(p.fatals), ', '.join(repr(f.title) for f in p.fatals)))
    if want_fatal and p.fatals:
        f = p.fatals[0]
        if f.title != exp.fatal:
            fails.append('fatal report: expected %r, got %r' % (exp.fatal, f.title))
        got = {}
        for tb in f.threads:
            if tb.number in got:
                fails.append('thread %d listed twice' % tb.number)
            got[tb.number] = tb
        if exp.threads and set(got) != set(exp.threads):
            fails.append('threads listed: expected %s, got %s' % (
                sorted(exp.threads), sorted(got)))
        for n, (reason, line, parent, cline, text) in sorted(exp.threads.items()):
            tb = got.get(n)
            if tb is None:
                fails.append('%s: thread %d not in the report' % (text, n))
                continue
            if tb.reason != reason:
                fails.append('%s: got "thread %d [%s]:"' % (text, n, tb.reason))
            tl = top_line(tb.frames, base)
            if tl != line:
                fails.append('%s: top frame expected at %s:%s, got %s' % (
                    text, base, exp.name_of(line), describe_top(tb.frames)))
            if n != 1 and parent is None:
                pass             # [running] of a misuse: "created by" optional
            elif n == 1:
                if tb.parent is not None:
                    fails.append('%s: unexpected "created by %s() in thread %d"'
                                 % (text, tb.parent[0], tb.parent[1]))
            else:
                if tb.parent is None:
                    fails.append('%s: no "created by ... in thread %d" line' % (text, parent))
                else:
                    pfunc, pthr, pfr = tb.parent
                    if pthr != parent:
                        fails.append('%s: created by thread %d, expected %d' % (text, pthr, parent))
                    if pfr.file is None or os.path.basename(pfr.file) != base or pfr.line != cline:
                        fails.append('%s: "created by" location expected at %s:%s, got %r'
                                     % (text, base, exp.name_of(cline), pfr.raw.strip()))
        if not exp.threads:
            fails.append('a fatal report is expected but no thread lines are given')

    # ================== blocks
    lockorder = [b for b in p.blocks if b and b[0] == 'WARNING: LOCK ORDER INVERSION (potential deadlock)']
    races = [b for b in p.blocks if b and b[0] == 'WARNING: DATA RACE']
    others = [b for b in p.blocks if b not in lockorder and b not in races]
    if len(races) != exp.races:
        fails.append('%d data race report(s), expected %d: first\n    %s'
                     % (len(races), exp.races, '\n    '.join(races[0]) if races else ''))
    if len(lockorder) != exp.inversions:
        fails.append('lock-order inversion reports: expected %d, got %d'
                     % (exp.inversions, len(lockorder)))
    all_secs = []
    for b in lockorder:
        names, secs, errs = parse_lockorder(b)
        fails += ['lock-order block: ' + e for e in errs]
        if exp.cycle is not None and len(names) != exp.cycle:
            fails.append('lock-order cycle: expected %d mutexes, got %d: %r'
                         % (exp.cycle, len(names), b[1] if len(b) > 1 else ''))
        # every edge of the cycle line has its section
        want = {(names[k], names[(k + 1) % len(names)]) for k in range(len(names))} if names else set()
        have = {(s.held, s.acquired) for s in secs}
        if want != have:
            fails.append('lock-order sections %s do not match the cycle %s'
                         % (sorted(have), sorted(want)))
        for s in secs:
            if not s.prev_frames:
                fails.append('edge %s => %s (thread %d): no "previously acquired" stack'
                             % (s.held, s.acquired, s.thread))
        all_secs += secs
    for thr, acq, held, text in exp.edges:
        hit = [s for s in all_secs if s.thread == thr and top_line(s.frames, base) == acq
               and top_line(s.prev_frames, base) == held]
        if not hit:
            fails.append('%s: no such section; got %s' % (text, '; '.join(
                'thread %d: acquired at %s, held since %s' % (
                    s.thread, describe_top(s.frames), describe_top(s.prev_frames))
                for s in all_secs) or 'none'))
    if exp.edges and len(all_secs) != len(exp.edges):
        fails.append('lock-order sections: expected %d, got %d' % (len(exp.edges), len(all_secs)))

    # thread leaks: "Thread N (finished) created at:" and the creation stack
    unmatched = list(others)
    for thread, line, text in exp.leaks:
        hit = None
        for b in unmatched:
            if b[0] != 'WARNING: THREAD LEAK' or len(b) < 2 \
                    or b[1] != 'Thread %d (finished) created at:' % thread:
                continue
            frames = block_stacks(b, 2)[0]
            if top_line(frames, base) != line:
                fails.append('%s: its creation stack starts at %s' % (text, describe_top(frames)))
            hit = b
            break
        if hit is None:
            fails.append('%s: no such "WARNING: THREAD LEAK" block; got %s' % (text, [
                b[1] for b in unmatched if b and b[0] == 'WARNING: THREAD LEAK' and len(b) > 1]))
        else:
            unmatched.remove(hit)

    # misuse warnings
    for title, line, text in exp.warnings:
        same = [b for b in unmatched if b[0] == 'WARNING: ' + title]
        tops = []
        hit = None
        for b in same:
            k = next((j for j in range(1, len(b)) if TS_FUNC_RE.match(b[j])), None)
            frames = block_stacks(b, k)[0] if k is not None else []
            tops.append(describe_top(frames))
            if top_line(frames, base) == line:
                hit = b
                break
        if hit is None and same:
            fails.append('%s: block found, but its top frame is %s' % (text, ' / '.join(tops)))
            hit = same[0]
        if hit is None:
            fails.append('%s: no "WARNING: %s" block' % (text, title))
        else:
            unmatched.remove(hit)
    # the earlier call a warning conflicts with: a "Previous ..." section
    for title, line, prev_line, text in exp.previous:
        ok = False
        for b in p.blocks:
            if not b or b[0] != 'WARNING: ' + title:
                continue
            k = next((j for j in range(1, len(b)) if TS_FUNC_RE.match(b[j])), None)
            if k is None or top_line(block_stacks(b, k)[0], base) != line:
                continue
            j = next((j for j in range(k, len(b)) if b[j].startswith('Previous ')), None)
            if j is not None and top_line(block_stacks(b, j + 1)[0], base) == prev_line:
                ok = True
        if not ok:
            fails.append('%s: no such block with a "Previous ..." section at %s'
                         % (text, exp.name_of(prev_line)))
    for b in unmatched:
        fails.append('unexpected report block: %r' % (b[0] if b else ''))

    # summary lines: a fatal report ending the process is counted too, as
    # "Found 1 deadlock(s)" or "Found 1 misuse error(s)"
    first_fatal = next((l for l in [exp.first_line or ''] + exp.lines
                        if l.startswith(('fatal error:', 'panic:'))), '')
    deadlocks = 1 if first_fatal.startswith(('fatal error: all threads are asleep',
                                             'fatal error: deadlock!')) else 0
    fatal_misuse = 1 if (first_fatal.startswith(('fatal error:', 'panic:'))
                         and not deadlocks) else 0
    for kind, n in (('potential deadlock(s)', exp.inversions), ('misuse warning(s)', exp.misuse),
                    ('deadlock(s)', deadlocks), ('misuse error(s)', fatal_misuse),
                    ('data race(s)', exp.races), ('thread leak(s)', len(exp.leaks))):
        got = p.found.get(kind, [])
        if n and got != [n]:
            fails.append('"Found %d %s": got %s' % (n, kind, got or 'no such line'))
        if not n and got:
            fails.append('unexpected "Found %s %s"' % (got, kind))

    for want in exp.lines:
        if want not in p.lines:
            fails.append('no stderr line %r' % want)
    return fails


# --- main ------------------------------------------------------------------------

def fail(src, mode, fails, res=None, cmd=None):
    return rpt.fail(src, fails, res, cmd, tag=mode)


executable = rpt.executable


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--mode', choices=['instrumented', 'preload', 'native'], required=True)
    ap.add_argument('--racewatch')
    ap.add_argument('--racewatch-cc')
    ap.add_argument('--cc', default='gcc')
    ap.add_argument('--keep', action='store_true')
    ap.add_argument('--repeat', type=int, metavar='N',
                    help='run N times, alternating both CPUs free and taskset -c 0 '
                         '(RACEWATCH_STRESS_REPEAT overrides N)')
    ap.add_argument('--cflag', action='append', default=[],
                    help='an extra compile flag (-fopenmp), in every mode')
    ap.add_argument('src')
    a = ap.parse_args(argv)
    src = a.src
    try:
        exp = Expect(src)
    except (SpecError, OSError, ValueError) as e:
        return fail(src, a.mode, ['bad test file: %s' % e])

    env = rpt.clean_env()
    if a.mode == 'instrumented':
        if not executable(a.racewatch_cc) or not executable(a.racewatch):
            print('SKIP: %s: racewatch-cc / racewatch not available' % src)
            return SKIP
        compiler = [os.path.abspath(a.racewatch_cc), '-g', '-O1']
        libs = ['-lpthread']
    else:
        if not shutil.which(a.cc):
            print('SKIP: %s: %s not found' % (src, a.cc))
            return SKIP
        if a.mode == 'preload' and not executable(a.racewatch):
            print('SKIP: %s: racewatch not available' % src)
            return SKIP
        compiler = [a.cc, '-g', '-O1', '-pthread']
        libs = []

    tmp = tempfile.mkdtemp(prefix='rw-dl-')
    try:
        exe = os.path.join(tmp, os.path.splitext(exp.base)[0])
        ccmd = [*compiler, *a.cflag, '-o', exe, os.path.abspath(src), *libs]
        cres = rpt.run(ccmd, tmp, env, timeout=120)
        if cres.timed_out or cres.rc != 0:
            return fail(src, a.mode, ['compilation failed (status %s)' % cres.rc], cres, ccmd)
        if a.mode == 'native':
            cmd = [exe]
            res = rpt.run(cmd, tmp, env, timeout=NATIVE_HANG if exp.native == 'hang' else TIMEOUT)
            fails = []
            if exp.native == 'hang':
                if not res.timed_out:
                    fails.append('natively the program should hang, it exited %s' % res.rc)
            elif res.timed_out:
                fails.append('natively it hung')
            elif exp.native == 'runs':
                pass
            else:
                want = 0 if exp.exit == 66 else exp.exit
                if res.rc != want:
                    fails.append('native exit status: expected %d, got %s' % (want, res.rc))
                if exp.stdout is not None and res.out != exp.stdout:
                    fails.append('stdout differs:\n' + rpt.stdout_diff(exp.stdout, res.out))
            if fails:
                return fail(src, a.mode, fails, res, cmd)
            print('PASS: %s [native%s]' % (src, {'hang': ', hangs as it should',
                                                 'runs': ', terminates'}.get(exp.native, '')))
            return 0
        cmd = [os.path.abspath(a.racewatch), 'run', '--color=never', *exp.flags,
               './' + os.path.basename(exe)]
        elapsed = 0.0

        def run_and_check(prefix):
            nonlocal elapsed
            t0 = time.monotonic()
            res = rpt.run(prefix + cmd, tmp, env, timeout=TIMEOUT)
            took = time.monotonic() - t0
            elapsed = max(elapsed, took)
            return check(exp, res, took), res, prefix + cmd

        runs = rpt.repeat_count(a.repeat)
        fails, res, cmd = rpt.run_repeated(runs, run_and_check)
        if fails:
            return fail(src, a.mode, fails, res, cmd)
        print('PASS: %s [%s] (%.2f s%s)' % (src, a.mode, elapsed,
                                            ' at most, %d runs' % runs if runs > 1 else ''))
        return 0
    finally:
        if a.keep:
            print('kept %s' % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
