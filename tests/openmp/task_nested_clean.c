/* task_nested_clean.c: tasks that create tasks, correctly ordered, run
 * by one thread one after the other, each as a fiber of its own, must
 * stay silent:
 *   - fib(8) as DataRaceBench's DRB176 writes it: each call makes a task
 *     per half (depend(out)) and a task that adds them (depend(in)),
 *     then waits; libomp recycles each task's block (cleared when it is
 *     handed out again, from whichever task creates the next one);
 *   - a task's child writes a local of its parent's frame, read by the
 *     parent after its taskwait;
 *   - a grandchild's write read after the taskgroup that contains it.
 * As in task_nested_race.c, thread 1 spins in the program's code so
 * thread 0 runs every task.  Twin of task_nested_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=21 12 7\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=21 12 7\n
// TSAN-EXPECT: false-positive
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

int tasks_done OWN_LINE, fib_value, parent_value, group_value;

static int fib(int n)
{
    int i, j, s;
    if (n < 2)
        return n;
#pragma omp task shared(i) depend(out : i)
    i = fib(n - 1);
#pragma omp task shared(j) depend(out : j)
    j = fib(n - 2);
#pragma omp task shared(i, j, s) depend(in : i, j)
    s = i + j;
#pragma omp taskwait
    return s;
}

int main(void)
{
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == 1) {
            flag_wait(&tasks_done);
        } else {
            fib_value = fib(8);
#pragma omp task
            {
                int local = 0;
#pragma omp task shared(local)
                local = 12;
#pragma omp taskwait
                parent_value = local;
            }
#pragma omp taskgroup
            {
#pragma omp task
                {
#pragma omp task
                    group_value = 7;
                }
            }
            use(group_value);
#pragma omp taskwait
            flag_set(&tasks_done);
        }
    }
    printf("%d %d %d\n", fib_value, parent_value, group_value);
    return 0;
}
