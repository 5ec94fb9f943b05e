/* clockwait_clean.c: twin of join_blocked.c, sem_short.c, rwlock_rdlock.c
 * and lost_signal.c with the clock-selecting timed waits (glibc 2.30+):
 * pthread_mutex_clocklock, sem_clockwait and pthread_rwlock_clockrdlock on
 * objects main holds while it joins the waiter, then
 * pthread_cond_clockwait in a predicate loop.  Every wait has a timeout:
 * never asleep, no report; the data under the mutex is no race. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=clocklock ETIMEDOUT, sem_clockwait ETIMEDOUT, clockrdlock ETIMEDOUT\ndata 2\n
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static sem_t s;
static int data;

static struct timespec soon(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_nsec += 200 * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

static const char *name(int r)
{
    return r == ETIMEDOUT ? "ETIMEDOUT" : "?";
}

static void *waiter(void *arg)
{
    struct timespec t = soon();
    int r1 = pthread_mutex_clocklock(&m, CLOCK_MONOTONIC, &t);
    t = soon();
    int r2 = sem_clockwait(&s, CLOCK_MONOTONIC, &t) == -1 ? errno : 0;
    t = soon();
    int r3 = pthread_rwlock_clockrdlock(&rw, CLOCK_MONOTONIC, &t);
    printf("clocklock %s, sem_clockwait %s, clockrdlock %s\n", name(r1), name(r2), name(r3));
    return arg;
}

static void *signaller(void *arg)
{
    pthread_mutex_lock(&m);
    data++;
    pthread_cond_signal(&c);
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    pthread_t t;
    sem_init(&s, 0, 0);
    pthread_mutex_lock(&m);
    pthread_rwlock_wrlock(&rw);
    pthread_create(&t, NULL, waiter, NULL);
    pthread_join(t, NULL);
    pthread_rwlock_unlock(&rw);
    pthread_create(&t, NULL, signaller, NULL);
    while (!data) {
        struct timespec ts = soon();
        pthread_cond_clockwait(&c, &m, CLOCK_MONOTONIC, &ts);
    }
    data++;
    pthread_mutex_unlock(&m);
    pthread_join(t, NULL);
    printf("data %d\n", data);
    return 0;
}
