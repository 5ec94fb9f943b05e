/* chan_impl.h: a channel's state and the steps every channel operation
 * is made of, shared by chan.c (single operations) and select.c (private).
 *
 * Unbuffered channels hand each value over directly: the partner that
 * finds a blocked operation queued copies the value from or to it.
 *
 * Buffered channels number messages.  Every send is given the next send
 * ticket k, every receive the next receive ticket j; message k lives in
 * slot k % cap.  The counts of tickets given out are Go's view of the
 * channel (len = sends - receives): a send gets a ticket when the buffer
 * has room, a receive when a message exists.  A receiver that waits on an
 * empty buffer is handed its ticket by the sender that completes it (the
 * sender fills the slot at once), first come first served.  A sender that
 * waits on a full buffer is only woken, first come first served, when a
 * receive makes room, and tries again: handing it the room (as Go's
 * runtime does) would make every message of a producer that outruns its
 * consumer cost a sleep and a wake-up, since the woken sender finds the
 * buffer full again at its next send (measured: 5x slower than a mutex and
 * condition variable queue with 4 producers).  Only one woken sender is
 * on its way at a time (waking): receives made meanwhile wake nobody
 * more, and the woken sender, once it has retried, wakes the next one if
 * room is left (chan_sender_retried), as a baton.  A select woken that
 * way passes the baton on whichever case it takes (select.c).
 * Then each operation copies its own element into or out of its slot,
 * with slot_seq[s] saying whose turn it is (after Vyukov's bounded queue,
 * but with even and odd turns so that capacity 1 is not ambiguous):
 *     slot_seq[s] == 2k       slot s is free for send ticket k
 *     slot_seq[s] == 2k + 1   slot s holds message k, for receive ticket k
 *     after receive k:        slot_seq[s] = 2(k + cap)
 * An operation whose slot is not its turn yet (its partner has been given
 * a ticket but has not run yet) waits briefly on the channel's slot queue.
 * Because each side copies its own element, each side also makes its own
 * happens-before edge on the slot, at the moment of the copy: send k
 * releases slot s after filling it, receive k acquires it before reading
 * and releases it after, send k + cap acquires it before refilling.  That
 * is exactly Go's "k-th receive before the (k+cap)-th send completes".
 * (A partner cannot make those edges on behalf of a sleeping thread: the
 * tsan interface acquires and releases only for the calling thread.) */
#ifndef RACEWATCH_CHAN_IMPL_H
#define RACEWATCH_CHAN_IMPL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "racewatch/chan.h"
#include "waitq.h"

struct rw_chan {
    pthread_mutex_t mu;             /* guards everything below */
    size_t elem_size;
    size_t cap;
    unsigned char *buf;             /* cap slots of elem_size bytes */
    uint64_t *slot_seq;             /* cap turn numbers; &slot_seq[s] is
                                     * also slot s's happens-before token */
    uint64_t sends;                 /* buffered: send tickets given out */
    uint64_t recvs;                 /* buffered: receive tickets given out */
    bool closed;
    unsigned waking;                /* buffered: senders woken to retry
                                     * that have not retried yet */
    rw_waitq sendq;                 /* blocked senders (Go's sendq) */
    rw_waitq recvq;                 /* blocked receivers (Go's recvq) */
    rw_waitq slotq;                 /* buffered: ticket holders waiting for
                                     * their slot's turn */
    char close_token;               /* close -> receive that sees it */
    char object;                    /* the channel as racy memory (Go's
                                     * c.raceaddr()): close writes it, a
                                     * send reads it (hooks.h) */
};

/* What an attempt made with the channel locked came to. */
enum chan_step {
    STEP_WAIT,          /* nothing to do now: the operation must block */
    STEP_DONE,          /* completed (unbuffered hand-over) */
    STEP_SLOT,          /* buffered: given a ticket; copy with chan_fill /
                         * chan_take before unlocking */
    STEP_CLOSED,        /* send: panic; receive: closed and drained */
};

/* With ch->mu held, never waiting: a send of elem.  Blocked partners it
 * completes are added to wake.  STEP_SLOT sets *ticket. */
enum chan_step chan_send_step(rw_chan *ch, const void *elem, rw_wake_list *wake,
                              uint64_t *ticket) __attribute__((visibility("hidden")));

/* With ch->mu held, never waiting: a receive into out (may be NULL). */
enum chan_step chan_recv_step(rw_chan *ch, void *out, rw_wake_list *wake,
                              uint64_t *ticket) __attribute__((visibility("hidden")));

/* With ch->mu held, buffered: room appeared; wake the first waiting
 * sender (if any, and if no woken sender is still on its way) to try its
 * send again. */
void chan_wake_sender(rw_chan *ch, rw_wake_list *wake) __attribute__((visibility("hidden")));

/* With ch->mu held, buffered: a sender woken by chan_wake_sender has
 * made its new attempt (whatever came of it): pass the baton on if room
 * is left. */
void chan_sender_retried(rw_chan *ch, rw_wake_list *wake) __attribute__((visibility("hidden")));

/* With ch->mu held: copy elem into the slot of send ticket k, waiting for
 * its turn if needed (the lock is released while waiting; wake is run
 * first).  Slot waiters it satisfies are added to wake. */
void chan_fill(rw_chan *ch, uint64_t k, const void *elem, rw_wake_list *wake)
    __attribute__((visibility("hidden")));

/* With ch->mu held: copy the message of receive ticket j out (out may be
 * NULL), as chan_fill. */
void chan_take(rw_chan *ch, uint64_t j, void *out, rw_wake_list *wake)
    __attribute__((visibility("hidden")));

/* A receive that found the channel closed and drained, after unlocking:
 * the close happens before it; out gets the zero value. */
void chan_recv_closed(rw_chan *ch, void *out) __attribute__((visibility("hidden")));

#endif
