/* critical_clean.c: a counter updated by every thread inside an unnamed
 * critical section, another inside a named one.
 * Twin of critical_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=8 16\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=8 16\n
// TSAN-EXPECT: false-positive
#include <stdio.h>

int counter, named;

int main(void)
{
#pragma omp parallel num_threads(4)
    {
        for (int i = 0; i < 2; i++) {
#pragma omp critical
            counter = counter + 1;
#pragma omp critical(alpha)
            named = named + 2;
        }
    }
    printf("%d %d\n", counter, named);
    return 0;
}
