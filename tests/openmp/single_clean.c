/* single_clean.c: a value written in a `single` (its implicit barrier),
 * and one broadcast with copyprivate (GOMP_single_copy_start/end), read
 * by every thread.  Twin of single_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=28 36\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=28 36\n
// TSAN-EXPECT: false-positive
#include <omp.h>
#include <stdio.h>

int config;
int got[4];
int table[4];

int main(void)
{
#pragma omp parallel num_threads(4)
    {
        int *mine;
#pragma omp single
        config = 7;
#pragma omp single copyprivate(mine)
        {
            for (int i = 0; i < 4; i++)
                table[i] = 9;
            mine = table;
        }
        int id = omp_get_thread_num();
        got[id] = config + mine[(id + 1) % 4] - 9;
    }
    printf("%d %d\n", got[0] + got[1] + got[2] + got[3], table[0] * 4);
    return 0;
}
