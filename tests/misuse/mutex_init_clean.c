/* mutex_init_clean.c: twin of mutex_destroyed.c and mutex_reinit_locked.c:
 * a statically zeroed mutex (PTHREAD_MUTEX_INITIALIZER's bytes) and a
 * zeroed heap one are locked without init (legal); a mutex is destroyed,
 * initialised again and used; an unlocked, used mutex is initialised
 * again; a timed lock with a bad deadline on a good mutex fails with
 * EINVAL, and so may a lock of a priority-protected mutex (glibc checks
 * the caller's priority against the ceiling): neither is misuse of the
 * mutex; the heap block of a destroyed mutex is freed and a new mutex
 * initialised in the next one.  Silent. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=timedlock with a bad deadline: EINVAL\ndone 4\n
// RACEWATCH-EXPECT: clean
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t zeroed; /* all zero: PTHREAD_MUTEX_INITIALIZER */
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int counter;

static void *worker(void *arg)
{
    pthread_mutex_lock(&zeroed);
    counter++;
    pthread_mutex_unlock(&zeroed);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_mutex_lock(&zeroed);
    counter++;
    pthread_mutex_unlock(&zeroed);
    pthread_join(t, NULL);

    pthread_mutex_t *h = calloc(1, sizeof *h);
    pthread_mutex_lock(h);
    counter++;
    pthread_mutex_unlock(h);
    pthread_mutex_destroy(h);
    free(h);
    h = malloc(sizeof *h);
    pthread_mutex_init(h, NULL);
    pthread_mutex_lock(h);
    pthread_mutex_unlock(h);
    pthread_mutex_destroy(h);
    free(h);

    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    pthread_mutex_destroy(&m);
    pthread_mutex_init(&m, NULL);
    pthread_mutex_lock(&m);
    counter++;
    pthread_mutex_unlock(&m);
    pthread_mutex_init(&m, NULL); /* unlocked: a fresh start */

    struct timespec bad = { 0, 2000000000L };
    pthread_mutex_lock(&m);
    int r = pthread_mutex_timedlock(&m, &bad); /* checked before it would wait */
    pthread_mutex_unlock(&m);
    printf("timedlock with a bad deadline: %s\n", r == EINVAL ? "EINVAL" : "?");

    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_PROTECT);
    pthread_mutexattr_setprioceiling(&a, 10);
    pthread_mutex_t pp;
    pthread_mutex_init(&pp, &a);
    if (pthread_mutex_lock(&pp) == 0) /* EINVAL for a SCHED_OTHER thread */
        pthread_mutex_unlock(&pp);
    pthread_mutex_destroy(&pp);
    pthread_mutexattr_destroy(&a);
    printf("done %d\n", counter);
    return 0;
}
