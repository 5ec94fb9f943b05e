/* single_race.c: one thread writes a value in a `single nowait`, every
 * thread reads it after: without the single's barrier the three that did
 * not run it race with the one that did.  Twin: single_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @w @r
// RACEWATCH-EXPECT: location=global config
// RACEWATCH-EXPECT: stdout=done\n
#include <stdio.h>

#include "omp_test.h"

int config OWN_LINE, written OWN_LINE;

int main(void)
{
#pragma omp parallel num_threads(4)
    {
#pragma omp single nowait
        {
            config = 7; /* @w */
            flag_set(&written);
        }
        flag_wait(&written);
        use(config); /* @r */
    }
    printf("done\n");
    return 0;
}
