/* exit_holding.c: a worker returns while it still holds a mutex (it forgot
 * the unlock on one path).  A warning naming the mutex and where it was
 * locked; exit 66.  Main then uses trylock, which reports EBUSY: the mutex
 * stays locked for ever. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=trylock after: EBUSY\n
// RACEWATCH-EXPECT: misuse=1
// RACEWATCH-EXPECT: warning=thread exited while holding mutexes @lock
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    pthread_mutex_lock(&m); /* @lock */
    if (arg)
        return arg;
    pthread_mutex_unlock(&m);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, (void *)1);
    pthread_join(t, NULL);
    printf("trylock after: %s\n", pthread_mutex_trylock(&m) == EBUSY ? "EBUSY" : "?");
    return 0;
}
