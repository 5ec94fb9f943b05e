/* tmpdir.h: racewatch-cc's private temporary directory (objects of a
 * one-step compile-and-link, gcc LTO stand-ins), removed on every way
 * out: normal end, error, and SIGINT/SIGTERM/SIGHUP. */
#ifndef RW_TOOLS_TMPDIR_H
#define RW_TOOLS_TMPDIR_H

/* Create $TMPDIR/racewatch-cc.XXXXXX (once) and arm the signal handlers.
 * Returns 0, or -1 after printing "<prog>: cannot create ..." . */
int rw_tmpdir_create(const char *prog);

/* The path of name inside the directory (malloc'd), remembered so a
 * signal handler can unlink it. */
char *rw_tmpdir_file(const char *name);

/* Is there a directory (created and not yet removed)? */
int rw_tmpdir_active(void);

/* Remove the directory and everything in it, restore the signal
 * dispositions.  Does nothing if no directory was created. */
void rw_tmpdir_remove(void);

#endif
