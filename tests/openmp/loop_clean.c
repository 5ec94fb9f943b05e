/* loop_clean.c: loops of every schedule, each ended by its implicit
 * barrier (GOMP_loop_end for dynamic, guided and runtime schedules, a
 * plain barrier for static), each reading what the previous one wrote
 * at another index; then a combined `parallel for`.
 * Twin of loop_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=2016\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=2016\n
// TSAN-EXPECT: false-positive
#include <stdio.h>

#define N 64
int a[N], b[N];

int main(void)
{
#pragma omp parallel num_threads(4)
    {
#pragma omp for schedule(static)
        for (int i = 0; i < N; i++)
            a[i] = i;
#pragma omp for schedule(dynamic, 3)
        for (int i = 0; i < N; i++)
            b[i] = a[N - 1 - i];
#pragma omp for schedule(guided)
        for (int i = 0; i < N; i++)
            a[i] = b[(i + 7) % N];
#pragma omp for schedule(runtime)
        for (int i = 0; i < N; i++)
            b[i] = a[(i + 13) % N];
    }
#pragma omp parallel for schedule(dynamic) num_threads(4)
    for (int i = 0; i < N; i++)
        a[i] = b[(i + 5) % N];
    int sum = 0;
    for (int i = 0; i < N; i++)
        sum += a[i];
    printf("%d\n", sum);
    return 0;
}
