/* publish_race.c: the producer writes the data after sending (on an
 * unbuffered and on a buffered channel): the send orders nothing that
 * comes after it, so each write races with the consumer's read.  One
 * report per pair of lines.  Twin: publish_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=2
// RACEWATCH-EXPECT: race @late0 @read0
// RACEWATCH-EXPECT: race @late1 @read1
#include <pthread.h>
#include <stdio.h>

#include "chan_test.h"

static int data[2];
static rw_chan *unbuffered, *buffered;

static void *producer(void *arg)
{
    rw_chan_send(unbuffered, &(int){ 0 });
    put(&data[0], 42); /* @late0 */
    rw_chan_send(buffered, &(int){ 1 });
    put(&data[1], 43); /* @late1 */
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
    int a = get(&data[i]); /* @read0 */
    rw_chan_recv(buffered, &i, NULL);
    int b = get(&data[i]); /* @read1 */
    pthread_join(t, NULL);
    (void)a, (void)b;
    rw_chan_free(unbuffered);
    rw_chan_free(buffered);
    return 0;
}
