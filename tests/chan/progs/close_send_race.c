/* close_send_race.c: Go's TestRaceChanCloseSend.  One thread closes a
 * buffered channel, another sends on it with nothing ordering the two:
 * the send's read of the channel races with the close's write, reported
 * first; then the send on the closed channel panics, as in Go.  A relaxed
 * flag makes the send come second in every run without ordering memory.
 * Twin: close_send_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @send @close
// RACEWATCH-EXPECT: access Read @send
// RACEWATCH-EXPECT: access Previous write @close
// RACEWATCH-EXPECT: location Location is channel of capacity 10 at 0x* made by thread 1: @make
// RACEWATCH-EXPECT: fatal=panic: send on closed channel
// RACEWATCH-EXPECT: thread 1 [running] @send
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "racewatch/chan.h"

static rw_chan *c;
static atomic_int closed;

static void *closer(void *arg)
{
    rw_chan_close(c); /* @close */
    atomic_store_explicit(&closed, 1, memory_order_relaxed);
    return arg;
}

int main(void)
{
    c = rw_chan_make(sizeof(int), 10); /* @make */
    pthread_t k;
    pthread_create(&k, NULL, closer, NULL);
    while (!atomic_load_explicit(&closed, memory_order_relaxed))
        usleep(1000);
    rw_chan_send(c, &(int){ 0 }); /* @send */
    pthread_join(k, NULL);
    return 0;
}
