/* hookstub.h: what hookstub.c records of libracewatch-chan's calls to the
 * detector hooks, read by test_hooks.c. */
#ifndef HOOKSTUB_H
#define HOOKSTUB_H

/* The stub's __racewatch_panic exits with this status (the library's own
 * panic, without a detector, exits 2). */
#define HOOKSTUB_PANIC_STATUS 42

typedef struct hookstub_counts {
    long acquires, releases;
    long cross_thread_acquires;     /* acquires of an address another
                                     * thread released last */
    long ignore_begins, ignore_ends, unbalanced;
    long reasons, reason_send, reason_recv, reason_select, reason_waitgroup,
        reason_other;
    long bracketed_calls;           /* pthread mutex/cond calls inside an
                                     * ignore bracket ... */
    long unbracketed_calls;         /* ... and outside one */
    long waits, named_waits;        /* pthread_cond_wait calls, and those
                                     * named by a block reason just before */
    long objects_new, objects_deleted;
    long object_reads, object_writes;
    long unknown_object_accesses;   /* of an address never made an object,
                                     * or already deleted */
    long accesses_without_caller;   /* caller NULL */
} hookstub_counts;

/* Defined by libhookstub.so; test_hooks finds it with dlsym. */
hookstub_counts *hookstub_record(void);

#endif
