/* libomp_deadlock_barrier_branch.c: deadlock_barrier_branch.c for clang
 * and LLVM's libomp: a barrier inside a branch that only threads 0 and
 * 1 of a team of 4 take.  They wait there for ever; threads 2 and 3
 * arrive at the region's join barrier and sit idle, and the master never
 * reaches the region's end.  Twin: barrier_late_clean.c (clang). */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [omp barrier] @bar
// RACEWATCH-EXPECT: thread 2 [omp barrier] @bar from 1 @region
// RACEWATCH-EXPECT: thread 3 [omp idle] @region from 1 @region
// RACEWATCH-EXPECT: thread 4 [omp idle] @region from 1 @region
#include <omp.h>
#include <stdio.h>

/* clang gives the call that starts a region (__kmpc_fork_call) the
 * pragma's line: it is where the region's threads say they were
 * created. */
int main(void)
{
#pragma omp parallel num_threads(4) /* @region */
    {
        if (omp_get_thread_num() < 2) {
#pragma omp barrier /* @bar */
        }
    }
    printf("unreachable\n");
    return 0;
}
