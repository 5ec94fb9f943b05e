/* junit_write.h: a merge as JUnit XML for test dashboards (GitLab,
 * Jenkins, GitHub test-report actions).
 *
 * <testsuites> holds one <testsuite name="racewatch"> with one
 * <testcase> per watched process: name its command line (proc_name.h:
 * "uv_run_tests_a fork_threadpool_queue_work_simple", or
 * "PROGRAM-BASENAME (pid N)" from records without one), classname the
 * program's path.  Each report of the process that fails the merge
 * (new, of a kind in --fail-on) is a <failure message=TITLE type=KIND>
 * with the report's text inside; a process without one passes.  The
 * testcase's <system-out> gives the pid, the records file and the
 * command line, tells how the process ended and holds the text of its
 * reports that do not fail (known, or of other
 * kinds); the suite's <system-out> is the merge's summary. */
#ifndef RW_TOOLS_JUNIT_WRITE_H
#define RW_TOOLS_JUNIT_WRITE_H

#include <stdio.h>

#include "tools/merge.h"
#include "tools/merge_fold.h"

void rw_junit_write(FILE *f, const rw_merge *m, const rw_merge_opts *o);

#endif
