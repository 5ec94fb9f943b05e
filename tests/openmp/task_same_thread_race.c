/* task_same_thread_race.c: two sibling tasks with no dependence between
 * them, one writes, the other reads.  Thread 1 of the team spins in the
 * program's own code (no scheduling point) until the tasks are done, so
 * thread 0 runs both, one after the other, in its taskwait: the race is
 * between the two tasks, which OpenMP lets run at once, not between two
 * threads.  racewatch runs each task as a fiber with a clock of its own
 * (runtime/gomp_fiber.c), so it is reported in every run.
 * Twin: task_same_thread_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @w @r
// RACEWATCH-EXPECT: location=global shared_value
// RACEWATCH-EXPECT: stdout=done\n
// TSAN-EXPECT: miss
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

int shared_value OWN_LINE, tasks_done OWN_LINE;

int main(void)
{
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == 1) {
            flag_wait(&tasks_done);
        } else {
#pragma omp task
            shared_value = 42; /* @w */
#pragma omp task
            use(shared_value); /* @r */
#pragma omp taskwait
            flag_set(&tasks_done);
        }
    }
    printf("done\n");
    return 0;
}
