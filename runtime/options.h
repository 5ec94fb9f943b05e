/* options.h: racewatch's run-time options, one parser for both the runtime
 * (RACEWATCH_OPTIONS, read before main) and the CLI (racewatch run --x=y,
 * validated before the program starts).  The text form is a list of
 * key=value pairs separated by spaces, colons or commas, as in
 * TSAN_OPTIONS.  Unknown keys and bad values are errors, never ignored. */
#ifndef RACEWATCH_OPTIONS_H
#define RACEWATCH_OPTIONS_H

#include <stddef.h>

enum rw_color { RW_COLOR_NEVER = 0, RW_COLOR_ALWAYS = 1, RW_COLOR_AUTO = 2 };

typedef struct rw_options {
    char log_path[1024];   /* "" or "stderr": stderr; "stdout"; else <path>.<pid> */
    int exitcode;          /* status when reports were made and the program exited 0 (default 66) */
    int halt_on_error;     /* exit after the first report (default 0) */
    int history_size;      /* 0..7: per-thread event history = 32K << N events (default 2) */
    int color;             /* enum rw_color (default auto: on when the report stream is a tty) */
    int report_races;      /* 0 turns race reports off (default 1) */
    int verbosity;         /* 0..2 (default 0) */
    int follow_exec;       /* children started by exec are watched too (default 1) */
    char json_path[1024];  /* "": none; else JSON lines in <path>.<pid>.jsonl */
    char suppressions[1024]; /* suppression file (ThreadSanitizer syntax), "" none */
    int unused_suppressions; /* list rules that never matched at exit (default 0) */
} rw_options;

/* Fill *o with the defaults. */
void rw_options_defaults(rw_options *o);

/* Parse text (may be NULL or empty) on top of *o.  Returns 0 on success;
 * on error returns -1 and writes one human-readable line (no newline)
 * into err, e.g. "unknown option 'foo'" or
 * "bad value 'x' for option 'exitcode' (want an integer 0..255)". */
int rw_options_parse(const char *text, rw_options *o, char *err, size_t errlen);

#endif
