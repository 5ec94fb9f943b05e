/* taskgroup_clean.c: a taskgroup waits for its tasks and all their
 * descendants: the creator reads what a grandchild wrote; a nested
 * taskgroup inside a task, and a task outside any group read after the
 * region's end.  Twin of taskgroup_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=42 7 1\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=42 7 1\n
// TSAN-EXPECT: false-positive
#include <stdio.h>

#include "omp_test.h"

int deep, inner, outside, seen;

int main(void)
{
#pragma omp parallel num_threads(4)
#pragma omp single
    {
#pragma omp taskgroup
        {
#pragma omp task
            {
#pragma omp task
                deep = 42;
#pragma omp taskgroup
                {
#pragma omp task
                    inner = 3;
                }
                inner += 4;
            }
        }
        seen = deep;
#pragma omp task
        outside = 1;
    }
    printf("%d %d %d\n", seen, inner, outside);
    return 0;
}
