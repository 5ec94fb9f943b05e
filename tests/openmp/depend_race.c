/* depend_race.c: a task reads a value that an earlier sibling writes,
 * but names another variable in its dependence: the two are not ordered.
 * They meet (relaxed flags: no edge), so they run on two threads.
 * Twin: depend_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @w @r
// RACEWATCH-EXPECT: location=global x
// RACEWATCH-EXPECT: stdout=done\n
// TSAN-EXPECT: false-positive
#include <stdio.h>

#include "omp_test.h"

int x OWN_LINE, y OWN_LINE, here1 OWN_LINE, here2 OWN_LINE, written OWN_LINE;

int main(void)
{
#pragma omp parallel num_threads(4)
#pragma omp single
    {
#pragma omp task depend(out : x)
        {
            meet(&here1, &here2);
            x = 1; /* @w */
            flag_set(&written);
        }
#pragma omp task depend(in : y)
        {
            meet(&here2, &here1);
            flag_wait(&written);
            use(x); /* @r */
        }
    }
    printf("done\n");
    return 0;
}
