/* waitfor.c: the live-thread list and the two deadlock checks (see
 * waitfor.h). */
#include "detector/waitfor.h"

#include <stddef.h>

#include "detector/spinlock.h"

static rw_spin lock = RW_SPIN_INIT;
static rw_waiter *head;
static int nlive, nblocked;
static const rw_wait_model *model;

void rw_waitfor_set_model(const rw_wait_model *m)
{
    model = m;
}

void rw_waitfor_lock(void)
{
    rw_spin_lock(&lock);
}

void rw_waitfor_unlock(void)
{
    rw_spin_unlock(&lock);
}

void rw_waitfor_add(rw_waiter *w)
{
    rw_spin_lock(&lock);
    w->kind = RW_WAIT_NONE;
    w->live = 1; /* cancel_requested stays: a cancel may come before the start */
    w->prev = NULL;
    w->next = head;
    if (head)
        head->prev = w;
    head = w;
    nlive++;
    rw_spin_unlock(&lock);
}

/* All live threads blocked, and not one of their waits can end. */
static int all_asleep(rw_deadlock_report *out)
{
    if (nlive == 0 || nblocked < nlive || !model)
        return 0;
    for (rw_waiter *w = head; w; w = w->next)
        if (w->kind == RW_WAIT_NONE || model->can_end(w))
            return 0;
    if (model->unwatched_threads && model->unwatched_threads(nlive))
        return 0;
    out->verdict = RW_ALL_ASLEEP;
    out->n = 0;
    /* Report in thread-number order, as Go lists goroutines. */
    for (rw_waiter *w = head; w; w = w->next) {
        if (out->n == RW_MAX_CYCLE)
            break;
        int i = out->n++;
        while (i > 0 && out->threads[i - 1]->number > w->number) {
            out->threads[i] = out->threads[i - 1];
            i--;
        }
        out->threads[i] = w;
    }
    return 1;
}

/* Follow "waits for the thread that must act" from w; a path back to w
 * is a cycle.  Each step needs a blocked holder whose own wait cannot end
 * by itself. */
static int cycle_through(rw_waiter *w, rw_deadlock_report *out)
{
    if (!model || !model->holder)
        return 0;
    out->n = 0;
    rw_waiter *cur = w;
    while (out->n < RW_MAX_CYCLE) {
        if (cur->kind == RW_WAIT_NONE || model->can_end(cur))
            return 0;
        out->threads[out->n++] = cur;
        rw_waiter *next = model->holder(cur);
        if (!next || !next->live)
            return 0;
        if (next == w) {
            out->verdict = RW_CYCLE;
            return 1;
        }
        for (int i = 0; i < out->n; i++)
            if (out->threads[i] == next)
                return 0; /* a cycle, but not through w: its last thread reports it */
        cur = next;
    }
    return 0;
}

int rw_waitfor_remove(rw_waiter *w, rw_deadlock_report *out)
{
    rw_spin_lock(&lock);
    if (w->live) {
        if (w->kind != RW_WAIT_NONE)
            nblocked--;
        w->kind = RW_WAIT_NONE;
        w->live = 0;
        if (w->prev)
            w->prev->next = w->next;
        else
            head = w->next;
        if (w->next)
            w->next->prev = w->prev;
        nlive--;
    }
    out->verdict = RW_NO_DEADLOCK;
    if (all_asleep(out))
        return out->verdict;
    rw_spin_unlock(&lock);
    return RW_NO_DEADLOCK;
}

int rw_waitfor_block(rw_waiter *w, int kind, const char *reason, const void *obj,
                     const void *obj2, uint64_t ticket, uint32_t stack,
                     rw_deadlock_report *out)
{
    rw_spin_lock(&lock);
    return rw_waitfor_block_locked(w, kind, reason, obj, obj2, ticket, stack, out);
}

int rw_waitfor_block_locked(rw_waiter *w, int kind, const char *reason, const void *obj,
                            const void *obj2, uint64_t ticket, uint32_t stack,
                            rw_deadlock_report *out)
{
    if (w->kind == RW_WAIT_NONE && w->live)
        nblocked++;
    w->kind = kind;
    w->reason = reason;
    w->obj = obj;
    w->obj2 = obj2;
    w->ticket = ticket;
    w->stack = stack;
    out->verdict = RW_NO_DEADLOCK;
    if (w->live && (all_asleep(out) || cycle_through(w, out)))
        return out->verdict;
    rw_spin_unlock(&lock);
    return RW_NO_DEADLOCK;
}

void rw_waitfor_unblock_locked(rw_waiter *w)
{
    if (w->kind != RW_WAIT_NONE && w->live)
        nblocked--;
    w->kind = RW_WAIT_NONE;
}

void rw_waitfor_unblock(rw_waiter *w)
{
    rw_spin_lock(&lock);
    rw_waitfor_unblock_locked(w);
    rw_spin_unlock(&lock);
}

int rw_waitfor_live(void)
{
    return __atomic_load_n(&nlive, __ATOMIC_RELAXED);
}

int rw_waitfor_blocked(void)
{
    return __atomic_load_n(&nblocked, __ATOMIC_RELAXED);
}

rw_waiter *rw_waitfor_first(void)
{
    return head;
}

void rw_waitfor_reset_after_fork(rw_waiter *survivor)
{
    /* Only the forking thread exists in the child: the others' records
     * stay (a report may name them) but are no longer live, so a join of
     * one of them is a join of a finished thread. */
    lock.v = 0;
    for (rw_waiter *w = head; w; w = w->next) {
        w->live = 0;
        w->kind = RW_WAIT_NONE;
    }
    head = NULL;
    nlive = nblocked = 0;
    if (survivor) {
        survivor->live = 0;
        rw_waitfor_add(survivor);
    }
}
