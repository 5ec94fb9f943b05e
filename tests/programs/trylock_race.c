/* trylock_race.c: a FAILED pthread_mutex_trylock acquires nothing.  main
 * holds the mutex for the worker's whole life; the worker's trylock fails
 * (EBUSY) and it writes the shared value anyway.  Twin: trylock_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @main_w @worker_w
// RACEWATCH-EXPECT: location=global shared
// RACEWATCH-EXPECT: stdout=trylock: EBUSY\n
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

int shared;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int try_rc;

static void *worker(void *arg)
{
    (void)arg;
    try_rc = pthread_mutex_trylock(&mu);
    /* trylock result ignored: */
    shared = 2; /* @worker_w */
    if (try_rc == 0)
        pthread_mutex_unlock(&mu);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_mutex_lock(&mu);
    pthread_create(&t, NULL, worker, NULL);
    shared = 1; /* @main_w */
    pthread_join(t, NULL);
    pthread_mutex_unlock(&mu);
    printf("trylock: %s\n", try_rc == EBUSY ? "EBUSY" : "?");
    return 0;
}
