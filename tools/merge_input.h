/* merge_input.h: the inputs of racewatch merge: which files, and their
 * records read line by line into a rw_merge.
 *
 * An INPUT is a file (read whatever its name) or a directory (every
 * *.jsonl file under it, recursively, in name order).  A file named
 * twice, directly or through a directory or link, is read once.  Every
 * line of a file must be one record (json_record.h); the first one that
 * is not stops the merge with one error line naming the file and line. */
#ifndef RW_TOOLS_MERGE_INPUT_H
#define RW_TOOLS_MERGE_INPUT_H

#include "tools/merge_fold.h"
#include "tools/strvec.h"

/* Append the files of inputs[0..n) to files (malloc'd paths).  0, or -1
 * after printing "racewatch merge: PATH: reason". */
int rw_merge_collect(char *const *inputs, size_t n, strvec *files);

/* Read every record of path into m.  0, or -1 after printing
 * "racewatch merge: PATH:LINE: reason". */
int rw_merge_read(rw_merge *m, const char *path);

#endif
