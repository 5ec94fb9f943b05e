/* lock_clean.c: counters updated under an omp lock (set, and test until
 * it succeeds) and under a nest lock taken twice.
 * Twin of lock_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=400 400 400\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=400 400 400\n
// TSAN-EXPECT: false-positive
#include <omp.h>
#include <stdio.h>

int counter, tested, nested;
omp_lock_t lock;
omp_nest_lock_t nest;

static void add_nested(void)
{
    omp_set_nest_lock(&nest);
    nested = nested + 1;
    omp_unset_nest_lock(&nest);
}

int main(void)
{
    omp_init_lock(&lock);
    omp_init_nest_lock(&nest);
#pragma omp parallel num_threads(4)
    for (int i = 0; i < 100; i++) {
        omp_set_lock(&lock);
        counter = counter + 1;
        omp_unset_lock(&lock);
        while (!omp_test_lock(&lock))
            ;
        tested = tested + 1;
        omp_unset_lock(&lock);
        omp_set_nest_lock(&nest);
        add_nested();
        omp_unset_nest_lock(&nest);
    }
    omp_destroy_lock(&lock);
    omp_destroy_nest_lock(&nest);
    printf("%d %d %d\n", counter, tested, nested);
    return 0;
}
