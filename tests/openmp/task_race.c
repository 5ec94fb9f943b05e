/* task_race.c: a task writes a value that its creator reads without a
 * taskwait.  The task raises a flag (relaxed: no edge) after writing
 * and the creator waits for it, so the task runs on another thread.
 * Twin: task_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @w @r
// RACEWATCH-EXPECT: location=global result
// RACEWATCH-EXPECT: stdout=done\n
// TSAN-EXPECT: false-positive
#include <stdio.h>

#include "omp_test.h"

int result OWN_LINE, started OWN_LINE;

int main(void)
{
#pragma omp parallel num_threads(4)
#pragma omp single
    {
#pragma omp task
        {
            result = 42; /* @w */
            flag_set(&started);
        }
        flag_wait(&started);
        use(result); /* @r */
    }
    printf("done\n");
    return 0;
}
