/* single_same_thread_race.c: thread 0 writes a variable in the region,
 * with no barrier after it, and then runs the `single` block that reads
 * it: thread 1 waits in the program's own code until thread 0 is inside
 * the block, so thread 0 always gets it.  Any thread of the team could
 * have run the block: OpenMP orders it after the team's last barrier (here
 * the region's start), not after what the thread that happens to run it
 * did since, so the write and the read race in every run (DataRaceBench's
 * DRB013 has this shape, with a static loop nowait before the single).
 * racewatch runs a single block as a fiber starting from the team's last
 * barrier (runtime/intercept_gomp_loop.c).  Twin:
 * single_same_thread_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @w @r
// RACEWATCH-EXPECT: location=global shared_value
// RACEWATCH-EXPECT: stdout=done\n
// TSAN-EXPECT: miss
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

int shared_value OWN_LINE, in_single OWN_LINE;

static __attribute__((noinline)) void write_value(void)
{
    shared_value = 42; /* @w */
}

static __attribute__((noinline)) void read_value(void)
{
    use(shared_value); /* @r */
}

int main(void)
{
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == 0)
            write_value();
        else
            flag_wait(&in_single);
#pragma omp single
        {
            flag_set(&in_single);
            read_value();
        }
    }
    printf("done\n");
    return 0;
}
