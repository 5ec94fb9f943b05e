/* loop_race.c: a dynamically scheduled loop with nowait fills an array
 * that every thread then sums: each element was written by one thread
 * and is read by the three others with no barrier between.
 * Twin: loop_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @w @r
// RACEWATCH-EXPECT: location=global a
// RACEWATCH-EXPECT: stdout=done\n
// TSAN-EXPECT: false-positive
#include <stdio.h>

#include "omp_test.h"

#define N 64
int a[N] OWN_LINE;
int written OWN_LINE;

int main(void)
{
#pragma omp parallel num_threads(4)
    {
#pragma omp for schedule(dynamic, 4) nowait
        for (int i = 0; i < N; i++)
            a[i] = i; /* @w */
        count_up(&written);
        count_wait(&written, 4);
        int sum = 0;
        for (int i = 0; i < N; i++)
            sum += a[i]; /* @r */
        use(sum);
    }
    printf("done\n");
    return 0;
}
