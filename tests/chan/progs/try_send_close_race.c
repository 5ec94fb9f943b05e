/* try_send_close_race.c: a non-blocking send (Go's select with a send
 * case and a default) into a buffered channel with room, and a close by
 * another thread that nothing orders after it: the try-send reads the
 * channel, close writes it, a data race (exit 66; the program itself runs
 * fine).  Twin: try_send_close_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @close @try_send
// RACEWATCH-EXPECT: access Write @close
// RACEWATCH-EXPECT: access Previous read @try_send
// RACEWATCH-EXPECT: location Location is unbuffered channel at 0x* made by thread 1: @make
// RACEWATCH-EXPECT: stdout=sent 0\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include "racewatch/chan.h"

static rw_chan *c;
static atomic_int tried;

static void *sender(void *arg)
{
    /* Nobody receives: the try-send does not happen, but it did look at
     * the channel. */
    bool sent = rw_chan_try_send(c, &(int){ 1 }); /* @try_send */
    atomic_store_explicit(&tried, 1, memory_order_relaxed);
    return (void *)(long)sent;
}

int main(void)
{
    c = rw_chan_make(sizeof(int), 0); /* @make */
    pthread_t s;
    pthread_create(&s, NULL, sender, NULL);
    while (!atomic_load_explicit(&tried, memory_order_relaxed))
        usleep(1000);
    rw_chan_close(c); /* @close */
    void *sent;
    pthread_join(s, &sent);
    printf("sent %ld\n", (long)sent);
    rw_chan_free(c);
    return 0;
}
