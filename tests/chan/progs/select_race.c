/* select_race.c: select_clean.c's shapes with the data written after the
 * send: by a producer after its send to the select, and by main after its
 * select's send case ran.  Twin: select_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=2
// RACEWATCH-EXPECT: race @late_producer @read_main
// RACEWATCH-EXPECT: race @late_main @read_consumer
#include <pthread.h>
#include <stdio.h>

#include "chan_test.h"

static int data[2];
static rw_chan *a, *b, *out;

static void *producer(void *arg)
{
    int i = 0;
    rw_chan_send(a, &i);
    put(&data[0], 1); /* @late_producer */
    return arg;
}

static void *consumer(void *arg)
{
    int i;
    rw_select_case cases[] = { rw_recv_case(out, &i), rw_recv_case(b, NULL) };
    rw_select(cases, 2, false);
    int v = get(&data[i]); /* @read_consumer */
    (void)v;
    return arg;
}

int main(void)
{
    a = rw_chan_make(sizeof(int), 0);
    b = rw_chan_make(sizeof(int), 1);
    out = rw_chan_make(sizeof(int), 0);
    pthread_t p, c;
    pthread_create(&c, NULL, consumer, NULL);
    pthread_create(&p, NULL, producer, NULL);
    int i;
    rw_select_case cases[] = { rw_recv_case(a, &i), rw_recv_case(b, &i) };
    rw_select(cases, 2, false);
    int v = get(&data[i]); /* @read_main */
    int one = 1;
    rw_select_case send[] = { rw_send_case(out, &one) };
    rw_select(send, 1, false);
    put(&data[1], 2); /* @late_main */
    pthread_join(c, NULL);
    pthread_join(p, NULL);
    (void)v;
    return 0;
}
