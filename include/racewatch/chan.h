/* racewatch/chan.h: Go's channels for C threads (libracewatch-chan).
 *
 *   rw_chan *ch = rw_chan_make(sizeof(int), 0);    make(chan int)
 *   rw_chan_send(ch, &v);                          ch <- v
 *   rw_chan_recv(ch, &v, &ok);                     v, ok := <-ch
 *   while (rw_chan_recv(ch, &v, NULL)) ...         for v := range ch
 *   rw_chan_try_send / rw_chan_try_recv            select with a default
 *   rw_chan_close(ch);                             close(ch)
 *   rw_chan_len(ch), rw_chan_cap(ch)               len(ch), cap(ch)
 *   rw_chan_free(ch);                              (C has no collector)
 *
 * A channel carries fixed-size elements, copied in and out with memcpy.
 * Capacity 0 makes an unbuffered (synchronous) channel: a send waits for
 * a receiver and the two meet.  Capacity C > 0 buffers up to C elements.
 * Waiting receivers are served first come, first served; waiting senders
 * are woken first come, first served when room appears and try again
 * (docs/chan.md).  A NULL channel is Go's nil channel: sending to or receiving
 * from it blocks forever, and it is never ready in a select.
 *
 * Misuse ends the program as Go's runtime does: the line
 * `panic: send on closed channel`, `panic: close of closed channel` or
 * `panic: close of nil channel` on stderr, and exit status 2 (with
 * racewatch loaded, followed by the thread's stack).
 *
 * Memory model (what racewatch and ThreadSanitizer are told): a send
 * happens before the receive that gets its value completes; on a channel
 * of capacity C > 0 the k-th receive happens before the (k+C)-th send
 * completes; on an unbuffered channel the receive happens before the
 * matching send completes; close happens before a receive that returns
 * because the channel is closed.  Nothing else: two sends are not ordered
 * by the channel's internal lock.
 *
 * All functions are thread-safe.  Blocking waits have no timeout; while a
 * thread waits, racewatch names its state "chan send", "chan receive",
 * "chan send (nil chan)" or "chan receive (nil chan)" in a deadlock
 * report. */
#ifndef RACEWATCH_CHAN_H
#define RACEWATCH_CHAN_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rw_chan rw_chan;

/* A new channel of elements of elem_size bytes (0 is allowed: Go's
 * chan struct{}) with room for capacity elements (0: unbuffered).
 * Returns NULL with errno ENOMEM if memory runs out, EINVAL if
 * elem_size * capacity overflows.  Never blocks. */
rw_chan *rw_chan_make(size_t elem_size, size_t capacity);

/* Frees the channel.  No thread may be using it or waiting on it, now or
 * later (as for free()); elements still buffered are dropped.  NULL is a
 * no-op.  Never blocks. */
void rw_chan_free(rw_chan *ch);

/* Sends the elem_size bytes at elem.  Blocks until a receiver takes the
 * value (unbuffered) or there is room in the buffer.  Panics ("send on
 * closed channel") if the channel is closed, also when it is closed while
 * the sender waits.  ch NULL: blocks forever. */
void rw_chan_send(rw_chan *ch, const void *elem);

/* Receives one element into out (NULL: discard it).  Blocks until a value
 * is available or the channel is closed.  Returns true with the value, or
 * false once the channel is closed and drained: then out is zero-filled,
 * as Go gives the zero value.  *ok (if ok is not NULL) is set to the same
 * result.  ch NULL: blocks forever. */
bool rw_chan_recv(rw_chan *ch, void *out, bool *ok);

/* Sends without blocking: returns true if the value was taken by a
 * waiting receiver or buffered, false if the send would have to wait
 * (always false for NULL).  Panics ("send on closed channel") if the
 * channel is closed, as Go's select does. */
bool rw_chan_try_send(rw_chan *ch, const void *elem);

/* Receives without blocking.  Returns false if the receive would have to
 * wait (out and *ok untouched; always false for NULL).  Returns true when
 * the receive completed: *ok (if not NULL) is true with a value in out,
 * false if the channel is closed and drained (out zero-filled). */
bool rw_chan_try_recv(rw_chan *ch, void *out, bool *ok);

/* Closes the channel: no more values can be sent.  Receivers get the
 * buffered values, then zero values with ok false; waiting receivers wake
 * at once, waiting senders panic.  Panics ("close of nil channel") if ch
 * is NULL and ("close of closed channel") if it is already closed.
 * Never blocks. */
void rw_chan_close(rw_chan *ch);

/* Number of elements buffered now (0 for NULL and for unbuffered
 * channels).  A snapshot: it may change at once. */
size_t rw_chan_len(const rw_chan *ch);

/* The capacity given to rw_chan_make (0 for NULL). */
size_t rw_chan_cap(const rw_chan *ch);

/* The element size given to rw_chan_make (0 for NULL). */
size_t rw_chan_elem_size(const rw_chan *ch);

#ifdef __cplusplus
}
#endif

#endif
