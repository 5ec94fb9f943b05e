/* critical_race.c: two critical sections with different names guard the
 * same counter: they exclude nothing from each other.
 * Twin: critical_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @a @b
// RACEWATCH-EXPECT: location=global counter
// RACEWATCH-EXPECT: stdout=done\n
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

int counter OWN_LINE, first_done OWN_LINE;

int main(void)
{
#pragma omp parallel num_threads(4)
    {
        if (omp_get_thread_num() == 0) {
#pragma omp critical(alpha)
            counter = counter + 1; /* @a */
            flag_set(&first_done);
        }
        if (omp_get_thread_num() == 1) {
            flag_wait(&first_done);
#pragma omp critical(beta)
            counter = counter + 2; /* @b */
        }
    }
    printf("done\n");
    return 0;
}
