/* merge.h: "racewatch merge": many processes' JSON records (the runtime's
 * json_path files, docs/json-format.md) into one text, SARIF, JUnit or
 * JSON summary with duplicates folded, a baseline of known reports, and
 * an exit status for CI (docs/ci.md). */
#ifndef RW_TOOLS_MERGE_H
#define RW_TOOLS_MERGE_H

#include <stdio.h>

#include "tools/merge_fold.h"

/* What the writers need to know besides the records. */
typedef struct rw_merge_opts {
    unsigned fail_on;        /* bit (1 << rw_rec_kind) per kind that fails */
    const char *baseline;    /* --baseline FILE, or NULL */
    size_t baseline_unseen;  /* its fingerprints that no report had */
    const char *source_root; /* --source-root, absolute, or NULL */
    const char *version;     /* racewatch's version, for SARIF */
} rw_merge_opts;

/* argv[0] is "merge".  Returns 0 (no failing report), 1 (new reports of
 * the kinds in --fail-on) or RW_EXIT_ERROR, 125 (bad usage, unreadable
 * or malformed input, an output that cannot be written). */
int rw_merge_main(int argc, char **argv);

/* The text of "racewatch help merge". */
void rw_merge_usage(FILE *f);

/* The --fail-on mask (bit 1 << rw_rec_kind per kind) of s: a comma list
 * of data_race, deadlock, lock_order_inversion, misuse, use_after_free,
 * thread_leak and all, or none alone; -1 if s is none of these. */
long rw_parse_fail_on(const char *s);

/* --fail-on all: every kind that fails a run by default.  Thread leaks
 * are warnings that leave a clean exit alone (report_thread_leaks=1):
 * they fail only when named (--fail-on all,thread_leak). */
#define RW_FAIL_ON_ALL ((1u << RW_REC_THREAD_LEAK) - 1)

/* "data_race,deadlock" for a --fail-on mask, "all" or "none". */
const char *rw_fail_on_text(unsigned mask);

#endif
