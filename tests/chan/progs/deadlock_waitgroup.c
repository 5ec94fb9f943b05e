/* deadlock_waitgroup.c: Add(2) but only one worker calls Done: main
 * waits for ever.  Twin: waitgroup_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [waitgroup wait] @wait
#include <pthread.h>

#include "racewatch/waitgroup.h"

static rw_waitgroup wg;

static void *worker(void *arg)
{
    rw_waitgroup_done(&wg);
    return arg;
}

int main(void)
{
    rw_waitgroup_add(&wg, 2);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_detach(t);
    rw_waitgroup_wait(&wg); /* @wait */
    return 0;
}
