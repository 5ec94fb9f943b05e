/* waitfor.h: which threads are asleep, on what, and whether the program
 * can still make progress: the "all threads are asleep" check and the
 * wait-for cycle check of shared/spec/semantics.md.
 *
 * Every watched thread has a waiter record in a live list.  A thread that
 * is about to block, without a timeout, in a call racewatch models (mutex
 * and rwlock locks, condition waits, sem_wait, barriers, join, channel
 * operations) marks its record blocked and runs the checks; a thread that
 * exits runs the all-asleep check too.  Everything happens under one
 * spinlock, taken only on those paths (never on uncontended locks).
 *
 * What each kind of wait needs to end is the runtime's knowledge (glibc's
 * mutex owner, a semaphore's value, a condition's pending signals), so it
 * is asked through rw_wait_model.  The verdicts are certain by
 * construction: all threads asleep and none of their waits can end means
 * nothing inside the process can wake any of them; a cycle of threads
 * each waiting for a mutex owned by (or the end of) the next cannot
 * unwind either. */
#ifndef RW_WAITFOR_H
#define RW_WAITFOR_H

#include <stdint.h>

enum rw_wait_kind {
    RW_WAIT_NONE = 0,   /* running (or in an unmodelled or timed call) */
    RW_WAIT_MUTEX,      /* obj = the mutex; ticket 1: we owned it already */
    RW_WAIT_RDLOCK,     /* obj = the rwlock */
    RW_WAIT_WRLOCK,     /* obj = the rwlock */
    RW_WAIT_COND,       /* obj = the condition variable, obj2 = its mutex */
    RW_WAIT_JOIN,       /* obj = the joined thread's rw_waiter */
    RW_WAIT_SEM,        /* obj = the semaphore */
    RW_WAIT_BARRIER,    /* obj = the barrier, ticket = the round */
    RW_WAIT_FOREVER,    /* nothing can end it (nil channel, empty select) */
    RW_WAIT_LOCK,       /* obj = a lock whose holder the runtime records
                           (its sync object's owner: a thread number) */
    RW_WAIT_IDLE,       /* a pool thread between jobs (OpenMP's workers):
                           ends when a job is handed out to the pool */
};

typedef struct rw_waiter {
    struct rw_waiter *prev, *next;
    uint32_t number;        /* thread number */
    uint32_t parent;        /* creator's number (0 for the main thread) */
    uint32_t create_stack;  /* stack depot id of the creation */
    int tid;                /* kernel thread id */
    int live;
    int cancel_requested;   /* pthread_cancel'ed: its wait ends (or it
                               runs on with cancellation disabled) */
    int kind;               /* enum rw_wait_kind */
    const char *reason;     /* what the report shows in brackets */
    const void *obj, *obj2;
    uint64_t ticket;
    uint32_t stack;         /* stack depot id where it blocked (0 while
                               wait_context stands for it) */
    const void *wait_context; /* runtime's: the registers the waiting frame
                               saved, to walk its stack from at a report
                               (NULL: stack is the stack) */
    uintptr_t wait_pc, wait_api_caller; /* runtime's, with wait_context */
    const void *counted_in; /* the condition or semaphore whose waiter
                               count includes this thread (runtime's) */
} rw_waiter;

typedef struct rw_wait_model {
    /* 1 if w's wait may end without any other thread acting now (the
     * mutex is free, the semaphore has a count, a signal is pending...). */
    int (*can_end)(const rw_waiter *w);
    /* For waits that end only when one given thread acts (a mutex's
     * owner, a joined thread): that thread's record, else NULL. */
    rw_waiter *(*holder)(const rw_waiter *w);
    /* 1 if the process has threads racewatch does not watch (then it
     * cannot know that all are asleep). */
    int (*unwatched_threads)(int nlive);
} rw_wait_model;

enum rw_deadlock { RW_NO_DEADLOCK = 0, RW_ALL_ASLEEP, RW_CYCLE };

#define RW_MAX_CYCLE 64

typedef struct rw_deadlock_report {
    int verdict;                       /* enum rw_deadlock */
    int n;                             /* threads in the report */
    rw_waiter *threads[RW_MAX_CYCLE];  /* cycle order, or live-list order */
} rw_deadlock_report;

void rw_waitfor_set_model(const rw_wait_model *m);

/* The lock guarding waiter records and the runtime's wait state. */
void rw_waitfor_lock(void);
void rw_waitfor_unlock(void);

/* Add / remove a live thread (lock not held).  Removing runs the
 * all-asleep check on the threads that remain: a verdict other than
 * RW_NO_DEADLOCK is returned with the lock still held. */
void rw_waitfor_add(rw_waiter *w);
int rw_waitfor_remove(rw_waiter *w, rw_deadlock_report *out);

/* w is about to block (lock not held).  Records the wait, then checks for
 * a cycle through w and for all threads asleep.  On RW_NO_DEADLOCK the
 * lock is released; otherwise it is still held and *out says who. */
int rw_waitfor_block(rw_waiter *w, int kind, const char *reason, const void *obj,
                     const void *obj2, uint64_t ticket, uint32_t stack,
                     rw_deadlock_report *out);

/* The same, with the lock already held (to update the runtime's wait
 * state and block atomically). */
int rw_waitfor_block_locked(rw_waiter *w, int kind, const char *reason, const void *obj,
                            const void *obj2, uint64_t ticket, uint32_t stack,
                            rw_deadlock_report *out);

/* w woke up (lock not held / held). */
void rw_waitfor_unblock(rw_waiter *w);
void rw_waitfor_unblock_locked(rw_waiter *w);

/* Live threads, blocked threads (statistics and tests). */
int rw_waitfor_live(void);
int rw_waitfor_blocked(void);
/* First live waiter, next one (iterate under the lock). */
rw_waiter *rw_waitfor_first(void);

void rw_waitfor_reset_after_fork(rw_waiter *survivor);

#endif
