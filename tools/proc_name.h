/* proc_name.h: what racewatch merge's outputs call a process.
 *
 * A process whose records carry its command line ("argv",
 * docs/json-format.md) is named by it: the program's file name, then its
 * arguments, quoted as a POSIX shell would need them
 * ("uv_run_tests_a fork_threadpool_queue_work_simple").  The arguments
 * are what a test runner gives the child that runs one test, so the name
 * says which test it was, and it is the same in every run, which is what
 * a dashboard that tracks tests by name needs.  Processes with the same
 * command line (a forked child, a test run twice) are told apart by
 * " #2", " #3"... in the order merge read them, the first one keeping
 * the plain name.  A process known only from records without "argv"
 * (written before racewatch recorded it) is "program (pid N)", as
 * before. */
#ifndef RW_TOOLS_PROC_NAME_H
#define RW_TOOLS_PROC_NAME_H

#include "tools/merge_fold.h"

/* Set command and name of every process of m. */
void rw_merge_name_processes(rw_merge *m);

/* p's whole command line, argv[0] as the program got it, shell-quoted,
 * " ..." at the end when arguments were left out; malloc'd.  NULL when
 * p's records had no "argv". */
char *rw_proc_command_line(const rw_proc *p);

#endif
