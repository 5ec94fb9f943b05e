/* trylock_clean.c: twin of trylock_race.c.  The worker retries trylock until
 * it succeeds (after main unlocks) and writes only while holding the mutex. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=shared = 2\n
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int shared;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    (void)arg;
    while (pthread_mutex_trylock(&mu) == EBUSY)
        usleep(1000);
    shared = 2;
    pthread_mutex_unlock(&mu);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_mutex_lock(&mu);
    pthread_create(&t, NULL, worker, NULL);
    shared = 1;
    usleep(10000);
    pthread_mutex_unlock(&mu);
    pthread_join(t, NULL);
    printf("shared = %d\n", shared);
    return 0;
}
