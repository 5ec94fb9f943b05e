/* handshake_clean.c: on an unbuffered channel the receive happens-before
 * the send completes: main writes the data, then receives; the worker
 * reads the data after its send has completed.  Silent.  Twin:
 * handshake_race.c (the same over a buffered channel, where the send does
 * not wait for the receive). */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=7\n
#include <pthread.h>
#include <stdio.h>

#include "chan_test.h"

#define CAPACITY 0

static int data;
static rw_chan *ch;

static void *worker(void *arg)
{
    rw_chan_send(ch, &(int){ 1 });
    printf("%d\n", get(&data));
    return arg;
}

int main(void)
{
    ch = rw_chan_make(sizeof(int), CAPACITY);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    put(&data, 7);
    rw_chan_recv(ch, NULL, NULL);
    pthread_join(t, NULL);
    rw_chan_free(ch);
    return 0;
}
