/* json_record.h: one report record of docs/json-format.md, typed and
 * checked.
 *
 * rw_record_load takes a parsed JSON value and checks it against the
 * contract: version 1, a known kind, every documented field of that kind
 * present with its type, a fingerprint of 16 hex digits.  Fields that
 * are not documented are allowed (later versions may add some) and kept
 * in the value, which the record owns: its strings point into it.
 *
 * Records that racewatch merge itself wrote (--json) are records too,
 * with "count" (how many reports were folded into this one) and
 * "processes" (which ones), so merged files can be merged again. */
#ifndef RW_TOOLS_JSON_RECORD_H
#define RW_TOOLS_JSON_RECORD_H

#include <stddef.h>

#include "tools/json_read.h"

typedef enum rw_rec_kind {
    RW_REC_DATA_RACE,
    RW_REC_DEADLOCK,
    RW_REC_LOCK_ORDER,
    RW_REC_MISUSE,
    RW_REC_USE_AFTER_FREE,
    RW_REC_THREAD_LEAK,
    RW_REC_SUMMARY,
} rw_rec_kind;

#define RW_REC_NREPORT_KINDS 6 /* the kinds before RW_REC_SUMMARY */

typedef struct rw_rec_frame {
    const char *function; /* "??" when unknown */
    const char *file;     /* "" when unknown */
    long long line;       /* 0 when unknown */
    const char *offset, *module, *module_offset;
    int inlined;
} rw_rec_frame;

typedef struct rw_rec_stack {
    const char *role;
    long long thread;
    const char *access;  /* data races, else NULL */
    const char *address; /* data races, else NULL */
    const char *reason;  /* deadlocks, else NULL */
    rw_rec_frame *frames;
    size_t nframes;
} rw_rec_stack;

typedef struct rw_rec_thread {
    long long number, created_by;
    int running;
    rw_rec_frame *created_at;
    size_t ncreated_at;
} rw_rec_thread;

typedef struct rw_rec_lock {
    const char *name, *address;
} rw_rec_lock;

/* A process's command line ("argv", "argv_truncated"); n = 0 and
 * known = 0 in records written before racewatch recorded it. */
typedef struct rw_rec_argv {
    int known;
    const char **v;
    size_t n;
    int truncated; /* arguments past the runtime's limit were left out */
} rw_rec_argv;

typedef struct rw_rec_proc {
    long long pid;
    const char *program;
    rw_rec_argv argv;
} rw_rec_proc;

typedef struct rw_record {
    rw_json *json; /* the whole record, owned */
    rw_rec_kind kind;
    long long pid;
    const char *program;
    rw_rec_argv argv;

    /* reports */
    const char *fingerprint, *title, *text;
    const char *rule;    /* misuse: its rule id (detector/misuse_rules.h) */
    int fatal;
    rw_rec_stack *stacks;
    size_t nstacks;
    rw_rec_thread *threads;
    size_t nthreads;
    struct {
        const char *kind, *name, *address;
        long long size, thread;
    } location;          /* data races, uses after free */
    int cycle;           /* deadlocks */
    rw_rec_lock *locks;  /* lock-order inversions */
    size_t nlocks;
    long long leaked_threads; /* thread leaks: threads leaked from its stack */
    long long count;     /* 1, or "count" of a merged record */
    rw_rec_proc *procs;  /* "processes" of a merged record, else NULL */
    size_t nprocs;

    /* summaries */
    long long races, potential_deadlocks, misuse, exit_status;
    long long deadlocks;           /* 0 in records written before it existed */
    long long program_exit_status; /* exit_status in records written before it existed */
    long long thread_leaks;        /* 0 in records written before it existed */
    long long uses_after_free;     /* the same */
} rw_record;

/* Check v and fill r; r owns v from then on, success or not.  -1 with
 * the reason in err, naming the field: "missing field 'text'", "field
 * 'stacks[1].frames[0].line': expected an integer, got a string". */
int rw_record_load(rw_record *r, rw_json *v, char *err, size_t errlen);

void rw_record_free(rw_record *r);

/* "data_race", "deadlock", "lock_order_inversion", "misuse",
 * "use_after_free", "thread_leak", "summary". */
const char *rw_rec_kind_name(rw_rec_kind k);

/* The kind named s (one of the above), or -1. */
int rw_rec_kind_parse(const char *s);

/* The report's primary stack's first frame with a source file, or its
 * first frame, or NULL (the history was lost).  The primary stack is the
 * first one: the current access, the first blocked thread, the first
 * acquisition, the misuse. */
const rw_rec_frame *rw_record_top_frame(const rw_record *r);

/* The first frame of s with a source file, or NULL. */
const rw_rec_frame *rw_stack_source_frame(const rw_rec_stack *s);

#endif
