/* counter_wg_fixed.c: the counter of the seed on Go's sync patterns (003):
 * 1000 threads each increment a shared count under a mutex ("take the
 * key"), a wait group waits for them all.  It reliably prints 1000;
 * racewatch is silent.  counter_wg_race.c drops the mutex.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=Final count: 1000
#include <pthread.h>
#include <stdio.h>

#include <racewatch/concurrency.h>

#define N 1000

static int count;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;    /* var mu sync.Mutex */
static rw_waitgroup wg;                                     /* var wg sync.WaitGroup */

static void *increment(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);        /* take the key */
    count++;                        /* safely use the bathroom */
    pthread_mutex_unlock(&mu);      /* return the key */
    rw_waitgroup_done(&wg);
    return NULL;
}

int main(void)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);   /* goroutines */
    for (int i = 0; i < N; i++) {
        rw_waitgroup_add(&wg, 1);
        pthread_t t;
        pthread_create(&t, &attr, increment, NULL);
    }
    rw_waitgroup_wait(&wg);         /* wait for all goroutines to finish */
    printf("Final count: %d\n", count);
    pthread_attr_destroy(&attr);
    return 0;
}
