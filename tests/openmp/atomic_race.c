/* atomic_race.c: thread 0 updates a long double with `omp atomic` (gcc
 * makes that GOMP_atomic_start/end around plain accesses), thread 1
 * reads it plainly.  Twin: atomic_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @a @p
// RACEWATCH-EXPECT: location=global total
// RACEWATCH-EXPECT: stdout=done\n
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

long double total OWN_LINE;
int added OWN_LINE;

static __attribute__((noinline)) void add_atomic(long double v)
{
#pragma omp atomic
    total += v; /* @a */
}

static __attribute__((noinline)) void read_plain(void)
{
    use((int)total); /* @p */
}

int main(void)
{
#pragma omp parallel num_threads(4)
    {
        if (omp_get_thread_num() == 0) {
            add_atomic(1.0L);
            flag_set(&added);
        }
        if (omp_get_thread_num() == 1) {
            flag_wait(&added);
            read_plain();
        }
    }
    printf("done\n");
    return 0;
}
