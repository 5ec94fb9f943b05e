/* lock_held_clean.c: thread 1 holds an omp lock (and a nest lock) for
 * 200 ms while thread 0 waits for it, well past racewatch's first 10 ms
 * of trying: the waits are registered, and end.
 * Twin of deadlock_lock_held.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=done\n
// RACEWATCH-EXPECT: clean
#include <omp.h>
#include <stdio.h>
#include <unistd.h>

static omp_lock_t lock;
static omp_nest_lock_t nest;
static int taken;

int main(void)
{
    omp_init_lock(&lock);
    omp_init_nest_lock(&nest);
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == 1) {
            omp_set_lock(&lock);
            omp_set_nest_lock(&nest);
            omp_set_nest_lock(&nest);
            __atomic_store_n(&taken, 1, __ATOMIC_RELAXED);
            usleep(200000);
            omp_unset_nest_lock(&nest);
            omp_unset_nest_lock(&nest);
            omp_unset_lock(&lock);
        } else {
            while (!__atomic_load_n(&taken, __ATOMIC_RELAXED))
                usleep(1000);
            omp_set_lock(&lock);
            omp_unset_lock(&lock);
            omp_set_nest_lock(&nest);
            omp_unset_nest_lock(&nest);
        }
    }
    omp_destroy_lock(&lock);
    omp_destroy_nest_lock(&nest);
    printf("done\n");
    return 0;
}
