/* handshake_race.c: handshake_clean.c over a channel of capacity 1: the
 * send completes without waiting for the receive, so the worker's read
 * races with main's write.  Twin: handshake_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @read @write
#include <pthread.h>
#include <stdio.h>

#include "chan_test.h"

#define CAPACITY 1

static int data;
static rw_chan *ch;

static void *worker(void *arg)
{
    rw_chan_send(ch, &(int){ 1 });
    int v = get(&data); /* @read */
    (void)v;
    return arg;
}

int main(void)
{
    ch = rw_chan_make(sizeof(int), CAPACITY);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    put(&data, 7); /* @write */
    rw_chan_recv(ch, NULL, NULL);
    pthread_join(t, NULL);
    rw_chan_free(ch);
    return 0;
}
