/* sections_clean.c: two sections write two values that every thread
 * reads after the sections' implicit barrier (GOMP_sections_end), and a
 * combined `parallel sections` whose results main reads.
 * Twin of sections_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=12 7\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=12 7\n
// TSAN-EXPECT: false-positive
#include <omp.h>
#include <stdio.h>

int x, y, seen[4], p, q;

int main(void)
{
#pragma omp parallel num_threads(4)
    {
#pragma omp sections
        {
#pragma omp section
            x = 1;
#pragma omp section
            y = 2;
        }
        seen[omp_get_thread_num()] = x + y;
    }
#pragma omp parallel sections num_threads(4)
    {
#pragma omp section
        p = 3;
#pragma omp section
        q = 4;
    }
    printf("%d %d\n", seen[0] + seen[1] + seen[2] + seen[3], p + q);
    return 0;
}
