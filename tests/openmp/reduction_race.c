/* reduction_race.c: every thread of a region adds its part into a shared
 * sum without the reduction clause (one statement: read and write on
 * the same line), taking turns by a relaxed counter (no edge).
 * Twin: reduction_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @s @s
// RACEWATCH-EXPECT: location=global sum
// RACEWATCH-EXPECT: stdout=done\n
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

int turn OWN_LINE;
int part[4] = { 1, 2, 3, 4 };
int sum OWN_LINE;

int main(void)
{
#pragma omp parallel num_threads(4)
    {
        int id = omp_get_thread_num();
        count_wait(&turn, id);
        sum += part[id]; /* @s */
        count_up(&turn);
    }
    printf("done\n");
    return 0;
}
