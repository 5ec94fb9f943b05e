/* chan_step.c: the steps every channel operation is made of (see
 * chan_impl.h for the buffered ticket scheme).  All run with the
 * channel's lock held; only chan_fill and chan_take may wait, and only for
 * a partner that has already been given its ticket and woken.
 *
 * Happens-before edges made here (and nowhere else for values):
 *   unbuffered: the partner that finds a blocked operation acquires the
 *       blocked thread's parker token (released before it slept), copies,
 *       then releases the token, which the blocked thread acquires when it
 *       wakes: send -> receive completes and receive -> send completes;
 *   buffered: each side acquires and releases its slot's token around its
 *       own copy (send k -> receive k, receive k -> send k + cap). */
#include "chan_impl.h"

#include <string.h>

#include "hooks.h"
#include "quiet_lock.h"

static void *slot_at(rw_chan *ch, size_t s)
{
    return ch->buf + s * ch->elem_size;
}

/* Elements of size 0 (Go's struct{}) may come with NULL pointers. */
static void copy_elem(void *dst, const void *src, size_t n)
{
    if (n)
        memcpy(dst, src, n);
}

enum chan_step chan_send_step(rw_chan *ch, const void *elem, rw_wake_list *wake,
                              uint64_t *ticket)
{
    if (ch->closed)
        return STEP_CLOSED;
    rw_waiter *r = waitq_claim(&ch->recvq);
    if (ch->cap == 0) {
        if (!r)
            return STEP_WAIT;
        void *token = &r->op->parker->token;
        hb_acquire(token);
        if (r->elem)
            copy_elem(r->elem, elem, ch->elem_size);
        hb_release(token);
        r->success = true;
        wake_list_add(wake, r);
        return STEP_DONE;
    }
    if (r) {
        /* A receiver waits, so the buffer is empty: the receiver gets
         * this very message. */
        r->ticket = ch->recvs++;
        r->success = true;
        wake_list_add(wake, r);
    } else if (ch->sends - ch->recvs >= ch->cap) {
        return STEP_WAIT;
    }
    *ticket = ch->sends++;
    return STEP_SLOT;
}

void chan_wake_sender(rw_chan *ch, rw_wake_list *wake)
{
    if (ch->waking > 0)
        return;
    rw_waiter *s = waitq_claim(&ch->sendq);
    if (s) {
        s->retry = true;
        ch->waking++;
        wake_list_add(wake, s);
    }
}

void chan_sender_retried(rw_chan *ch, rw_wake_list *wake)
{
    if (ch->waking > 0)
        ch->waking--;
    if (!ch->closed && ch->sends - ch->recvs < ch->cap)
        chan_wake_sender(ch, wake);
}

enum chan_step chan_recv_step(rw_chan *ch, void *out, rw_wake_list *wake, uint64_t *ticket)
{
    if (ch->cap == 0) {
        rw_waiter *s = waitq_claim(&ch->sendq);
        if (s) {
            void *token = &s->op->parker->token;
            hb_acquire(token);
            if (out)
                copy_elem(out, s->elem, ch->elem_size);
            hb_release(token);
            s->success = true;
            wake_list_add(wake, s);
            return STEP_DONE;
        }
        return ch->closed ? STEP_CLOSED : STEP_WAIT;
    }
    if (ch->sends != ch->recvs) {
        *ticket = ch->recvs++;
        /* A sender waits only while the buffer is full: this receive
         * makes room, and the first waiting sender is woken to try again
         * (not handed the room: with threads, a hand-over would cost a
         * context switch per message, as every woken sender would find
         * the buffer full again; see chan_impl.h). */
        chan_wake_sender(ch, wake);
        return STEP_SLOT;
    }
    return ch->closed ? STEP_CLOSED : STEP_WAIT;
}

/* Waits (lock released meanwhile) until slot_seq[s] == want.  The pending
 * wake list runs first, so no thread sleeps while holding back another's
 * wake-up. */
static void wait_turn(rw_chan *ch, size_t s, uint64_t want, rw_wake_list *wake,
                      const char *reason)
{
    if (ch->slot_seq[s] == want)
        return;
    rw_blocked_op op = { parker_self(), 1, 0 };
    rw_waiter w = { 0 };
    w.op = &op;
    w.ticket = want;
    do {
        wake_list_run(wake);
        waitq_push(&ch->slotq, &w);
        quiet_unlock(&ch->mu);
        parker_park(op.parker, reason);
        quiet_lock(&ch->mu);
    } while (ch->slot_seq[s] != want);
}

/* Slot s changed turn: wake the slot waiters whose turn it now is. */
static void turn_changed(rw_chan *ch, size_t s, rw_wake_list *wake)
{
    uint64_t now = ch->slot_seq[s];
    for (rw_waiter *w = ch->slotq.first; w;) {
        rw_waiter *next = w->next;
        if (w->ticket == now) {
            waitq_remove(&ch->slotq, w);
            wake_list_add(wake, w);
        }
        w = next;
    }
}

void chan_fill(rw_chan *ch, uint64_t k, const void *elem, rw_wake_list *wake)
{
    size_t s = (size_t)(k % ch->cap);
    wait_turn(ch, s, 2 * k, wake, RW_WAIT_CHAN_SEND);
    uint64_t *token = &ch->slot_seq[s];
    hb_acquire(token);
    copy_elem(slot_at(ch, s), elem, ch->elem_size);
    hb_release(token);
    ch->slot_seq[s] = 2 * k + 1;
    if (!waitq_empty(&ch->slotq))
        turn_changed(ch, s, wake);
}

void chan_take(rw_chan *ch, uint64_t j, void *out, rw_wake_list *wake)
{
    size_t s = (size_t)(j % ch->cap);
    wait_turn(ch, s, 2 * j + 1, wake, RW_WAIT_CHAN_RECV);
    uint64_t *token = &ch->slot_seq[s];
    hb_acquire(token);
    if (out)
        copy_elem(out, slot_at(ch, s), ch->elem_size);
    hb_release(token);
    ch->slot_seq[s] = 2 * (j + ch->cap);
    if (!waitq_empty(&ch->slotq))
        turn_changed(ch, s, wake);
}

void chan_recv_closed(rw_chan *ch, void *out)
{
    hb_acquire(&ch->close_token);
    if (out && ch->elem_size)
        memset(out, 0, ch->elem_size);
}
