/* select_close_send_race.c: Go's TestRaceChanSendSelectClose.  One thread
 * closes a buffered channel; another, later in time but not ordered by
 * anything, runs a select with a send case on it (and a receive case on a
 * channel nobody uses): the select's send case reads the channel and
 * races with the close's write, reported first; then the send case on
 * the closed channel panics, as in Go.  Twin: select_close_send_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @select @close
// RACEWATCH-EXPECT: access Read @select
// RACEWATCH-EXPECT: access Previous write @close
// RACEWATCH-EXPECT: location Location is channel of capacity 1 at 0x* made by thread 1: @make
// RACEWATCH-EXPECT: fatal=panic: send on closed channel
// RACEWATCH-EXPECT: thread 2 [running] @select
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "racewatch/concurrency.h"

static rw_chan *c, *idle;
static atomic_int closed;

static void *selecter(void *arg)
{
    while (!atomic_load_explicit(&closed, memory_order_relaxed))
        usleep(1000);
    int one = 1;
    rw_select_case cases[] = { rw_send_case(c, &one), rw_recv_case(idle, NULL) };
    rw_select(cases, 2, false); /* @select */
    return arg;
}

int main(void)
{
    c = rw_chan_make(sizeof(int), 1); /* @make */
    idle = rw_chan_make(sizeof(int), 0);
    pthread_t t;
    pthread_create(&t, NULL, selecter, NULL);
    rw_chan_close(c); /* @close */
    atomic_store_explicit(&closed, 1, memory_order_relaxed);
    pthread_join(t, NULL);
    return 0;
}
