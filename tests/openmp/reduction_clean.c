/* reduction_clean.c: reductions gcc combines in different ways: int (an
 * atomic add), float and max (compare-and-swap loops), long double
 * (GOMP_atomic_start/end), and a reduction over tasks (task_reduction,
 * GOMP_parallel_reductions).  Twin of reduction_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=2016 2016 63 2016 2016\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=2016 2016 63 2016 2016\n
// TSAN-EXPECT: false-positive
#include <stdio.h>

#define N 64
int a[N];

int main(void)
{
    for (int i = 0; i < N; i++)
        a[i] = i;
    int sum = 0, max = 0, tsum = 0;
    float fsum = 0;
    long double lsum = 0;
#pragma omp parallel for num_threads(4) reduction(+ : sum, fsum, lsum) reduction(max : max)
    for (int i = 0; i < N; i++) {
        sum += a[i];
        fsum += a[i];
        lsum += a[i];
        if (a[i] > max)
            max = a[i];
    }
#pragma omp parallel num_threads(4) reduction(task, + : tsum)
    {
#pragma omp single
        for (int i = 0; i < N; i++) {
#pragma omp task in_reduction(+ : tsum)
            tsum += a[i];
        }
    }
    printf("%d %d %d %d %d\n", sum, (int)fsum, max, (int)lsum, tsum);
    return 0;
}
