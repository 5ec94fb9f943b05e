/* tasks_in_barrier_clean.c: threads waiting at the barrier after a
 * `single` run the tasks it made, and those tasks wait more than 10 ms
 * for an omp lock another task holds: each such wait is registered with
 * the deadlock checks in the middle of the thread's barrier wait, which
 * is put aside for the task and taken up again after it.
 * Twin of deadlock_barrier_branch.c and deadlock_lock_held.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=8\n
// RACEWATCH-EXPECT: clean
#include <omp.h>
#include <stdio.h>
#include <unistd.h>

static omp_lock_t lock;
static int done;

int main(void)
{
    omp_init_lock(&lock);
#pragma omp parallel num_threads(4)
    {
#pragma omp single
        for (int i = 0; i < 8; i++) {
#pragma omp task
            {
                omp_set_lock(&lock);
                usleep(20000);
                done++;
                omp_unset_lock(&lock);
            }
        }
    }
    omp_destroy_lock(&lock);
    printf("%d\n", done);
    return 0;
}
