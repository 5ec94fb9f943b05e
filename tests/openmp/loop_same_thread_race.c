/* loop_same_thread_race.c: two iterations of one dynamic loop, one
 * writes, the other reads, and thread 0 runs both: thread 1 spins in the
 * program's own code until thread 0 has run the whole loop (nowait), and
 * then finds no iteration left.  OpenMP does not order two iterations of
 * a work-sharing loop, whichever thread runs them: the race is between
 * the iterations, not between threads.  racewatch runs each chunk libgomp
 * hands out as a fiber (runtime/intercept_gomp_loop.c), so it is reported
 * in every run.  Twin: loop_same_thread_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @w @r
// RACEWATCH-EXPECT: location=global shared_value
// RACEWATCH-EXPECT: stdout=done\n
// TSAN-EXPECT: miss
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

int shared_value OWN_LINE, loop_done OWN_LINE;

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
        if (omp_get_thread_num() == 1)
            flag_wait(&loop_done);
#pragma omp for schedule(dynamic, 1) nowait
        for (int i = 0; i < 2; i++) {
            if (i == 0)
                write_value();
            else
                read_value();
        }
        if (omp_get_thread_num() == 0)
            flag_set(&loop_done);
    }
    printf("done\n");
    return 0;
}
