/* ordered_race.c: a running value updated in every iteration of a loop
 * whose iterations go round-robin to the threads, outside the loop's
 * ordered section; a relaxed turn counter (no edge) makes the updates
 * take turns in iteration order, as the ordered section would, without
 * its happens-before.  Twin: ordered_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @u @u
// RACEWATCH-EXPECT: location=global running
// RACEWATCH-EXPECT: stdout=done\n
#include <stdio.h>

#include "omp_test.h"

int running OWN_LINE, trace[8] OWN_LINE, turn OWN_LINE;

int main(void)
{
#pragma omp parallel for ordered schedule(static, 1) num_threads(4)
    for (int i = 0; i < 8; i++) {
        count_wait(&turn, i);
        running = running * 3 + i; /* @u */
        count_up(&turn);
#pragma omp ordered
        trace[i] = i;
    }
    printf("done\n");
    return 0;
}
