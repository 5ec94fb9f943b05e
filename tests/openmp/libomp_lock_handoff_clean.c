/* libomp_lock_handoff_clean.c: libomp's omp locks queue their waiters
 * (first come, first served): thread 0 holds the lock while thread 1
 * waits in omp_set_lock, then unsets it and sets it again at once; the
 * lock goes to thread 1 first, whose write thread 0 then sees.  A set
 * that polled the lock instead of waiting in libomp's queue would let
 * thread 0 take it back first (DataRaceBench's DRB189 deadlocked so).
 * libomp only: libgomp's lock is not first come, first served. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=waiter went first: 1\n
// RACEWATCH-EXPECT: clean
#include <omp.h>
#include <stdio.h>
#include <unistd.h>

#include "omp_test.h"

omp_lock_t lock;
int held, setting, waiter_went;

int main(void)
{
    int seen = 0;
    omp_init_lock(&lock);
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == 0) {
            omp_set_lock(&lock);
            flag_set(&held);
            /* Thread 1 is about to call omp_set_lock (it may not even
             * have started before: a loaded machine can delay a team's
             * thread by more than any fixed sleep); give it the time to
             * queue. */
            flag_wait(&setting);
            usleep(100000); /* thread 1 is now waiting in omp_set_lock */
            omp_unset_lock(&lock);
            omp_set_lock(&lock);
            seen = waiter_went;
            omp_unset_lock(&lock);
        } else {
            flag_wait(&held);
            flag_set(&setting);
            omp_set_lock(&lock);
            waiter_went = 1;
            omp_unset_lock(&lock);
        }
    }
    omp_destroy_lock(&lock);
    printf("waiter went first: %d\n", seen);
    return 0;
}
