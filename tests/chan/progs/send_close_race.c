/* send_close_race.c: Go's TestRaceChanSendClose.  One thread sends into a
 * buffered channel with room, another closes the channel, and nothing
 * orders the two: in Go's race model a send reads the channel and close
 * writes it, so this is a data race (the send could as well have come
 * after the close and panicked).  A relaxed flag makes the close come
 * second in every run without ordering memory.  Twin: send_close_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @close @send
// RACEWATCH-EXPECT: access Write @close
// RACEWATCH-EXPECT: access Previous read @send
// RACEWATCH-EXPECT: location Location is channel of capacity 1 at 0x* made by thread 1: @make
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "racewatch/chan.h"

static rw_chan *c;
static atomic_int sent;

static void *sender(void *arg)
{
    rw_chan_send(c, &(int){ 1 }); /* @send */
    atomic_store_explicit(&sent, 1, memory_order_relaxed);
    return arg;
}

static void *closer(void *arg)
{
    while (!atomic_load_explicit(&sent, memory_order_relaxed))
        usleep(1000);
    rw_chan_close(c); /* @close */
    return arg;
}

int main(void)
{
    c = rw_chan_make(sizeof(int), 1); /* @make */
    pthread_t s, k;
    pthread_create(&s, NULL, sender, NULL);
    pthread_create(&k, NULL, closer, NULL);
    pthread_join(s, NULL);
    pthread_join(k, NULL);
    rw_chan_free(c);
    return 0;
}
