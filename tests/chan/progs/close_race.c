/* close_race.c: the result is written after close: the receiver that saw
 * the close reads it unordered.  Twin: close_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @late @read
#include <pthread.h>
#include <stdio.h>

#include "chan_test.h"

static int result;
static rw_chan *done;

static void *finisher(void *arg)
{
    rw_chan_close(done);
    put(&result, 99); /* @late */
    return arg;
}

int main(void)
{
    done = rw_chan_make(0, 0);
    pthread_t t;
    pthread_create(&t, NULL, finisher, NULL);
    bool ok = true;
    rw_chan_recv(done, NULL, &ok);
    int v = get(&result); /* @read */
    (void)v;
    pthread_join(t, NULL);
    rw_chan_free(done);
    return 0;
}
