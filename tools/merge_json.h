/* merge_json.h: a merge as JSON lines (--json FILE), in the record
 * format of docs/json-format.md so that merge can read it back.
 *
 * First the summary record of every process that had one; then one line
 * per distinct report: its first record as it was read, with "count"
 * (records folded into it), "processes" (array of {"pid", "program"},
 * with "argv" when it is known: where it was seen) and "known" (listed
 * in --baseline) set.  Merging
 * such files again gives the same reports, counts and processes. */
#ifndef RW_TOOLS_MERGE_JSON_H
#define RW_TOOLS_MERGE_JSON_H

#include <stdio.h>

#include "tools/merge_fold.h"

void rw_merge_write_json(FILE *f, const rw_merge *m);

#endif
