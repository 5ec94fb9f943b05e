/* join_timed_clean.c: twin of join_blocked.c, join_cycle_running.c and
 * join_each_other.c.  Main holds the mutex the worker waits for, but joins
 * it with pthread_timedjoin_np: a timed wait, never asleep.  The join times
 * out, main unlocks, and the second (plain) join succeeds. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=timed join: ETIMEDOUT\njoin: 0\n
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_mutex_lock(&m);
    pthread_create(&t, NULL, worker, NULL);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 300 * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    int r = pthread_timedjoin_np(t, NULL, &until);
    printf("timed join: %s\n", r == ETIMEDOUT ? "ETIMEDOUT" : "?");
    pthread_mutex_unlock(&m);
    printf("join: %d\n", pthread_join(t, NULL));
    return 0;
}
