/* fail_at_once_clean.c: blocking calls that fail at once are judged by
 * what they return, never taken for a thread asleep.  Main is the only
 * thread (any wait it were thought to sleep in would be "all asleep"): a
 * join of itself (EDEADLK).  Then real waits on error-checking, recursive
 * and priority-inheritance mutexes that a worker signals.  (Condition
 * waits with a mutex the caller does not hold, EPERM, and relocks of a
 * rwlock, EDEADLK, also fail at once, but they are misuse, reported as
 * such: tests/misuse/cond_unheld.c, rwlock_relock.c.)  Twin:
 * cond_errorcheck.c (a real wait that never ends). */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=self join: EDEADLK\nsignalled waits: 0 0 0\n
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t ec, rec, pi;
static int predicate;

static const char *name(int r)
{
    return r == EPERM ? "EPERM" : r == EDEADLK ? "EDEADLK" : r == EINVAL ? "EINVAL" : strerror(r);
}

static void init_mutex(pthread_mutex_t *m, int type, int protocol, int robustness)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, type);
    pthread_mutexattr_setprotocol(&a, protocol);
    pthread_mutexattr_setrobust(&a, robustness);
    pthread_mutex_init(m, &a);
    pthread_mutexattr_destroy(&a);
}

/* Sets the predicate and signals, under the mutex main waits with. */
static void *signaller(void *arg)
{
    pthread_mutex_t *m = arg;
    usleep(50 * 1000);
    pthread_mutex_lock(m);
    predicate = 1;
    pthread_cond_signal(&c);
    pthread_mutex_unlock(m);
    return NULL;
}

static int signalled_wait(pthread_mutex_t *m)
{
    pthread_t t;
    int r = 0;
    predicate = 0;
    pthread_mutex_lock(m);
    pthread_create(&t, NULL, signaller, m);
    while (!predicate && r == 0)
        r = pthread_cond_wait(&c, m);
    pthread_mutex_unlock(m);
    pthread_join(t, NULL);
    return r;
}

int main(void)
{
    init_mutex(&ec, PTHREAD_MUTEX_ERRORCHECK, PTHREAD_PRIO_NONE, PTHREAD_MUTEX_STALLED);
    init_mutex(&rec, PTHREAD_MUTEX_RECURSIVE, PTHREAD_PRIO_NONE, PTHREAD_MUTEX_STALLED);
    init_mutex(&pi, PTHREAD_MUTEX_NORMAL, PTHREAD_PRIO_INHERIT, PTHREAD_MUTEX_STALLED);

    printf("self join: %s\n", name(pthread_join(pthread_self(), NULL)));
    /* (A join of a detached thread also fails at once, with EINVAL, but
     * it is misuse, reported as such: tests/deadlock/join_detached.c.) */
    int a = signalled_wait(&ec), b = signalled_wait(&rec), d = signalled_wait(&pi);
    printf("signalled waits: %d %d %d\n", a, b, d);
    return 0;
}
