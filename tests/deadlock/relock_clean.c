/* relock_clean.c: twin of relock_alone.c and relock_running.c.  Relocking
 * is fine where the mutex type says so: an error-checking mutex returns
 * EDEADLK, a recursive one counts, and a trylock of a held normal mutex
 * returns EBUSY.  None of these blocks, none is reported. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=errorcheck relock: EDEADLK\nrecursive depth 3\ntrylock of held: EBUSY\nworker: same\n
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t ec, rec;
static pthread_mutex_t normal = PTHREAD_MUTEX_INITIALIZER;

static int relock_all(void)
{
    int ok = 1;
    pthread_mutex_lock(&ec);
    ok &= pthread_mutex_lock(&ec) == EDEADLK;
    pthread_mutex_unlock(&ec);
    for (int i = 0; i < 3; i++)
        ok &= pthread_mutex_lock(&rec) == 0;
    for (int i = 0; i < 3; i++)
        pthread_mutex_unlock(&rec);
    pthread_mutex_lock(&normal);
    ok &= pthread_mutex_trylock(&normal) == EBUSY;
    pthread_mutex_unlock(&normal);
    return ok;
}

static void *worker(void *arg)
{
    *(int *)arg = relock_all();
    return NULL;
}

int main(void)
{
    pthread_mutexattr_t at;
    pthread_mutexattr_init(&at);
    pthread_mutexattr_settype(&at, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&ec, &at);
    pthread_mutexattr_settype(&at, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&rec, &at);
    pthread_mutexattr_destroy(&at);

    pthread_mutex_lock(&ec);
    printf("errorcheck relock: %s\n", pthread_mutex_lock(&ec) == EDEADLK ? "EDEADLK" : "?");
    pthread_mutex_unlock(&ec);
    int depth = 0;
    for (int i = 0; i < 3; i++)
        depth += pthread_mutex_lock(&rec) == 0;
    for (int i = 0; i < 3; i++)
        pthread_mutex_unlock(&rec);
    printf("recursive depth %d\n", depth);
    pthread_mutex_lock(&normal);
    printf("trylock of held: %s\n", pthread_mutex_trylock(&normal) == EBUSY ? "EBUSY" : "?");
    pthread_mutex_unlock(&normal);

    int ok = 0;
    pthread_t t;
    pthread_create(&t, NULL, worker, &ok);
    pthread_join(t, NULL);
    printf("worker: %s\n", ok ? "same" : "different");
    return 0;
}
