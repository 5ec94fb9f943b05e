/* counter_wg_race.c: counter_wg_fixed.c without the mutex, the failure the
 * seed on Go's sync patterns (003) warns about: "Without that mu.Lock()
 * and mu.Unlock(), the final count would be a random number less than
 * 1000."  racewatch reports the unsynchronized count++ (exit 66).  The
 * count itself depends on timing, so it is not printed.
 */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: out=1000 goroutines finished
// RACEWATCH-EXPECT: first-line=WARNING: DATA RACE
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @inc @inc
#include <pthread.h>
#include <stdio.h>

#include <racewatch/concurrency.h>

#define N 1000

static int count;
static rw_waitgroup wg;

static void *increment(void *arg)
{
    (void)arg;
    count++; /* @inc */
    rw_waitgroup_done(&wg);
    return NULL;
}

int main(void)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < N; i++) {
        rw_waitgroup_add(&wg, 1);
        pthread_t t;
        pthread_create(&t, &attr, increment, NULL);
    }
    rw_waitgroup_wait(&wg);
    printf("%d goroutines finished\n", N);  /* count: anything up to 1000 */
    pthread_attr_destroy(&attr);
    return 0;
}
