/* errtext.h: errno and signal descriptions in Go's style, lower case
 * ("no such file or directory", "killed", "segmentation fault"), so that
 * racewatch's lines read like the go command's. */
#ifndef RW_TOOLS_ERRTEXT_H
#define RW_TOOLS_ERRTEXT_H

/* The name error lines start with: "racewatch merge" (the default), or
 * "racewatch" when racewatch run reads a baseline and its records. */
extern const char *rw_tool_name;

/* strerror(err) with its first letter lower-cased (static storage). */
const char *rw_errno_text(int err);

/* strsignal(sig) with its first letter lower-cased (static storage). */
const char *rw_signal_text(int sig);

#endif
