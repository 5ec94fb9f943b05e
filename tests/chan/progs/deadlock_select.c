/* deadlock_select.c: main selects over a result channel and a stop
 * channel; the worker that should feed it waits to send on a third
 * channel nobody reads: [select] and [chan send].  Twin: select_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [select] @select
// RACEWATCH-EXPECT: thread 2 [chan send] @send
#include <pthread.h>

#include "racewatch/concurrency.h"

static rw_chan *results, *stop, *log_ch;

static void *worker(void *arg)
{
    rw_chan_send(log_ch, &(int){ 1 }); /* @send */
    rw_chan_send(results, &(int){ 2 });
    return arg;
}

int main(void)
{
    results = rw_chan_make(sizeof(int), 0);
    stop = rw_chan_make(0, 0);
    log_ch = rw_chan_make(sizeof(int), 0);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    int r;
    rw_select_case cases[] = { rw_recv_case(results, &r), rw_recv_case(stop, NULL) };
    rw_select(cases, 2, false); /* @select */
    return 0;
}
