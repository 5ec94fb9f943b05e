/* libomp_loop_same_thread_clean.c: twin of loop_same_thread_race.c for
 * clang and libomp: loop_same_thread_clean.c without the reduction and
 * the lastprivate of a nowait loop (clang's code for them waits in a
 * barrier, where thread 0 would wait for thread 1, which waits for
 * thread 0: a hang natively).  Thread 0
 * runs every chunk of the loops (thread 1 waits outside them, as in the
 * racy program), and nothing races:
 *  - each iteration writes its own element; after the loop (nowait) the
 *    same thread reads them all: the thread's code after a loop is
 *    ordered after the chunks it ran;
 *  - a second loop reads what the thread's chunks of the first wrote;
 *  - private variables in the region's frame, one with its address
 *    taken, reused by every chunk; a reduction after the barrier;
 *  - ordered sections update one counter in iteration order;
 *  - unsigned long long bounds, guided and runtime schedules;
 *  - after the region's barrier, the master reads everything. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=16 120 15 16 120\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=16 120 15 16 120\n
// TSAN-EXPECT: false-positive
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

#define N 16

int values[N], doubled[N], loop_done OWN_LINE;
int counter, last, sum, sum2;

static void fill(int *slot, int v) { *slot = v; }

int main(void)
{
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == 1)
            flag_wait(&loop_done);
        int scratch[4]; /* the thread's own, reused by each chunk */
#pragma omp for schedule(dynamic, 1) nowait
        for (int i = 0; i < N; i++) {
            fill(&scratch[i % 4], i);
            values[i] = scratch[i % 4];
        }
        if (omp_get_thread_num() == 0) {
            int total = 0;
            for (int i = 0; i < N; i++)
                total += values[i];
            use(total);
        }
#pragma omp for schedule(guided) nowait
        for (unsigned long long i = 0; i < N; i++)
            doubled[i] = 2 * values[i];
#pragma omp for schedule(runtime) nowait
        for (int i = 0; i < N; i++)
            if (i == N - 1)
                last = i;
#pragma omp for schedule(dynamic, 2) ordered nowait
        for (int i = 0; i < N; i++) {
#pragma omp ordered
            counter++;
        }
        if (omp_get_thread_num() == 0)
            flag_set(&loop_done);
#pragma omp barrier
#pragma omp for schedule(dynamic, 3) reduction(+ : sum2)
        for (int i = 0; i < N; i++)
            sum2 += doubled[i] / 2;
    }
    for (int i = 0; i < N; i++)
        sum += values[i];
    printf("%d %d %d %d %d\n", counter, sum, last, N, sum2);
    return 0;
}
