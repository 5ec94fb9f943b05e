/* publish_clean.c: data written before a send is read after the receive
 * that gets the value: send happens-before the receive completes, on an
 * unbuffered and on a buffered channel.  Silent.  Twin: publish_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=42 43\n
#include <pthread.h>
#include <stdio.h>

#include "chan_test.h"

static int data[2];
static rw_chan *unbuffered, *buffered;

static void *producer(void *arg)
{
    put(&data[0], 42);
    rw_chan_send(unbuffered, &(int){ 0 });
    put(&data[1], 43);
    rw_chan_send(buffered, &(int){ 1 });
    return arg;
}

int main(void)
{
    unbuffered = rw_chan_make(sizeof(int), 0);
    buffered = rw_chan_make(sizeof(int), 4);
    pthread_t t;
    pthread_create(&t, NULL, producer, NULL);
    int i;
    rw_chan_recv(unbuffered, &i, NULL);
    int a = get(&data[i]);
    rw_chan_recv(buffered, &i, NULL);
    int b = get(&data[i]);
    printf("%d %d\n", a, b);
    pthread_join(t, NULL);
    rw_chan_free(unbuffered);
    rw_chan_free(buffered);
    return 0;
}
