/* libomp_deadlock_relock.c: deadlock_relock.c for clang and LLVM's
 * libomp: after a region, the only running thread sets a simple omp
 * lock it already holds; the region's other thread sits idle in libomp's
 * pool.  Twin: lock_clean.c (clang; nest locks). */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [omp_set_lock] @again
// RACEWATCH-EXPECT: thread 2 [omp idle] @region from 1 @region
#include <omp.h>
#include <stdio.h>

static omp_lock_t lock;

int main(void)
{
    omp_init_lock(&lock);
#pragma omp parallel num_threads(2) /* @region */
    {
#pragma omp barrier
    }
    omp_set_lock(&lock);
    omp_set_lock(&lock); /* @again */
    printf("unreachable\n");
    return 0;
}
