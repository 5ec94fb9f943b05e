/* sections_same_thread_clean.c: twin of sections_same_thread_race.c.
 * Thread 0 runs every section (thread 1 waits outside, as in the racy
 * program), and nothing races:
 *  - each section writes its own variable; after the sections (nowait)
 *    the same thread reads both: the thread's code after the construct is
 *    ordered after the sections it ran;
 *  - a private variable of the region's frame, its address taken, reused
 *    by both sections;
 *  - a second sections construct reads what the first wrote;
 *  - parallel sections, then the master reads. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=1 2 3 4 5\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=1 2 3 4 5\n
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

int first, second, third, fourth, fifth, sections_done OWN_LINE;

static void fill(int *slot, int v) { *slot = v; }

int main(void)
{
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == 1)
            flag_wait(&sections_done);
        int scratch;
#pragma omp sections nowait
        {
#pragma omp section
            {
                fill(&scratch, 1);
                first = scratch;
            }
#pragma omp section
            {
                fill(&scratch, 2);
                second = scratch;
            }
        }
        if (omp_get_thread_num() == 0)
            use(first + second);
#pragma omp sections nowait
        {
#pragma omp section
            third = first + second;
#pragma omp section
            use(first);
        }
        if (omp_get_thread_num() == 0)
            flag_set(&sections_done);
    }
#pragma omp parallel sections num_threads(2)
    {
#pragma omp section
        fourth = third + 1;
#pragma omp section
        fifth = 5;
    }
    printf("%d %d %d %d %d\n", first, second, third, fourth, fifth);
    return 0;
}
