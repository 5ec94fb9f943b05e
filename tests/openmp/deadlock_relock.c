/* deadlock_relock.c: the master sets an omp lock it already holds (libgomp's
 * simple locks are not recursive: it waits for itself for ever) while the
 * pool's other thread sits idle.  Twin: lock_clean.c (nest locks taken
 * twice). */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [omp_set_lock] @again
// RACEWATCH-EXPECT: thread 2 [omp idle] @main from 1 @main
#include <omp.h>
#include <stdio.h>

static omp_lock_t lock;

/* gcc gives the call that starts a region the line of the statement
 * before the pragma: it is where the region's threads say they were
 * created. */
int main(void)
{
    omp_init_lock(&lock); /* @main */
#pragma omp parallel num_threads(2)
    {
#pragma omp barrier
    }
    omp_set_lock(&lock);
    omp_set_lock(&lock); /* @again */
    printf("unreachable\n");
    return 0;
}
