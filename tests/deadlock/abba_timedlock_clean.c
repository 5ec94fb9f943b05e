/* abba_timedlock_clean.c: twin of abba_sleep.c.  The second thread holds b
 * and waits for a with pthread_mutex_timedlock while the first holds a and
 * waits for b: the wait-for graph has the two threads pointing at each
 * other, but one wait has a timeout, so it is not a deadlock.  The timed
 * wait expires (a cannot come free before), the thread releases b, the
 * first thread finishes, and the second then takes a and b in the same
 * order as the first (no lock-order inversion: a failed timed lock adds no
 * edge).  Main sleeps meanwhile. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=timedlock: timed out\ndone\n
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;
static atomic_int finished;
static int timed_out;

static void *take_ab(void *arg)
{
    pthread_mutex_lock(&a);
    pthread_barrier_wait(&both_hold_one);
    pthread_mutex_lock(&b);
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    atomic_fetch_add(&finished, 1);
    return arg;
}

static void *take_b_timed_a(void *arg)
{
    pthread_mutex_lock(&b);
    pthread_barrier_wait(&both_hold_one);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 300 * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    int r = pthread_mutex_timedlock(&a, &until);
    if (r == ETIMEDOUT)
        timed_out = 1;
    else if (r == 0)
        pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    /* back off: take them in the global order */
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b);
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    atomic_fetch_add(&finished, 1);
    return arg;
}

int main(void)
{
    pthread_t t1, t2;
    pthread_barrier_init(&both_hold_one, NULL, 2);
    pthread_create(&t1, NULL, take_ab, NULL);
    pthread_create(&t2, NULL, take_b_timed_a, NULL);
    while (atomic_load(&finished) < 2)
        usleep(50 * 1000);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    printf("timedlock: %s\n", timed_out ? "timed out" : "did not time out");
    printf("done\n");
    return 0;
}
