/* chan.c: Go's channels for C threads, the public operations of
 * racewatch/chan.h: make, free, send, receive, their non-blocking forms,
 * close, len and cap.
 *
 * Each operation takes the channel's lock and makes one attempt
 * (chan_step.c).  If it cannot complete, it queues a record of itself on
 * the channel (Go's sudog) and sleeps on its thread's parker; the partner
 * that completes it, or close, takes the record off the queue, fills in
 * the outcome and wakes it, in the order they arrived; a sender waiting
 * on a full buffer is only woken to try again (chan_impl.h).  Misuse
 * panics with Go's words (panic.c). */
#include "racewatch/chan.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "chan_impl.h"
#include "hooks.h"
#include "panic.h"
#include "quiet_lock.h"

rw_chan *rw_chan_make(size_t elem_size, size_t capacity)
{
    size_t head = (sizeof(rw_chan) + 15) & ~(size_t)15;
    if (capacity > (SIZE_MAX - head) / sizeof(uint64_t)) {
        errno = EINVAL;
        return NULL;
    }
    size_t seq_bytes = capacity * sizeof(uint64_t);
    if (elem_size && capacity > (SIZE_MAX - head - seq_bytes) / elem_size) {
        errno = EINVAL;
        return NULL;
    }
    /* One block: the channel, the slots' turn numbers, the slots. */
    rw_chan *ch = calloc(1, head + seq_bytes + elem_size * capacity);
    if (!ch) {
        errno = ENOMEM;
        return NULL;
    }
    pthread_mutex_init(&ch->mu, NULL);
    ch->elem_size = elem_size;
    ch->cap = capacity;
    ch->slot_seq = (uint64_t *)((unsigned char *)ch + head);
    ch->buf = (unsigned char *)ch->slot_seq + seq_bytes;
    for (size_t s = 0; s < capacity; s++)
        ch->slot_seq[s] = 2 * s;
    if (__racewatch_object_new) {
        char what[64];
        if (capacity)
            snprintf(what, sizeof what, "channel of capacity %zu", capacity);
        else
            snprintf(what, sizeof what, "unbuffered channel");
        __racewatch_object_new(&ch->object, "channel", what, __builtin_return_address(0));
    }
    return ch;
}

void rw_chan_free(rw_chan *ch)
{
    if (!ch)
        return;
    if (__racewatch_object_delete)
        __racewatch_object_delete(&ch->object);
    pthread_mutex_destroy(&ch->mu);
    free(ch);
}

/* Called with the lock held after a send found nothing to do: queue, sleep
 * until a receiver (or close) completes it, finish.  Returns unlocked,
 * true if the send completed, false if it was only woken because a
 * buffered channel has room again: then it must try again. */
static bool send_blocked(rw_chan *ch, const void *elem)
{
    rw_blocked_op op = { parker_self(), 0, -1 };
    rw_waiter w = { 0 };
    w.op = &op;
    w.elem = (void *)elem;
    if (ch->cap == 0)
        hb_release(&op.parker->token);
    waitq_push(&ch->sendq, &w);
    quiet_unlock(&ch->mu);
    parker_park(op.parker, RW_WAIT_CHAN_SEND);
    if (w.retry)
        return false;
    if (!w.success)
        rw_panic(RW_PANIC_SEND_CLOSED);
    hb_acquire(&op.parker->token);
    return true;
}

/* As send_blocked, for a receive; returns its ok. */
static bool recv_blocked(rw_chan *ch, void *out)
{
    rw_blocked_op op = { parker_self(), 0, -1 };
    rw_waiter w = { 0 };
    w.op = &op;
    w.elem = out;
    if (ch->cap == 0)
        hb_release(&op.parker->token);
    waitq_push(&ch->recvq, &w);
    quiet_unlock(&ch->mu);
    parker_park(op.parker, RW_WAIT_CHAN_RECV);
    if (!w.success) {
        chan_recv_closed(ch, out);
        return false;
    }
    if (ch->cap == 0) {
        hb_acquire(&op.parker->token);
        return true;
    }
    rw_wake_list wake = { NULL };
    quiet_lock(&ch->mu);
    chan_take(ch, w.ticket, out, &wake);
    quiet_unlock(&ch->mu);
    wake_list_run(&wake);
    return true;
}

