/* deadlock_recv.c: a worker waits for a job nobody sends, main waits for
 * the worker's result: both asleep in a receive.  Twins: close_clean.c
 * (close wakes the receivers), buffered_drain_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [chan receive] @result
// RACEWATCH-EXPECT: thread 2 [chan receive] @job
#include <pthread.h>

#include "racewatch/chan.h"

static rw_chan *jobs, *results;

static void *worker(void *arg)
{
    int job;
    rw_chan_recv(jobs, &job, NULL); /* @job */
    rw_chan_send(results, &job);
    return arg;
}

int main(void)
{
    jobs = rw_chan_make(sizeof(int), 4);
    results = rw_chan_make(sizeof(int), 0);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    int r;
    rw_chan_recv(results, &r, NULL); /* @result */
    return 0;
}
