/* taskloop_clean.c: taskloops (their implicit taskgroup) fill arrays
 * that the creator sums; one over an unsigned long long range
 * (GOMP_taskloop_ull) and one with a reduction.
 * Twin of taskloop_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=2016 4032 2016\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=2016 4032 2016\n
// TSAN-EXPECT: false-positive
#include <stdio.h>

#define N 64
int a[N], b[N];
int sum, sum2, rsum;

int main(void)
{
#pragma omp parallel num_threads(4)
#pragma omp single
    {
#pragma omp taskloop grainsize(8)
        for (int i = 0; i < N; i++)
            a[i] = i;
        for (int i = 0; i < N; i++)
            sum += a[i];
#pragma omp taskloop num_tasks(5)
        for (unsigned long long i = 0; i < N; i++)
            b[i] = 2 * a[i];
        for (int i = 0; i < N; i++)
            sum2 += b[i];
#pragma omp taskloop reduction(+ : rsum)
        for (int i = 0; i < N; i++)
            rsum += a[i];
    }
    printf("%d %d %d\n", sum, sum2, rsum);
    return 0;
}
