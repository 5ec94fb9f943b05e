/* select.c: Go's select statement over channels (racewatch/select.h).
 *
 * As in Go's selectgo: the cases are polled in a random order (a fresh
 * permutation per call, so ready cases are chosen uniformly and none
 * starves), with every channel involved locked at once, in address order
 * so that two selects cannot deadlock on each other's locks.  The first
 * ready case runs.  Before that, a fast path peeks at the cases in the
 * same order without locks and tries the first that looks ready with its
 * channel alone locked: with producers feeding several channels, locking
 * every channel for every select made the producers queue on the locks.  If none is ready and there is no default, the select
 * queues one record per case on the channels' queues, all pointing to one
 * rw_blocked_op, and sleeps.  The first partner (or close) to claim that
 * op completes the case of its record and wakes the thread; records found
 * later on the other channels are stale and skipped.  Awake, the select
 * locks its channels again and takes its remaining records off their
 * queues before it returns, so that no partner can touch them afterwards.
 *
 * Up to SMALL_SELECT cases use stack space; larger selects allocate. */
#include "racewatch/select.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chan_impl.h"
#include "hooks.h"
#include "panic.h"
#include "quiet_lock.h"

#define SMALL_SELECT 8

/* xorshift64*, one state per thread, seeded from the clock and the
 * state's own address (distinct per thread). */
static __thread uint64_t rand_state;

static uint32_t fast_rand(void)
{
    uint64_t x = rand_state;
    if (x == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        x = ((uint64_t)ts.tv_nsec << 32) ^ (uint64_t)ts.tv_sec ^ (uint64_t)(uintptr_t)&rand_state;
        x |= 1;
    }
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rand_state = x;
    return (uint32_t)((x * 0x2545F4914F6CDD1DULL) >> 32);
}

/* Uniform in [0, n) (Lemire's multiply-shift; the bias is below 2^-32 * n). */
static uint32_t rand_below(uint32_t n)
{
    return (uint32_t)(((uint64_t)fast_rand() * n) >> 32);
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(rw_chan *const *)a, y = (uintptr_t)*(rw_chan *const *)b;
    return x < y ? -1 : x > y;
}

/* The distinct channels of the cases, in address order; returns how many. */
static size_t lock_order(const rw_select_case *cases, size_t n, rw_chan **order)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (cases[i].chan)
            order[k++] = cases[i].chan;
    if (k <= SMALL_SELECT) {
        for (size_t i = 1; i < k; i++)
            for (size_t j = i; j > 0 && (uintptr_t)order[j] < (uintptr_t)order[j - 1]; j--) {
                rw_chan *t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
    } else {
        qsort(order, k, sizeof *order, by_address);
    }
    size_t m = 0;
    for (size_t i = 0; i < k; i++)
        if (m == 0 || order[m - 1] != order[i])
            order[m++] = order[i];
    return m;
}

static void lock_all(rw_chan **order, size_t m)
{
    for (size_t i = 0; i < m; i++)
        quiet_lock(&order[i]->mu);
}

static void unlock_all_but(rw_chan **order, size_t m, const rw_chan *keep)
{
    for (size_t i = m; i-- > 0;)
        if (order[i] != keep)
            quiet_unlock(&order[i]->mu);
}

/* Scratch space of one select: the polling order, the locking order and
 * one waiter record per case. */
struct scratch {
    uint32_t *poll;
    rw_chan **order;
    rw_waiter *waiters;
    void *heap;
    uint32_t poll_small[SMALL_SELECT];
    rw_chan *order_small[SMALL_SELECT];
    rw_waiter waiters_small[SMALL_SELECT];
};

static void scratch_init(struct scratch *s, size_t n)
{
    s->heap = NULL;
    if (n <= SMALL_SELECT) {
        s->poll = s->poll_small;
        s->order = s->order_small;
        s->waiters = s->waiters_small;
        return;
    }
    size_t bytes = n * (sizeof(rw_waiter) + sizeof(rw_chan *) + sizeof(uint32_t));
    s->heap = malloc(bytes);
    if (!s->heap) {
        fprintf(stderr, "racewatch-chan: out of memory in rw_select (%zu cases)\n", n);
        abort();
    }
    s->waiters = s->heap;
    s->order = (rw_chan **)(s->waiters + n);
    s->poll = (uint32_t *)(s->order + n);
}

