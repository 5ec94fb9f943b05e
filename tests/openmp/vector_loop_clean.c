/* vector_loop_clean.c: twin of vector_loop_race.c (built with -O3 -mavx):
 * the same vectorized loop, then its implicit barrier before the single
 * block reads what thread 0's chunk wrote, and a second vectorized loop
 * with the same static schedule that reads, in each iteration, what the
 * same iteration of the first wrote.  Nothing races. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=7 64\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=7 64\n
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

#define N 64

double values[N] OWN_LINE, plus_one[N] OWN_LINE;
int seen;

int main(void)
{
#pragma omp parallel num_threads(2)
    {
#pragma omp for schedule(static) nowait
        for (int i = 0; i < N; i++)
            values[i] = values[i] * 2.0 + 1.0;
#pragma omp for schedule(static)
        for (int i = 0; i < N; i++)
            plus_one[i] = values[i] + 1.0;
#pragma omp single
        seen = (int)(values[3] + plus_one[3]) + 4;
    }
    int ones = 0;
    for (int i = 0; i < N; i++)
        ones += values[i] == 1.0;
    printf("%d %d\n", seen, ones);
    return 0;
}
