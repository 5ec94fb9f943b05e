/* cond_unheld.c: condition waits with a mutex the caller does not hold.
 * On error-checking, recursive, priority-inheritance and robust mutexes
 * glibc returns EPERM at once: each is a warning, and none is a thread
 * asleep (main is the only thread: a wait taken for asleep would be "all
 * asleep").  Then a wait on an error-checking mutex that an asleep worker
 * holds: EPERM again, a warning naming the holder, not a cycle.  Exit 66.
 * Twin: cond_clean.c, tests/deadlock/fail_at_once_clean.c (the same
 * waits, signalled, with the mutex held). */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=errorcheck: EPERM\nrecursive: EPERM\npriority-inheritance: EPERM\nrobust: EPERM\ntimed errorcheck: EPERM\nheld by an asleep worker: EPERM\n
// RACEWATCH-EXPECT: misuse=6
// RACEWATCH-EXPECT: warning=condition wait with a mutex the caller does not hold @ec
// RACEWATCH-EXPECT: warning=condition wait with a mutex the caller does not hold @rec
// RACEWATCH-EXPECT: warning=condition wait with a mutex the caller does not hold @pi
// RACEWATCH-EXPECT: warning=condition wait with a mutex the caller does not hold @robust
// RACEWATCH-EXPECT: warning=condition wait with a mutex the caller does not hold @timed
// RACEWATCH-EXPECT: warning=condition wait with a mutex the caller does not hold @held
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

static const char *name(int r)
{
    return r == EPERM ? "EPERM" : strerror(r);
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

/* Holds ec while asleep in sem_wait until main posts. */
static void *holder(void *arg)
{
    pthread_mutex_lock(&ec);
    sem_wait(&go_on);
    pthread_mutex_unlock(&ec);
    return arg;
}

int main(void)
{
    init_mutex(&ec, PTHREAD_MUTEX_ERRORCHECK, PTHREAD_PRIO_NONE, PTHREAD_MUTEX_STALLED);
    init_mutex(&rec, PTHREAD_MUTEX_RECURSIVE, PTHREAD_PRIO_NONE, PTHREAD_MUTEX_STALLED);
    init_mutex(&pi, PTHREAD_MUTEX_NORMAL, PTHREAD_PRIO_INHERIT, PTHREAD_MUTEX_STALLED);
    init_mutex(&robust, PTHREAD_MUTEX_NORMAL, PTHREAD_PRIO_NONE, PTHREAD_MUTEX_ROBUST);
    sem_init(&go_on, 0, 0);

    printf("errorcheck: %s\n", name(pthread_cond_wait(&c, &ec))); /* @ec */
    printf("recursive: %s\n", name(pthread_cond_wait(&c, &rec))); /* @rec */
    printf("priority-inheritance: %s\n", name(pthread_cond_wait(&c, &pi))); /* @pi */
    printf("robust: %s\n", name(pthread_cond_wait(&c, &robust))); /* @robust */
    struct timespec later;
    clock_gettime(CLOCK_REALTIME, &later);
    later.tv_sec += 5;
    printf("timed errorcheck: %s\n", name(pthread_cond_timedwait(&c, &ec, &later))); /* @timed */

    /* The holder is asleep in sem_wait (after racewatch's 10 ms grace)
     * when main's wait fails. */
    pthread_t t;
    pthread_create(&t, NULL, holder, NULL);
    usleep(100 * 1000);
    printf("held by an asleep worker: %s\n", name(pthread_cond_wait(&c, &ec))); /* @held */
    sem_post(&go_on);
    pthread_join(t, NULL);
    return 0;
}
