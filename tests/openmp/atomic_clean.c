/* atomic_clean.c: every thread updates a long double (GOMP_atomic_start
 * and _end) and an int (a compiler atomic) with `omp atomic`.
 * Twin of atomic_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=4 8\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=4 8\n
// TSAN-EXPECT: false-positive
#include <stdio.h>

long double total;
int count;

int main(void)
{
#pragma omp parallel num_threads(4)
    {
#pragma omp atomic
        total += 1.0L;
#pragma omp atomic
        count += 2;
    }
    printf("%d %d\n", (int)total, count);
    return 0;
}
