/* static_single_race.c: DataRaceBench's DRB013 made deterministic.
 * A static loop with nowait, then a single block that reads an element
 * of thread 0's chunk.  Thread 1 waits in the program's own code until
 * thread 0 is inside the block, so thread 0 always gets it: its chunk's
 * write and the block's read are one thread's accesses in this run, but
 * any thread of the team could have run the block, and nothing (no
 * barrier after the nowait loop) orders the block after thread 0's chunk:
 * they race in every run.  racewatch runs the block as a fiber from the
 * team's last barrier (runtime/intercept_gomp_loop.c for gcc,
 * runtime/ompt_loop.c for clang).  Twin: static_single_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @w @r
// RACEWATCH-EXPECT: location=global values
// RACEWATCH-EXPECT: stdout=done\n
// TSAN-EXPECT: miss
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

#define N 16

int values[N] OWN_LINE, in_single OWN_LINE;

static __attribute__((noinline)) void write_value(int i)
{
    values[i] = i; /* @w */
}

static __attribute__((noinline)) void read_value(void)
{
    use(values[3]); /* @r */
}

int main(void)
{
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == 1)
            flag_wait(&in_single);
#pragma omp for schedule(static) nowait
        for (int i = 0; i < N; i++)
            write_value(i);
#pragma omp single
        {
            flag_set(&in_single);
            read_value();
        }
    }
    printf("done\n");
    return 0;
}
