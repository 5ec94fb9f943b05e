/* cond_timedwait_clean.c: twin of lost_signal.c.  The same lost signal, but
 * the worker waits with pthread_cond_timedwait: it is never asleep, the wait
 * times out and the worker goes on.  A second worker then waits properly
 * (predicate loop, untimed) and main sleeps before setting the predicate
 * and signalling: a sleeping main does not make that wait a deadlock. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=signalled\nfirst wait: timed out\nsecond wait: woken\n
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static atomic_int signalled;
static int ready;

static void *timed_waiter(void *arg)
{
    while (!atomic_load_explicit(&signalled, memory_order_relaxed))
        usleep(1000);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 300 * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&m);
    int r = pthread_cond_timedwait(&c, &m, &until);
    pthread_mutex_unlock(&m);
    *(int *)arg = r;
    return NULL;
}

static void *waiter(void *arg)
{
    pthread_mutex_lock(&m);
    while (!ready)
        pthread_cond_wait(&c, &m);
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    pthread_t t;
    int r = -1;
    pthread_create(&t, NULL, timed_waiter, &r);
    pthread_mutex_lock(&m);
    pthread_cond_signal(&c);
    pthread_mutex_unlock(&m);
    printf("signalled\n");
    atomic_store_explicit(&signalled, 1, memory_order_relaxed);
    pthread_join(t, NULL);
    printf("first wait: %s\n", r == ETIMEDOUT ? "timed out" : "woken");

    pthread_create(&t, NULL, waiter, NULL);
    usleep(300 * 1000);
    pthread_mutex_lock(&m);
    ready = 1;
    pthread_cond_signal(&c);
    pthread_mutex_unlock(&m);
    pthread_join(t, NULL);
    printf("second wait: woken\n");
    return 0;
}
