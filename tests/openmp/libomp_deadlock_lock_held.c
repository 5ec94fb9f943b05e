/* libomp_deadlock_lock_held.c: deadlock_lock_held.c for clang and LLVM's
 * libomp: thread 1 of a team sets an omp lock and never unsets it;
 * thread 0 then waits for it for ever (a relaxed flag orders the two);
 * thread 1 has ended its part and sits idle in libomp's pool, still
 * holding the lock.  Twin: lock_held_clean.c (clang). */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [omp_set_lock] @wait
// RACEWATCH-EXPECT: thread 2 [omp idle] @region from 1 @region
#include <omp.h>
#include <stdio.h>
#include <unistd.h>

static omp_lock_t lock;
static int taken;

int main(void)
{
    omp_init_lock(&lock);
#pragma omp parallel num_threads(2) /* @region */
    {
        if (omp_get_thread_num() == 1) {
            omp_set_lock(&lock);
            __atomic_store_n(&taken, 1, __ATOMIC_RELAXED);
        } else {
            while (!__atomic_load_n(&taken, __ATOMIC_RELAXED))
                usleep(1000);
            omp_set_lock(&lock); /* @wait */
        }
    }
    printf("unreachable\n");
    return 0;
}
