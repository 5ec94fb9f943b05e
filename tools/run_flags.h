/* run_flags.h: the options of "racewatch run", most of them a runtime
 * option of runtime/options.h under a command-line name (--halt-on-error
 * is halt_on_error in RACEWATCH_OPTIONS); --baseline, --write-baseline and
 * --fail-on are racewatch run's own (the verdict on the run's reports,
 * made after the program ends).  One table drives the parsing and the
 * --help text, so an option cannot exist without its documentation. */
#ifndef RW_TOOLS_RUN_FLAGS_H
#define RW_TOOLS_RUN_FLAGS_H

#include <stddef.h>
#include <stdio.h>

typedef struct rw_run_flag {
    const char *name;     /* "log-path": written --log-path=VALUE or --log-path VALUE */
    const char *key;      /* the RACEWATCH_OPTIONS key: "log_path"; NULL: racewatch run's own */
    const char *metavar;  /* "PATH"; NULL for a switch (--halt-on-error[=0|1]) */
    const char *deflt;    /* the default, as --help shows it */
    const char *help;     /* what it does; '\n' separates lines */
} rw_run_flag;

extern const rw_run_flag rw_run_flags[];   /* ends with a zeroed entry */

/* The values of racewatch run's own options (NULL: not given). */
typedef struct rw_run_own {
    const char *baseline;       /* --baseline FILE */
    const char *write_baseline; /* --write-baseline FILE */
    const char *fail_on;        /* --fail-on KINDS, checked by the caller */
} rw_run_own;

/* Parse options from argv[*next] on, stopping at the first word that is
 * not an option (the program) or just after "--".  Each runtime option
 * becomes "key=value" appended, space-separated, to *text (malloc'd, ""
 * if none); racewatch run's own go to *own.  Returns 0; 1 if --help/-h
 * was seen; -1 on an error, with one line (no newline, no "racewatch: "
 * prefix) in err.  A value is checked with the runtime's own parser, so
 * what passes here also passes in the program. */
int rw_run_parse_flags(int argc, char **argv, int *next, char **text, rw_run_own *own,
                       char *err, size_t errlen);

/* The text of "racewatch run --help". */
void rw_run_usage(FILE *f);

#endif