/* Whether the case would proceed now, peeking without the channel's lock
 * (relaxed loads of fields written under it: a hint, never acted on
 * without taking the lock). */
static bool looks_ready(const rw_select_case *c)
{
    const rw_chan *ch = c->chan;
    if (__atomic_load_n(&ch->closed, __ATOMIC_RELAXED))
        return true;
    if (ch->cap == 0) {
        const rw_waitq *q = c->dir == RW_SELECT_SEND ? &ch->recvq : &ch->sendq;
        return __atomic_load_n(&q->first, __ATOMIC_RELAXED) != NULL;
    }
    uint64_t sends = __atomic_load_n(&ch->sends, __ATOMIC_RELAXED);
    uint64_t recvs = __atomic_load_n(&ch->recvs, __ATOMIC_RELAXED);
    return c->dir == RW_SELECT_SEND ? sends - recvs < ch->cap : sends != recvs;
}

/* The case's attempt came to step (not STEP_WAIT) with its channel
 * locked, and only that one: copy the element if it was given a buffer
 * slot, unlock, wake the partners the attempt completed. */
static void complete_locked(rw_select_case *c, enum chan_step step, uint64_t ticket,
                            rw_wake_list *wake)
{
    rw_chan *ch = c->chan;
    if (step == STEP_SLOT) {
        if (c->dir == RW_SELECT_SEND)
            chan_fill(ch, ticket, c->elem, wake);
        else
            chan_take(ch, ticket, c->elem, wake);
    }
    quiet_unlock(&ch->mu);
    wake_list_run(wake);
}

/* What the case's caller sees, with no lock held: a send on a closed
 * channel panics; a receive gets ok, and the zero value if closed. */
static void outcome(rw_select_case *c, enum chan_step step)
{
    if (c->dir == RW_SELECT_SEND) {
        if (step == STEP_CLOSED)
            rw_panic(RW_PANIC_SEND_CLOSED);
        return;
    }
    c->ok = step != STEP_CLOSED;
    if (!c->ok)
        chan_recv_closed(c->chan, c->elem);
}

/* The wait: queue a record on every case's channel, sleep, clean up;
 * returns the case that ran, still to be finished with its outcome. */
static int wait_for_case(rw_select_case *cases, size_t n, struct scratch *s, size_t m)
{
    rw_blocked_op op = { parker_self(), 0, -1 };
    bool handover = false;
    for (size_t i = 0; i < n; i++) {
        rw_waiter *w = &s->waiters[i];
        memset(w, 0, sizeof *w);
        if (!cases[i].chan)
            continue;
        w->op = &op;
        w->elem = cases[i].elem;
        w->case_index = (int)i;
        rw_chan *ch = cases[i].chan;
        waitq_push(cases[i].dir == RW_SELECT_SEND ? &ch->sendq : &ch->recvq, w);
        handover |= ch->cap == 0;
    }
    /* An unbuffered partner acquires what this thread did so far. */
    if (handover)
        hb_release(&op.parker->token);
    unlock_all_but(s->order, m, NULL);
    parker_park(op.parker, RW_WAIT_SELECT);

    int fired = op.fired;
    lock_all(s->order, m);
    for (size_t i = 0; i < n; i++) {
        rw_chan *ch = cases[i].chan;
        if (ch && (int)i != fired)
            waitq_remove(cases[i].dir == RW_SELECT_SEND ? &ch->sendq : &ch->recvq,
                         &s->waiters[i]);
    }
    unlock_all_but(s->order, m, NULL);
    return fired;
}

/* A select woken to retry a send on ch (room appeared) passes the baton
 * on (chan_impl.h) before its new attempt, not after: the attempt may
 * take another case or wait again, and room left on ch must not be left
 * unused while a sender sleeps.  (At worst the sender woken here finds
 * the room taken by this select, and waits again.) */
static void pass_wake(rw_chan *ch)
{
    rw_wake_list wake = { NULL };
    quiet_lock(&ch->mu);
    chan_sender_retried(ch, &wake);
    quiet_unlock(&ch->mu);
    wake_list_run(&wake);
}

