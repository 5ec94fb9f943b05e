/* cc_exec.h: how racewatch-cc runs the underlying compiler: in place of
 * itself, as a child it waits for, or as a child whose output it reads;
 * each command echoed first when RACEWATCH_CC_VERBOSE is set. */
#ifndef RW_TOOLS_CC_EXEC_H
#define RW_TOOLS_CC_EXEC_H

#include <stddef.h>

#include "tools/strvec.h"

/* prog names the tool in error lines; verbose echoes commands. */
void rw_cc_exec_setup(const char *prog, int verbose);

/* Replace this process with cmd.  Returns only on failure: after one
 * error line, 127 (not found) or 126. */
int rw_cc_exec(const strvec *cmd);

/* Run cmd and wait: its exit status, 128+N if signal N killed it, or
 * 127/126 if it could not be started (the child prints the line). */
int rw_cc_run(const strvec *cmd);

/* Run cmd with stdout captured into buf (NUL-terminated, truncated to
 * len-1) and stderr discarded; no echo.  Returns its exit status or -1. */
int rw_cc_capture(const strvec *cmd, char *buf, size_t len);

#endif
