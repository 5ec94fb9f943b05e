/* task_nested_race.c: two sibling tasks each create a child task; one
 * child writes, the other reads, with no edge between them (each parent's
 * taskwait orders only its own child).  Thread 1 of the team spins in the
 * program's own code until the tasks are done, so thread 0 runs all four
 * tasks, one after the other: the race is between two grandchildren that
 * OpenMP lets run at once, seen only if a task that creates tasks still
 * runs as a fiber of its own (runtime/ompt_task.c, runtime/gomp_fiber.c).
 * Twin: task_nested_clean.c. */
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
            {
#pragma omp task
                shared_value = 42; /* @w */
#pragma omp taskwait
            }
#pragma omp task
            {
#pragma omp task
                use(shared_value); /* @r */
#pragma omp taskwait
            }
#pragma omp taskwait
            flag_set(&tasks_done);
        }
    }
    printf("done\n");
    return 0;
}
