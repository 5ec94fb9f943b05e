/* timedlock_race.c: a pthread_mutex_timedlock that TIMES OUT acquires
 * nothing.  main holds the mutex until it has joined the worker, so the
 * worker's 10 ms timedlock fails, and the worker writes anyway.
 * Twin: timedlock_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @main_w @worker_w
// RACEWATCH-EXPECT: location=global shared
// RACEWATCH-EXPECT: stdout=timedlock: ETIMEDOUT\n
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

int shared;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int timed_rc;

static void *worker(void *arg)
{
    (void)arg;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 10 * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    timed_rc = pthread_mutex_timedlock(&mu, &ts);
    /* the timeout is ignored: */
    shared = 2; /* @worker_w */
    if (timed_rc == 0)
        pthread_mutex_unlock(&mu);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_mutex_lock(&mu);
    pthread_create(&t, NULL, worker, NULL);
    shared = 1; /* @main_w */
    pthread_join(t, NULL);
    pthread_mutex_unlock(&mu);
    printf("timedlock: %s\n", timed_rc == ETIMEDOUT ? "ETIMEDOUT" : "?");
    return 0;
}
