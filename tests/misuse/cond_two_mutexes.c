/* cond_two_mutexes.c: thread 2 waits on a condition variable with mutex
 * m1; while it is inside the wait, thread 3 waits on the same condition
 * with mutex m2 (undefined in POSIX: a condition is bound to one mutex
 * while threads wait on it).  A warning at thread 3's wait; its timed wait
 * then times out, and main wakes thread 2 properly; exit 66.  Twin:
 * cond_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=second waiter: ETIMEDOUT\nfirst waiter woken\n
// RACEWATCH-EXPECT: misuse=1
// RACEWATCH-EXPECT: warning=condition variable waited on with two mutexes @second
// RACEWATCH-EXPECT: previous=condition variable waited on with two mutexes @second @first
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t m1 = PTHREAD_MUTEX_INITIALIZER, m2 = PTHREAD_MUTEX_INITIALIZER;
static atomic_int first_locked;
static int go;

static void *first(void *arg)
{
    pthread_mutex_lock(&m1);
    atomic_store_explicit(&first_locked, 1, memory_order_relaxed);
    while (!go)
        pthread_cond_wait(&c, &m1); /* @first */
    pthread_mutex_unlock(&m1);
    printf("first waiter woken\n");
    return arg;
}

static void *second(void *arg)
{
    while (!atomic_load_explicit(&first_locked, memory_order_relaxed))
        usleep(1000);
    /* m1 is free again only once the first thread is inside its wait. */
    pthread_mutex_lock(&m1);
    pthread_mutex_unlock(&m1);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 50 * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&m2);
    int r = pthread_cond_timedwait(&c, &m2, &ts); /* @second */
    pthread_mutex_unlock(&m2);
    printf("second waiter: %s\n", r == ETIMEDOUT ? "ETIMEDOUT" : "?");
    fflush(stdout);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, first, NULL);
    pthread_create(&b, NULL, second, NULL);
    pthread_join(b, NULL);
    pthread_mutex_lock(&m1);
    go = 1;
    pthread_cond_broadcast(&c);
    pthread_mutex_unlock(&m1);
    pthread_join(a, NULL);
    return 0;
}
