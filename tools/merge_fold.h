/* merge_fold.h: folding the records of many processes into distinct
 * reports and a list of processes (racewatch merge).
 *
 * A report is identified by its fingerprint: the records with the same
 * one become one entry, which keeps the first record, a count of all of
 * them and the processes they came from.  Entries and processes are in
 * the order they were first seen.
 *
 * A process is a pid and program within one input file: the records of
 * a process are in the file of its pid and start time, and a summary
 * record ends it, so the program an exec starts (same pid, same file) is
 * another one, and so is a later process that got the same pid and
 * appended to a file named by the pid alone (as racewatch named them
 * before).  A process without a summary record ended abnormally
 * (crash, signal, _exit, exec) or is still running.  The "processes" of a
 * record that merge wrote (--json) name processes of that file, whose
 * summaries come first there: each is the latest process of that pid and
 * program, ended or not. */
#ifndef RW_TOOLS_MERGE_FOLD_H
#define RW_TOOLS_MERGE_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "tools/json_record.h"

typedef struct rw_entry {
    rw_record rec;   /* the first record with this fingerprint (owned) */
    uint64_t fp;
    long long count; /* records folded, duplicates in one process included */
    size_t *procs;   /* indices into rw_merge.procs, distinct */
    size_t nprocs, cap_procs;
    int known;       /* listed in the baseline */
    int fails;       /* new and of a kind in --fail-on */
} rw_entry;

typedef struct rw_proc {
    const char *file; /* the input file (not owned) */
    long long pid;
    char *program;
    char **argv;      /* its command line, from the first record that had one */
    size_t nargv;
    int has_argv, argv_truncated;
    char *command;    /* what names it, and name, unique in the merge: */
    char *name;       /* both set by rw_merge_name_processes (proc_name.h) */
    int open;         /* no summary yet: later records belong to it */
    int has_summary;
    long long races, potential_deadlocks, misuse, exit_status;
    long long deadlocks, program_exit_status;
    long long thread_leaks, uses_after_free;
    size_t *entries;  /* indices into rw_merge.entries, distinct, in order */
    size_t nentries, cap_entries;
} rw_proc;

typedef struct rw_merge {
    rw_entry *entries;
    size_t nentries, cap_entries;
    rw_proc *procs;
    size_t nprocs, cap_procs;
    size_t *table; /* open addressing: entry index + 1, 0 = empty */
    size_t table_size;
    const char *file;
    size_t file_first_proc; /* the processes of the current file start here */
    long long nrecords;     /* report records read, with duplicates */
} rw_merge;

void rw_merge_init(rw_merge *m);

/* The records that follow come from file (kept by pointer). */
void rw_merge_begin_file(rw_merge *m, const char *file);

/* Fold r in; merge owns r from then on. */
void rw_merge_add(rw_merge *m, rw_record *r);

/* The entry with fingerprint fp, or NULL. */
rw_entry *rw_merge_find(rw_merge *m, uint64_t fp);

/* A fingerprint's 16 hex digits as a number (case-insensitive). */
uint64_t rw_fingerprint_value(const char *hex);

void rw_merge_free(rw_merge *m);

#endif
