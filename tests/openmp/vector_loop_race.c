/* vector_loop_race.c: static_single_race.c with a loop the compiler
 * vectorizes into 32-byte AVX accesses (built with -O3 -mavx, see
 * meson.build).  clang 14's ThreadSanitizer pass instruments no access
 * wider than 16 bytes: without racewatch-cc's -mprefer-vector-width=128
 * (tools/cc_wrap.c) the loop's writes are not seen and the race is
 * missed (DataRaceBench's DRB013 with -O3 -march=native).  Thread 1 waits
 * until thread 0 is inside the single block, so thread 0 always runs it:
 * its chunk's write of values[3] and the block's read race, as in
 * static_single_race.c.  Twin: vector_loop_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @w @r
// RACEWATCH-EXPECT: location=global values
// RACEWATCH-EXPECT: stdout=done\n
// TSAN-EXPECT: miss
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

#define N 64

double values[N] OWN_LINE;
int in_single OWN_LINE;

static __attribute__((noinline)) void read_value(void)
{
    use((int)values[3]); /* @r */
}

int main(void)
{
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == 1)
            flag_wait(&in_single);
#pragma omp for schedule(static) nowait
        for (int i = 0; i < N; i++)
            values[i] = values[i] * 2.0 + 1.0; /* @w */
#pragma omp single
        {
            flag_set(&in_single);
            read_value();
        }
    }
    printf("done\n");
    return 0;
}
