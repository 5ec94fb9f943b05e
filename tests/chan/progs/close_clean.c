/* close_clean.c: close happens-before a receive that returns because the
 * channel is closed: the results written before close are read by three
 * receivers that were waiting (close wakes them all) and by one that
 * comes later.  Silent.  Twin: close_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=4 x 99\n
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "chan_test.h"

static int result;
static rw_chan *done;

static void *waiter(void *arg)
{
    bool ok = true;
    rw_chan_recv(done, NULL, &ok);
    int *seen = arg;
    *seen = ok ? -1 : get(&result);
    return NULL;
}

int main(void)
{
    done = rw_chan_make(0, 0);
    pthread_t t[3];
    int seen[4];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, waiter, &seen[i]);
    usleep(20000);
    put(&result, 99);
    rw_chan_close(done);
    waiter(&seen[3]);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    int same = 0;
    for (int i = 0; i < 4; i++)
        same += seen[i] == 99;
    printf("%d x %d\n", same, seen[0]);
    rw_chan_free(done);
    return 0;
}
