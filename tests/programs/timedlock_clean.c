/* timedlock_clean.c: twin of timedlock_race.c.  main holds the mutex for
 * 10 ms; the worker's timedlock (5 s limit) succeeds once main unlocks. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=timedlock: 0, shared = 2\n
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int shared;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int timed_rc = -1;

static void *worker(void *arg)
{
    (void)arg;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 5;
    timed_rc = pthread_mutex_timedlock(&mu, &ts);
    if (timed_rc == 0) {
        shared = 2;
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_mutex_lock(&mu);
    pthread_create(&t, NULL, worker, NULL);
    shared = 1;
    usleep(10000);
    pthread_mutex_unlock(&mu);
    pthread_join(t, NULL);
    printf("timedlock: %d, shared = %d\n", timed_rc, shared);
    return 0;
}
