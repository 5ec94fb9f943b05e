/* barrier_clean.c: each thread writes its part, waits at the barrier,
 * reads its neighbour's, waits again and overwrites its own: two rounds
 * of one team barrier.  Twin of barrier_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=done\n
// TSAN-EXPECT: false-positive
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

#define N 4
int part[N];

int main(void)
{
#pragma omp parallel num_threads(N)
    {
        int id = omp_get_thread_num();
        part[id] = id;
#pragma omp barrier
        use(part[(id + 1) % N]);
#pragma omp barrier
        part[id] = 0;
    }
    printf("done\n");
    return 0;
}