/* A send that blocks only if block; returns whether it happened. */
static bool send(rw_chan *ch, const void *elem, bool block)
{
    for (bool retried = false;; retried = true) {
        rw_wake_list wake = { NULL };
        uint64_t ticket = 0;
        quiet_lock(&ch->mu);
        enum chan_step step = chan_send_step(ch, elem, &wake, &ticket);
        if (retried)
            chan_sender_retried(ch, &wake);
        switch (step) {
        case STEP_DONE:
            break;
        case STEP_SLOT:
            chan_fill(ch, ticket, elem, &wake);
            break;
        case STEP_CLOSED:
            quiet_unlock(&ch->mu);
            wake_list_run(&wake);
            rw_panic(RW_PANIC_SEND_CLOSED);
        case STEP_WAIT:
            if (!block) {
                quiet_unlock(&ch->mu);
                return false;
            }
            if (retried && wake.first) {
                /* Passed the baton on: wake it before sleeping. */
                wake_list_run(&wake);
            }
            if (send_blocked(ch, elem))
                return true;
            continue;
        }
        quiet_unlock(&ch->mu);
        wake_list_run(&wake);
        return true;
    }
}

/* A receive that blocks only if block; returns whether it happened, with
 * its ok in *ok. */
static bool recv(rw_chan *ch, void *out, bool *ok, bool block)
{
    rw_wake_list wake = { NULL };
    uint64_t ticket = 0;
    bool got = true;
    quiet_lock(&ch->mu);
    switch (chan_recv_step(ch, out, &wake, &ticket)) {
    case STEP_DONE:
        break;
    case STEP_SLOT:
        chan_take(ch, ticket, out, &wake);
        break;
    case STEP_CLOSED:
        got = false;
        break;
    case STEP_WAIT:
        if (!block) {
            quiet_unlock(&ch->mu);
            return false;
        }
        *ok = recv_blocked(ch, out);
        return true;
    }
    quiet_unlock(&ch->mu);
    wake_list_run(&wake);
    if (!got)
        chan_recv_closed(ch, out);
    *ok = got;
    return true;
}

void rw_chan_send(rw_chan *ch, const void *elem)
{
    API_ENTRY();
    if (!ch)
        block_forever(RW_WAIT_NIL_SEND);
    object_read(&ch->object, __builtin_return_address(0));
    send(ch, elem, true);
}

bool rw_chan_recv(rw_chan *ch, void *out, bool *ok)
{
    API_ENTRY();
    if (!ch)
        block_forever(RW_WAIT_NIL_RECV);
    bool got;
    recv(ch, out, &got, true);
    if (ok)
        *ok = got;
    return got;
}

bool rw_chan_try_send(rw_chan *ch, const void *elem)
{
    API_ENTRY();
    if (!ch)
        return false;
    object_read(&ch->object, __builtin_return_address(0));
    return send(ch, elem, false);
}

bool rw_chan_try_recv(rw_chan *ch, void *out, bool *ok)
{
    API_ENTRY();
    bool got;
    if (!ch || !recv(ch, out, &got, false))
        return false;
    if (ok)
        *ok = got;
    return true;
}

void rw_chan_close(rw_chan *ch)
{
    API_ENTRY();
    if (!ch)
        rw_panic(RW_PANIC_CLOSE_NIL);
    rw_wake_list wake = { NULL };
    quiet_lock(&ch->mu);
    if (ch->closed) {
        quiet_unlock(&ch->mu);
        rw_panic(RW_PANIC_CLOSE_CLOSED);
    }
    /* As Go's closechan: the write after the check (a second close only
     * panics), before the release (a receive that sees the close is
     * ordered after the write too). */
    object_write(&ch->object, __builtin_return_address(0));
    ch->closed = true;
    hb_release(&ch->close_token);
    /* Waiting receivers get zero values and ok false; waiting senders
     * panic when they wake (success stays false). */
    rw_waiter *w;
    while ((w = waitq_claim(&ch->recvq)))
        wake_list_add(&wake, w);
    while ((w = waitq_claim(&ch->sendq)))
        wake_list_add(&wake, w);
    quiet_unlock(&ch->mu);
    wake_list_run(&wake);
}

size_t rw_chan_len(const rw_chan *ch)
{
    if (!ch || ch->cap == 0)
        return 0;
    rw_chan *c = (rw_chan *)ch;
    quiet_lock(&c->mu);
    size_t n = (size_t)(c->sends - c->recvs);
    quiet_unlock(&c->mu);
    return n;
}

size_t rw_chan_cap(const rw_chan *ch)
{
    return ch ? ch->cap : 0;
}

size_t rw_chan_elem_size(const rw_chan *ch)
{
    return ch ? ch->elem_size : 0;
}
