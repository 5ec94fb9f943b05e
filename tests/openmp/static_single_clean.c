/* static_single_clean.c: twin of static_single_race.c.  Static loops
 * run as fibers too (one per thread and loop with clang, where libomp
 * hands out the bounds; gcc computes them inline), and nothing here
 * races:
 *  - after a static loop with nowait, each thread reads the elements of
 *    its own chunk: the thread's code after a loop is ordered after the
 *    chunks it ran;
 *  - a second static loop with the same bounds reads, in each iteration,
 *    what the same iteration of the first wrote (OpenMP gives both the
 *    same thread);
 *  - a chunked static loop whose chunks reuse a private array of the
 *    region's frame;
 *  - after a barrier, a single block reads everything, and a private
 *    variable its thread wrote just before the block. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=120 136 120 2\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=120 136 120 2\n
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

#define N 16

int values[N], plus_one[N], copied[N], loops_done OWN_LINE;
int sum_values, sum_plus_one, sum_copied, single_saw;

static void fill(int *slot, int v) { *slot = v; }

int main(void)
{
#pragma omp parallel num_threads(2)
    {
        int me = omp_get_thread_num();
        if (me == 1)
            flag_wait(&loops_done);
#pragma omp for schedule(static) nowait
        for (int i = 0; i < N; i++)
            values[i] = i;
        int own = 0;
        for (int i = me * N / 2; i < (me + 1) * N / 2; i++)
            own += values[i];
        use(own);
#pragma omp for schedule(static) nowait
        for (int i = 0; i < N; i++)
            plus_one[i] = values[i] + 1;
        int scratch[2];
#pragma omp for schedule(static, 2) nowait
        for (int i = 0; i < N; i++) {
            fill(&scratch[i % 2], i);
            copied[i] = scratch[i % 2];
        }
        if (me == 0)
            flag_set(&loops_done);
#pragma omp barrier
        int mine;
        fill(&mine, 2);
#pragma omp single
        {
            for (int i = 0; i < N; i++) {
                sum_values += values[i];
                sum_plus_one += plus_one[i];
                sum_copied += copied[i];
            }
            single_saw = mine;
        }
    }
    printf("%d %d %d %d\n", sum_values, sum_plus_one, sum_copied, single_saw);
    return 0;
}
