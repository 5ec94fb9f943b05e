/* waitq.c: FIFO queues of blocked channel operations (see waitq.h).
 *
 * Doubly linked so that a select can take its leftover records off any
 * channel in O(1) when one of its cases has run.  Claiming is a
 * compare-and-swap on the operation, because the records of one select
 * sit on the queues of several channels, each under its own lock: the
 * first channel to claim the select completes it, the others drop their
 * record.  Go's runtime does the same with g.selectDone. */
#include "waitq.h"

#include <stddef.h>

void waitq_push(rw_waitq *q, rw_waiter *w)
{
    w->next = NULL;
    w->prev = q->last;
    if (q->last)
        q->last->next = w;
    else
        q->first = w;
    q->last = w;
    w->queued = true;
}

void waitq_remove(rw_waitq *q, rw_waiter *w)
{
    if (!w->queued)
        return;
    if (w->prev)
        w->prev->next = w->next;
    else
        q->first = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        q->last = w->prev;
    w->next = w->prev = NULL;
    w->queued = false;
}

rw_waiter *waitq_claim(rw_waitq *q)
{
    while (q->first) {
        rw_waiter *w = q->first;
        waitq_remove(q, w);
        int expected = 0;
        if (__atomic_compare_exchange_n(&w->op->claimed, &expected, 1, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            w->op->fired = w->case_index;
            return w;
        }
    }
    return NULL;
}

void wake_list_run(rw_wake_list *l)
{
    rw_waiter *w = l->first;
    l->first = NULL;
    while (w) {
        rw_waiter *next = w->wake_next;
        parker_unpark(w->op->parker);
        w = next;
    }
}
