#!/usr/bin/env python3
"""test_libomp_tool.py: racewatch as libomp's OMPT tool next to other tool
settings (docs/openmp.md, "clang and libomp").

Builds parallel_clean.c with `racewatch-cc --cc=clang -fopenmp` and runs it
under `racewatch run --verbosity=1`:

  OMP_TOOL_LIBRARIES=<another tool>  libomp finds racewatch's
      ompt_start_tool first: the program runs as without it (exit 0, its
      output, no report), and racewatch says once that the variable is
      ignored;
  OMP_TOOL=disabled  libomp starts no tool: racewatch says so once (the
      program then gets false reports: not asserted).
  neither  no such line.

Usage: test_libomp_tool.py RACEWATCH_CC RACEWATCH
Exit status: 0 pass, 1 fail, 77 skip (no clang, or no libomp).
"""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
IGNORED = 'racewatch: OMP_TOOL_LIBRARIES is ignored: racewatch is the program\'s OpenMP tool'
DISABLED = ('racewatch: OMP_TOOL=disabled: libomp will not tell racewatch about its '
            'synchronization (false reports likely)')
# Any shared library will do as "another tool": libomp never opens it.
OTHER_TOOL = '/usr/lib/llvm-14/lib/libarcher.so'


def run(rw, exe, extra_env):
    env = {k: v for k, v in os.environ.items()
           if k not in ('OMP_TOOL', 'OMP_TOOL_LIBRARIES', 'RACEWATCH_OPTIONS', 'LD_PRELOAD')}
    env.update(extra_env)
    return subprocess.run([rw, 'run', '--verbosity=1', '--color=never', exe], env=env,
                          capture_output=True, text=True, timeout=60)


def main(argv):
    rw_cc, rw = (os.path.abspath(a) for a in argv[1:3])
    if not shutil.which('clang'):
        print('SKIP: clang not found')
        return 77
    failures = []
    with tempfile.TemporaryDirectory(prefix='rw-libomp-tool-') as tmp:
        exe = os.path.join(tmp, 'parallel_clean')
        c = subprocess.run([rw_cc, '--cc=clang', '-fopenmp', '-g', '-O1', '-I' + HERE, '-o', exe,
                            os.path.join(HERE, 'parallel_clean.c')],
                           capture_output=True, text=True)
        if c.returncode != 0:
            print('SKIP: clang -fopenmp cannot build (libomp missing?):\n' + c.stderr[-500:])
            return 77
        other = OTHER_TOOL if os.path.exists(OTHER_TOOL) else '/nonexistent/libtool.so'
        p = run(rw, exe, {'OMP_TOOL_LIBRARIES': other})
        lines = p.stderr.splitlines()
        if p.returncode != 0 or p.stdout != 'done 6\n' or 'WARNING: DATA RACE' in p.stderr:
            failures.append('OMP_TOOL_LIBRARIES: exit %d, stdout %r, stderr:\n%s'
                            % (p.returncode, p.stdout, p.stderr[-1500:]))
        if lines.count(IGNORED) != 1:
            failures.append('OMP_TOOL_LIBRARIES: expected the line %r once, stderr:\n%s'
                            % (IGNORED, p.stderr[-1500:]))
        p = run(rw, exe, {'OMP_TOOL': 'disabled'})
        if p.stderr.splitlines().count(DISABLED) != 1:
            failures.append('OMP_TOOL=disabled: expected the line %r once, stderr:\n%s'
                            % (DISABLED, p.stderr[-1500:]))
        p = run(rw, exe, {})
        if IGNORED in p.stderr or DISABLED in p.stderr or p.returncode != 0:
            failures.append('no tool setting: exit %d, stderr:\n%s' % (p.returncode,
                                                                      p.stderr[-1500:]))
    for f in failures:
        print('FAIL: ' + f)
    if not failures:
        print('PASS: OMP_TOOL_LIBRARIES ignored, OMP_TOOL=disabled said once')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
