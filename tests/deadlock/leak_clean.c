/* leak_clean.c: every way a thread is not leaked, each thread finished
 * before main returns: joined, joined with pthread_tryjoin_np and with
 * pthread_timedjoin_np, detached by main, detaching itself, created
 * detached; and one still running (parked in pause()) when main returns,
 * which the exit ends (ThreadSanitizer does not report those either).
 * Silent, exit 0.  Twin: leak_finished.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=6 finished, 1 running\n
// RACEWATCH-EXPECT: clean
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "leak_wait.h"

static atomic_int tids[6];
static atomic_int parked;

static void *worker(void *arg)
{
    leak_publish_tid(arg);
    return NULL;
}

static void *self_detaching(void *arg)
{
    pthread_detach(pthread_self());
    leak_publish_tid(arg);
    return NULL;
}

static void *runs_on(void *arg)
{
    (void)arg;
    atomic_store_explicit(&parked, 1, memory_order_relaxed);
    for (;;)
        pause();
    return NULL;
}

int main(void)
{
    pthread_t joined, tried, timed, detached, selfdet, born_detached, running;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_create(&joined, NULL, worker, &tids[0]);
    pthread_create(&tried, NULL, worker, &tids[1]);
    pthread_create(&timed, NULL, worker, &tids[2]);
    pthread_create(&detached, NULL, worker, &tids[3]);
    pthread_create(&selfdet, NULL, self_detaching, &tids[4]);
    pthread_create(&born_detached, &attr, worker, &tids[5]);
    pthread_create(&running, NULL, runs_on, NULL);
    pthread_attr_destroy(&attr);
    pthread_detach(detached);
    for (int i = 0; i < 6; i++)
        leak_wait_gone(&tids[i]);
    pthread_join(joined, NULL);
    while (pthread_tryjoin_np(tried, NULL) != 0)
        usleep(1000);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 10;
    pthread_timedjoin_np(timed, NULL, &ts);
    while (!atomic_load_explicit(&parked, memory_order_relaxed))
        usleep(1000);
    printf("6 finished, 1 running\n");
    return 0;
}
