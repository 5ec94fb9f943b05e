/* merge_text.h: the text form of a merge: each distinct report's own
 * text once, with how often it was seen and whether the baseline knows
 * it, then a summary of the processes and reports and the verdict. */
#ifndef RW_TOOLS_MERGE_TEXT_H
#define RW_TOOLS_MERGE_TEXT_H

#include <stdio.h>

#include "tools/merge.h"
#include "tools/merge_fold.h"

/* The reports, a blank line, the summary. */
void rw_merge_write_text(FILE *f, const rw_merge *m, const rw_merge_opts *o);

/* The summary alone (also JUnit's <system-out>). */
void rw_merge_write_summary(FILE *f, const rw_merge *m, const rw_merge_opts *o);

#endif
