/* options.h: racewatch's run-time options, one parser for both the runtime
 * (RACEWATCH_OPTIONS, read before main) and the CLI (racewatch run --x=y,
 * validated before the program starts).  The text form is a list of
 * key=value pairs separated by spaces, colons or commas, as in
 * TSAN_OPTIONS.  Unknown keys and bad values are errors, never ignored. */
#ifndef RACEWATCH_OPTIONS_H
#define RACEWATCH_OPTIONS_H

#include <stddef.h>

/* The exit status of racewatch's own errors, everywhere: a bad option or
 * RACEWATCH_OPTIONS, a malformed suppression or baseline file, a runtime
 * that cannot start, a failed merge, racewatch-cc's own errors.  125, as
 * env(1), nohup(1), timeout(1) and docker run use for their own failures:
 * no clash with 66 (reports), 2 (deadlock, fatal misuse), 126/127 (cannot
 * execute / not found, kept as the shell and env(1) use them) or 128+N
 * (killed by signal N).  docs/cli.md, "Exit status". */
#define RW_EXIT_ERROR 125

/* The environment variable through which `racewatch run` asks every
 * watched process of its run to also write its JSON records under a
 * private path (<value>.<pid>.<start>.jsonl), read back when the program ends for
 * --baseline / --fail-on / --write-baseline.  Internal: not a user option. */
#define RW_RUN_RECORDS_ENV "RACEWATCH_RUN_RECORDS"

enum rw_color { RW_COLOR_NEVER = 0, RW_COLOR_ALWAYS = 1, RW_COLOR_AUTO = 2 };

/* report_thread_leaks: 0 off; 1 (default) report them at exit as
 * warnings that leave a clean exit 0; "fail": count them like misuse. */
enum rw_thread_leaks { RW_LEAKS_OFF = 0, RW_LEAKS_WARN = 1, RW_LEAKS_FAIL = 2 };

typedef struct rw_options {
    char log_path[1024];   /* "" or "stderr": stderr; "stdout"; else <path>.<pid> */
    int exitcode;          /* status when reports were made and the program exited 0 (default 66) */
    int halt_on_error;     /* exit after the first report (default 0) */
    int history_size;      /* 0..7: per-thread event history = 64K << N events (default 2) */
    int color;             /* enum rw_color (default auto: on when the report stream is a tty) */
    int report_races;      /* 0 turns race reports off (default 1) */
    int report_thread_leaks; /* enum rw_thread_leaks (default warn) */
    int verbosity;         /* 0..2 (default 0) */
    int follow_exec;       /* children started by exec are watched too (default 1) */
    char json_path[1024];  /* "": none; else JSON lines in <path>.<pid>.<start>.jsonl */
    char suppressions[1024]; /* suppression file (ThreadSanitizer syntax), "" none */
    int unused_suppressions; /* list rules that never matched at exit (default 0) */
    char run_records[1024];  /* not an option: RW_RUN_RECORDS_ENV, read by the runtime at start */
} rw_options;

/* Fill *o with the defaults. */
void rw_options_defaults(rw_options *o);

/* Parse text (may be NULL or empty) on top of *o.  Returns 0 on success;
 * on error returns -1 and writes one human-readable line (no newline)
 * into err, e.g. "unknown option 'foo'" or
 * "bad value 'x' for option 'exitcode' (want an integer 0..255)". */
int rw_options_parse(const char *text, rw_options *o, char *err, size_t errlen);

#endif
