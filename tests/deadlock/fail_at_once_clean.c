/* fail_at_once_clean.c: blocking calls that fail at once are judged by
 * what they return, never taken for a thread asleep.  Main is the only
 * thread (any wait it were thought to sleep in would be "all asleep"):
 * condition waits on error-checking, recursive, priority-inheritance and
 * robust mutexes it does not hold (EPERM), a write lock and a read lock
 * of a rwlock it write-holds (EDEADLK), a join of itself (EDEADLK) and of
 * a thread created detached (EINVAL).  Then a condition wait on an
 * error-checking mutex that an asleep worker holds (EPERM: not a cycle,
 * not all asleep), and real waits on the same kinds of mutex that a
 * worker signals.  Twin: cond_errorcheck.c (a real wait that never ends). */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=errorcheck: EPERM\nrecursive: EPERM\npriority-inheritance: EPERM\nrobust: EPERM\ntimed errorcheck: EPERM\nwrlock: EDEADLK\nrdlock: EDEADLK\nself join: EDEADLK\nheld by an asleep worker: EPERM\nsignalled waits: 0 0 0\n
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t ec, rec, pi, robust;
static sem_t go_on;
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

static void *nothing(void *arg)
{
    return arg;
}

/* Holds ec while asleep in sem_wait until main posts. */
static void *holder(void *arg)
{
    pthread_mutex_lock(&ec);
    sem_wait(&go_on);
    pthread_mutex_unlock(&ec);
    return arg;
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
    init_mutex(&robust, PTHREAD_MUTEX_NORMAL, PTHREAD_PRIO_NONE, PTHREAD_MUTEX_ROBUST);
    sem_init(&go_on, 0, 0);

    printf("errorcheck: %s\n", name(pthread_cond_wait(&c, &ec)));
    printf("recursive: %s\n", name(pthread_cond_wait(&c, &rec)));
    printf("priority-inheritance: %s\n", name(pthread_cond_wait(&c, &pi)));
    printf("robust: %s\n", name(pthread_cond_wait(&c, &robust)));
    struct timespec later;
    clock_gettime(CLOCK_REALTIME, &later);
    later.tv_sec += 5;
    printf("timed errorcheck: %s\n", name(pthread_cond_timedwait(&c, &ec, &later)));

    pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
    pthread_rwlock_wrlock(&rw);
    printf("wrlock: %s\n", name(pthread_rwlock_wrlock(&rw)));
    printf("rdlock: %s\n", name(pthread_rwlock_rdlock(&rw)));
    pthread_rwlock_unlock(&rw);

    printf("self join: %s\n", name(pthread_join(pthread_self(), NULL)));
    /* (A join of a detached thread also fails at once, with EINVAL, but
     * it is misuse, reported as such: tests/deadlock/join_detached.c.) */
    pthread_t t;

    /* The holder is asleep in sem_wait (after racewatch's 10 ms grace)
     * when main's wait fails. */
    pthread_create(&t, NULL, holder, NULL);
    usleep(100 * 1000);
    printf("held by an asleep worker: %s\n", name(pthread_cond_wait(&c, &ec)));
    sem_post(&go_on);
    pthread_join(t, NULL);

    int a = signalled_wait(&ec), b = signalled_wait(&rec), d = signalled_wait(&pi);
    printf("signalled waits: %d %d %d\n", a, b, d);
    return 0;
}
