/* cond_clean.c: twin of cond_two_mutexes.c, cond_timedwait_invalid.c,
 * cond_unheld.c and cond_reinit_waiters.c: two threads wait on one
 * condition with one mutex they hold, timed waits with valid deadlines
 * (one times out), a signal and a broadcast made without holding the mutex
 * (legal, and silent by default: docs/misuse.md), the condition destroyed
 * and initialised again once nobody waits, then used again with another
 * mutex.  Silent. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=timed out: ETIMEDOUT\nwoken: 2\nagain: 1\n
// RACEWATCH-EXPECT: clean
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER, other = PTHREAD_MUTEX_INITIALIZER;
static int go, woken, waiting;

static void *waiter(void *arg)
{
    pthread_mutex_lock(&m);
    waiting++;
    while (!go)
        pthread_cond_wait(&c, &m);
    woken++;
    pthread_mutex_unlock(&m);
    return arg;
}

static struct timespec in_ms(long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += ms * 1000000L;
    ts.tv_sec += ts.tv_nsec / 1000000000L;
    ts.tv_nsec %= 1000000000L;
    return ts;
}

int main(void)
{
    pthread_mutex_lock(&m);
    struct timespec ts = in_ms(20);
    int r = pthread_cond_timedwait(&c, &m, &ts);
    pthread_mutex_unlock(&m);
    printf("timed out: %s\n", r == ETIMEDOUT ? "ETIMEDOUT" : "?");

    pthread_t a, b;
    pthread_create(&a, NULL, waiter, NULL);
    pthread_create(&b, NULL, waiter, NULL);
    for (;;) {
        pthread_mutex_lock(&m);
        int n = waiting;
        pthread_mutex_unlock(&m);
        if (n == 2)
            break;
        ts = in_ms(1);
        pthread_mutex_lock(&m);
        pthread_cond_timedwait(&c, &m, &ts);
        pthread_mutex_unlock(&m);
    }
    pthread_mutex_lock(&m);
    go = 1;
    pthread_mutex_unlock(&m);
    pthread_cond_signal(&c);    /* without the mutex: legal */
    pthread_cond_broadcast(&c);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("woken: %d\n", woken);

    pthread_cond_destroy(&c);
    pthread_cond_init(&c, NULL);
    pthread_mutex_lock(&other);
    ts = in_ms(5);
    r = pthread_cond_timedwait(&c, &other, &ts);
    pthread_mutex_unlock(&other);
    printf("again: %d\n", r == ETIMEDOUT);
    pthread_cond_destroy(&c);
    return 0;
}
