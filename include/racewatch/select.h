/* racewatch/select.h: Go's select statement over racewatch channels.
 *
 *   rw_select_case cases[] = {
 *       rw_recv_case(stop, NULL),          case <-stop:
 *       rw_recv_case(in, &v),              case v, ok := <-in:
 *       rw_send_case(out, &result),        case out <- result:
 *   };
 *   switch (rw_select(cases, 3, false)) {  false: no default clause
 *   case 0: ...                            the index of the case that ran
 *   case 1: if (!cases[1].ok) ...          in closed and drained
 *   case 2: ...
 *   }
 *
 * rw_select waits until at least one case can proceed, then runs exactly
 * one of them.  When several are ready it picks one uniformly at random,
 * as Go does, so no case starves.  With has_default true it never waits:
 * if no case is ready it returns RW_SELECT_DEFAULT (Go's default clause).
 * A case on a NULL channel is never ready.  With no cases (or only NULL
 * channels) and no default it blocks forever, like Go's `select {}`.
 *
 * A chosen send case on a closed channel panics ("send on closed
 * channel", exit 2), as in Go; a receive case on a closed channel is
 * ready and completes with ok false and a zero-filled value.  The same
 * happens-before edges as rw_chan_send / rw_chan_recv (racewatch/chan.h).
 * While a thread waits, racewatch names its state "select" (or "select
 * (no cases)") in a deadlock report. */
#ifndef RACEWATCH_SELECT_H
#define RACEWATCH_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "racewatch/chan.h"

#ifdef __cplusplus
extern "C" {
#endif

/* rw_select's result when has_default is true and no case was ready. */
#define RW_SELECT_DEFAULT (-1)

typedef enum rw_select_dir {
    RW_SELECT_SEND = 1,     /* case ch <- *elem: */
    RW_SELECT_RECV = 2,     /* case *elem, ok = <-ch: */
} rw_select_dir;

typedef struct rw_select_case {
    rw_chan *chan;          /* NULL: the case is never ready */
    rw_select_dir dir;
    void *elem;             /* send: the value sent (only read);
                             * receive: where the value goes (NULL: dropped) */
    bool ok;                /* receive, set when the case runs: true with a
                             * value, false if the channel is closed */
} rw_select_case;

/* case ch <- *elem: */
static inline rw_select_case rw_send_case(rw_chan *ch, const void *elem)
{
    rw_select_case c = { ch, RW_SELECT_SEND, (void *)elem, false };
    return c;
}

/* case *out, ok = <-ch: */
static inline rw_select_case rw_recv_case(rw_chan *ch, void *out)
{
    rw_select_case c = { ch, RW_SELECT_RECV, out, false };
    return c;
}

/* Runs one ready case of cases[0..ncases-1] and returns its index; waits
 * for one if none is ready, unless has_default (then returns
 * RW_SELECT_DEFAULT at once).  Any number of cases; a channel may appear
 * in several. */
int rw_select(rw_select_case *cases, size_t ncases, bool has_default);

#ifdef __cplusplus
}
#endif

#endif
