/* barrier_late_clean.c: every thread of the team reaches the barrier, one
 * of them 100 ms after the others, and the region ends; then a second
 * region with fewer threads leaves pool threads idle while the master
 * waits at a barrier.  Twin of deadlock_barrier_branch.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=done\n
// RACEWATCH-EXPECT: clean
#include <omp.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
#pragma omp parallel num_threads(4)
    {
        if (omp_get_thread_num() == 3)
            usleep(100000);
#pragma omp barrier
    }
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == 1)
            usleep(100000);
#pragma omp barrier
    }
    printf("done\n");
    return 0;
}
