/* select_clean.c: a select receives from whichever of two producers is
 * ready, and a select sends to a consumer; the data published before
 * each send is read after the matching receive.  A stop channel closed at
 * the end ends the consumer's select loop.  Silent.  Twin:
 * select_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=sum 3, consumer saw 3\n
#include <pthread.h>
#include <stdio.h>

#include "chan_test.h"

static int data[3];
static rw_chan *a, *b, *out, *stop;

static void *producer(void *arg)
{
    int i = (int)(long)arg;
    put(&data[i], i + 1);
    rw_chan_send(i == 0 ? a : b, &i);
    return NULL;
}

static void *consumer(void *arg)
{
    int i, total = 0;
    for (;;) {
        rw_select_case cases[] = { rw_recv_case(out, &i), rw_recv_case(stop, NULL) };
        if (rw_select(cases, 2, false) == 1)
            break;
        total += get(&data[i]);
    }
    *(int *)arg = total;
    return NULL;
}

int main(void)
{
    a = rw_chan_make(sizeof(int), 0);
    b = rw_chan_make(sizeof(int), 1);
    out = rw_chan_make(sizeof(int), 0);
    stop = rw_chan_make(0, 0);
    pthread_t p[2], c;
    int seen = 0;
    pthread_create(&c, NULL, consumer, &seen);
    for (long i = 0; i < 2; i++)
        pthread_create(&p[i], NULL, producer, (void *)i);
    int sum = 0;
    for (int n = 0; n < 2; n++) {
        int i;
        rw_select_case cases[] = { rw_recv_case(a, &i), rw_recv_case(b, &i) };
        rw_select(cases, 2, false);
        sum += get(&data[i]);
    }
    put(&data[2], 3);
    int two = 2;
    rw_select_case send[] = { rw_send_case(out, &two), rw_recv_case(NULL, NULL) };
    rw_select(send, 2, false);
    rw_chan_close(stop);
    pthread_join(c, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(p[i], NULL);
    printf("sum %d, consumer saw %d\n", sum, seen);
    return 0;
}