static int select_once(rw_select_case *cases, size_t n, bool has_default, rw_chan **retry);

int rw_select(rw_select_case *cases, size_t n, bool has_default)
{
    API_ENTRY();
    if (n == 0) {
        if (has_default)
            return RW_SELECT_DEFAULT;
        block_forever(RW_WAIT_SELECT_EMPTY);
    }
    /* Every send case reads its channel (Go's selectgo reads the send
     * cases it polls; here all of them, once, whichever runs). */
    for (size_t i = 0; i < n; i++)
        if (cases[i].chan && cases[i].dir == RW_SELECT_SEND)
            object_read(&cases[i].chan->object, __builtin_return_address(0));
    rw_chan *retry = NULL;
    for (;;) {
        if (retry)
            pass_wake(retry);
        retry = NULL;
        int i = select_once(cases, n, has_default, &retry);
        if (!retry)
            return i;
    }
}

/* One attempt: poll, else wait.  Returns the case that ran, or sets
 * *retry to the channel whose wake-up asks for a new attempt. */
static int select_once(rw_select_case *cases, size_t n, bool has_default, rw_chan **retry)
{
    struct scratch s;
    scratch_init(&s, n);
    for (size_t i = 0; i < n; i++) {
        uint32_t j = rand_below((uint32_t)i + 1);
        s.poll[i] = s.poll[j];
        s.poll[j] = (uint32_t)i;
    }
    /* Fast path: the first case, in that random order, that looks ready
     * when peeking without locks; only its channel is locked.  A peek is
     * a hint: the attempt is made under the lock, and if the case is not
     * ready after all, the full poll below decides. */
    for (size_t k = 0; k < n; k++) {
        int i = (int)s.poll[k];
        rw_select_case *c = &cases[i];
        if (!c->chan || !looks_ready(c))
            continue;
        rw_wake_list wake = { NULL };
        uint64_t ticket = 0;
        quiet_lock(&c->chan->mu);
        enum chan_step step = c->dir == RW_SELECT_SEND
            ? chan_send_step(c->chan, c->elem, &wake, &ticket)
            : chan_recv_step(c->chan, c->elem, &wake, &ticket);
        if (step != STEP_WAIT) {
            free(s.heap);
            complete_locked(c, step, ticket, &wake);
            outcome(c, step);
            return i;
        }
        quiet_unlock(&c->chan->mu);
        break;
    }

    size_t m = lock_order(cases, n, s.order);
    if (m == 0) {
        free(s.heap);
        if (has_default)
            return RW_SELECT_DEFAULT;
        block_forever(RW_WAIT_SELECT);
    }

    lock_all(s.order, m);
    for (size_t k = 0; k < n; k++) {
        int i = (int)s.poll[k];
        rw_select_case *c = &cases[i];
        if (!c->chan)
            continue;
        rw_wake_list wake = { NULL };
        uint64_t ticket = 0;
        enum chan_step step = c->dir == RW_SELECT_SEND
            ? chan_send_step(c->chan, c->elem, &wake, &ticket)
            : chan_recv_step(c->chan, c->elem, &wake, &ticket);
        if (step == STEP_WAIT)
            continue;
        unlock_all_but(s.order, m, c->chan);
        free(s.heap);
        complete_locked(c, step, ticket, &wake);
        outcome(c, step);
        return i;
    }
    if (has_default) {
        unlock_all_but(s.order, m, NULL);
        free(s.heap);
        return RW_SELECT_DEFAULT;
    }

    int i = wait_for_case(cases, n, &s, m);
    rw_select_case *c = &cases[i];
    bool success = s.waiters[i].success;
    uint64_t ticket = s.waiters[i].ticket;
    bool again = s.waiters[i].retry;
    free(s.heap);
    if (again) {
        *retry = c->chan;
        return -1;
    }
    if (!success) {
        outcome(c, STEP_CLOSED);
    } else if (c->chan->cap == 0) {
        hb_acquire(&parker_self()->token);
        outcome(c, STEP_DONE);
    } else {
        rw_wake_list wake = { NULL };
        quiet_lock(&c->chan->mu);
        complete_locked(c, STEP_SLOT, ticket, &wake);
        outcome(c, STEP_SLOT);
    }
    return i;
}
