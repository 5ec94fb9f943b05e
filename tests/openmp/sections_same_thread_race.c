/* sections_same_thread_race.c: two sections, one writes, the other
 * reads, and thread 0 runs both: thread 1 spins in the program's own code
 * until thread 0 has run the sections (nowait), and then finds none left.
 * OpenMP does not order two sections of one construct: the race is
 * between the sections, not between threads.  racewatch runs each
 * section as a fiber (runtime/intercept_gomp_loop.c), so it is reported
 * in every run.  Twin: sections_same_thread_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @w @r
// RACEWATCH-EXPECT: location=global shared_value
// RACEWATCH-EXPECT: stdout=done\n
// TSAN-EXPECT: miss
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

int shared_value OWN_LINE, sections_done OWN_LINE;

int main(void)
{
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == 1)
            flag_wait(&sections_done);
#pragma omp sections nowait
        {
#pragma omp section
            shared_value = 42; /* @w */
#pragma omp section
            use(shared_value); /* @r */
        }
        if (omp_get_thread_num() == 0)
            flag_set(&sections_done);
    }
    printf("done\n");
    return 0;
}
