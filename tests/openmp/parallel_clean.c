/* parallel_clean.c: a region's start orders what the master wrote before
 * it, its end orders what every thread wrote in it, and a second region
 * reuses libgomp's pool threads (no new pthread_create edge): each
 * thread reads what another wrote in the first region.
 * Twin of parallel_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=done 6\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=done 6\n
// TSAN-EXPECT: false-positive
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

#define N 4
int before;
int part[N];

int main(void)
{
    before = 1;
#pragma omp parallel num_threads(N)
    {
        use(before);
        part[omp_get_thread_num()] = omp_get_thread_num();
    }
    int sum = 0;
    for (int i = 0; i < N; i++)
        sum += part[i];
#pragma omp parallel num_threads(N)
    {
        int id = omp_get_thread_num();
        use(part[(id + 1) % N]);
        part[(id + 1) % N] = 0;
    }
    printf("done %d\n", sum);
    return 0;
}
