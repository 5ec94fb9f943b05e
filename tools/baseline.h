/* baseline.h: baseline files, the fingerprints of known reports.
 *
 * A baseline is written from a merge (--write-baseline) and read back
 * later (--baseline): the reports it lists are still shown, marked as
 * known, but do not fail the merge.  The format is one fingerprint (16
 * hex digits) a line; "#" starts a comment, blank lines are allowed:
 *
 *   # racewatch baseline: ...
 *   d649c1dc40bbbfb4  # WARNING: DATA RACE at increment() counter_race.c:12
 *
 * Any other line is an error naming the file and the line. */
#ifndef RW_TOOLS_BASELINE_H
#define RW_TOOLS_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "tools/merge_fold.h"

typedef struct rw_baseline {
    uint64_t *fps; /* sorted, distinct */
    size_t n;
} rw_baseline;

/* Read path.  0, or -1 after printing "racewatch merge: PATH:LINE: ...". */
int rw_baseline_read(rw_baseline *b, const char *path);

int rw_baseline_has(const rw_baseline *b, uint64_t fp);

/* Mark the entries of m that b lists as known; returns how many of b's
 * fingerprints no entry has. */
size_t rw_baseline_apply(const rw_baseline *b, rw_merge *m);

/* Write every entry of m to path, sorted by fingerprint.  0, or -1 after
 * printing "racewatch merge: PATH: reason". */
int rw_baseline_write(const rw_merge *m, const char *path);

void rw_baseline_free(rw_baseline *b);

#endif
