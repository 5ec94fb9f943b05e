/* waitq.h: queues of blocked channel operations, Go's sudogs (private).
 *
 * A blocked send, receive or select is one rw_blocked_op (its thread's
 * parker and which case ran).  It waits on one or more channels through
 * rw_waiter records, one per case, each queued on its channel's send or
 * receive queue in arrival order.  The thread that completes the
 * operation (a partner, or close) claims the rw_blocked_op first: a select
 * queued on several channels is claimed once, and its other records,
 * found later, are stale and dropped.  Records and ops live on the
 * blocked thread's stack; a queue is only touched under its channel's
 * lock, and the blocked thread takes that lock again before it returns,
 * so no other thread touches a record after its owner returns. */
#ifndef RACEWATCH_CHAN_WAITQ_H
#define RACEWATCH_CHAN_WAITQ_H

#include <stdbool.h>
#include <stdint.h>

#include "parker.h"

typedef struct rw_blocked_op {
    rw_parker *parker;
    int claimed;            /* 0 until claimed (atomic: a select's records
                             * sit on queues under different locks) */
    int fired;              /* index of the case that was completed */
} rw_blocked_op;

typedef struct rw_waiter rw_waiter;
struct rw_waiter {
    rw_waiter *next, *prev;         /* on the channel's queue */
    rw_waiter *wake_next;           /* on a wake list, once claimed */
    rw_blocked_op *op;
    void *elem;                     /* send: the value; receive: destination */
    uint64_t ticket;                /* buffered: the message given to the op,
                                     * or the slot sequence a slot waiter
                                     * waits for */
    int case_index;
    bool success;                   /* false: completed by close */
    bool retry;                     /* buffered send: woken because room
                                     * appeared, not completed: try again */
    bool queued;
};

typedef struct rw_waitq {
    rw_waiter *first, *last;
} rw_waitq;

/* Waiters claimed under a lock and woken after it is released. */
typedef struct rw_wake_list {
    rw_waiter *first;
} rw_wake_list;

void waitq_push(rw_waitq *q, rw_waiter *w) __attribute__((visibility("hidden")));
void waitq_remove(rw_waitq *q, rw_waiter *w) __attribute__((visibility("hidden")));

/* Takes the first waiter whose operation nobody has claimed yet off q and
 * claims it (stale records on the way are dropped); NULL if none. */
rw_waiter *waitq_claim(rw_waitq *q) __attribute__((visibility("hidden")));

static inline bool waitq_empty(const rw_waitq *q)
{
    return q->first == 0;
}

static inline void wake_list_add(rw_wake_list *l, rw_waiter *w)
{
    w->wake_next = l->first;
    l->first = w;
}

/* Unparks every waiter of the list and empties it.  The records may be
 * gone as soon as their thread runs, so each is read before its unpark. */
void wake_list_run(rw_wake_list *l) __attribute__((visibility("hidden")));

#endif
