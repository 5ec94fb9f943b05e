/* barrier_race.c: each thread writes its part AFTER the barrier and reads
 * its neighbour's: the barrier orders nothing written after it.
 * Twin: barrier_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @w @r
// RACEWATCH-EXPECT: location=global part
// RACEWATCH-EXPECT: stdout=done\n
// TSAN-EXPECT: false-positive
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

#define N 4
long part[N] OWN_LINE;
int written OWN_LINE;

int main(void)
{
#pragma omp parallel num_threads(N)
    {
        int id = omp_get_thread_num();
#pragma omp barrier
        part[id] = id; /* @w */
        count_up(&written);
        count_wait(&written, N);
        use(part[(id + 1) % N]); /* @r */
    }
    printf("done\n");
    return 0;
}
