/* sections_race.c: one section writes a value that every thread reads
 * after `sections nowait`.  Twin: sections_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @w @r
// RACEWATCH-EXPECT: location=global x
// RACEWATCH-EXPECT: stdout=done\n
#include <stdio.h>

#include "omp_test.h"

int x OWN_LINE, y OWN_LINE, written OWN_LINE;

int main(void)
{
#pragma omp parallel num_threads(4)
    {
#pragma omp sections nowait
        {
#pragma omp section
            {
                x = 1; /* @w */
                flag_set(&written);
            }
#pragma omp section
            y = 2;
        }
        flag_wait(&written);
        use(x); /* @r */
    }
    printf("done\n");
    return 0;
}
