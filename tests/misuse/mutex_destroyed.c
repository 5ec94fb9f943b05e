/* mutex_destroyed.c: a worker locks a mutex main destroyed (glibc marks
 * it and fails the lock with EINVAL; other libraries may hang or succeed),
 * and main try-locks a mutex in heap memory that was never initialised
 * (garbage bytes: EINVAL).  A warning for each, reported before anything
 * else happens to the lock; exit 66.  Twin: mutex_init_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=lock after destroy: EINVAL\ntrylock of garbage: EINVAL\n
// RACEWATCH-EXPECT: misuse=2
// RACEWATCH-EXPECT: warning=lock of a destroyed mutex @destroyed
// RACEWATCH-EXPECT: warning=lock of an uninitialised mutex @garbage
// RACEWATCH-EXPECT: previous=lock of a destroyed mutex @destroyed @destroy
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t m;

static void *worker(void *arg)
{
    int r = pthread_mutex_lock(&m); /* @destroyed */
    printf("lock after destroy: %s\n", r == EINVAL ? "EINVAL" : r == 0 ? "0" : "?");
    fflush(stdout);
    return arg;
}

int main(void)
{
    pthread_mutex_init(&m, NULL);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    pthread_mutex_destroy(&m); /* @destroy */
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);

    pthread_mutex_t *g = malloc(sizeof *g);
    memset(g, 0x55, sizeof *g); /* what a reused heap block may hold */
    int r = pthread_mutex_trylock(g); /* @garbage */
    printf("trylock of garbage: %s\n", r == EINVAL ? "EINVAL" : "?");
    free(g);
    return 0;
}
