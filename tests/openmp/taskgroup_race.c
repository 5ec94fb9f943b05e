/* taskgroup_race.c: a task makes a child task that writes a value; their
 * creator reads it after a taskwait, which waits for its own children
 * only, not for their descendants.  The grandchild raises a flag
 * (relaxed: no edge) after writing and the creator waits for it, so the
 * grandchild runs on another thread.  Twin: taskgroup_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @w @r
// RACEWATCH-EXPECT: location=global deep
// RACEWATCH-EXPECT: stdout=done\n
// TSAN-EXPECT: false-positive
#include <stdio.h>

#include "omp_test.h"

int deep OWN_LINE, written OWN_LINE;

int main(void)
{
#pragma omp parallel num_threads(4)
#pragma omp single
    {
#pragma omp task
        {
#pragma omp task
            {
                deep = 42; /* @w */
                flag_set(&written);
            }
        }
#pragma omp taskwait
        flag_wait(&written);
        use(deep); /* @r */
    }
    printf("done\n");
    return 0;
}
