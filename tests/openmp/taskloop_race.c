/* taskloop_race.c: a taskloop with nogroup fills an array that its
 * creator then sums without waiting.  The iterations count themselves
 * (relaxed: no edge) and the creator waits for all of them, so the
 * tasks ran on other threads.  Twin: taskloop_clean.c. */
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
int started OWN_LINE;

int main(void)
{
#pragma omp parallel num_threads(4)
#pragma omp single
    {
#pragma omp taskloop nogroup num_tasks(4)
        for (int i = 0; i < N; i++) {
            a[i] = i; /* @w */
            count_up(&started);
        }
        count_wait(&started, N);
        int sum = 0;
        for (int i = 0; i < N; i++)
            sum += a[i]; /* @r */
        use(sum);
    }
    printf("done\n");
    return 0;
}
