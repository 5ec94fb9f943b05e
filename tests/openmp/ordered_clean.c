/* ordered_clean.c: the same running value, updated inside the ordered
 * section: iteration order, one thread after another.
 * Twin of ordered_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=3280\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=3280\n
// TSAN-EXPECT: false-positive
#include <stdio.h>

int running;

int main(void)
{
#pragma omp parallel for ordered schedule(static, 1) num_threads(4)
    for (int i = 0; i < 8; i++) {
#pragma omp ordered
        running = running * 3 + 1;
    }
    printf("%d\n", running);
    return 0;
}
