/* sarif_write.h: a merge as a SARIF 2.1.0 log for code-scanning tools
 * (GitHub code scanning, and any other SARIF viewer).
 *
 * One run, tool.driver "racewatch" with one rule per report kind
 * (data-race, deadlock, lock-order-inversion, misuse, use-after-free,
 * thread-leak), one result per
 * distinct report: its primary location (the first stack's top frame
 * with a source file), related locations for the other stacks, a code
 * flow with one thread flow per stack, partialFingerprints
 * {"racewatchFingerprint/v1": fingerprint} so the same report is the same
 * alert across runs, occurrenceCount, and baselineState when a baseline
 * was given.  See docs/ci.md for the exact mapping. */
#ifndef RW_TOOLS_SARIF_WRITE_H
#define RW_TOOLS_SARIF_WRITE_H

#include <stdio.h>

#include "tools/merge.h"
#include "tools/merge_fold.h"

void rw_sarif_write(FILE *f, const rw_merge *m, const rw_merge_opts *o);

#endif
