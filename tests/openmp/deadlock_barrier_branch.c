/* deadlock_barrier_branch.c: a barrier inside a branch that only threads
 * 0 and 1 of a team of 4 take.  They wait there for ever; threads 2 and
 * 3 end their part and wait for work, and the master never reaches the
 * region's end.  Twin: barrier_late_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [omp barrier] @bar
// RACEWATCH-EXPECT: thread 2 [omp barrier] @bar from 1 @main
// RACEWATCH-EXPECT: thread 3 [omp idle] @main from 1 @main
// RACEWATCH-EXPECT: thread 4 [omp idle] @main from 1 @main
#include <omp.h>
#include <stdio.h>

/* gcc gives the call that starts a region the line of the statement
 * before the pragma (here main's brace): it is where the region's
 * threads say they were created. */
int main(void)
{ /* @main */
#pragma omp parallel num_threads(4)
    {
        if (omp_get_thread_num() < 2) {
#pragma omp barrier /* @bar */
        }
    }
    printf("unreachable\n");
    return 0;
}
