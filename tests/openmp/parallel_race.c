/* parallel_race.c: thread 0 of a team writes a shared variable that
 * thread 1 reads, with nothing between them.  Twin: parallel_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @w @r
// RACEWATCH-EXPECT: location=global shared
// RACEWATCH-EXPECT: stdout=done\n
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

int shared OWN_LINE, written OWN_LINE;

int main(void)
{
#pragma omp parallel num_threads(4)
    {
        int id = omp_get_thread_num();
        if (id == 0) {
            shared = 42; /* @w */
            flag_set(&written);
        }
        if (id == 1) {
            flag_wait(&written);
            use(shared); /* @r */
        }
    }
    printf("done\n");
    return 0;
}
