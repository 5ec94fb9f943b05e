/* task_same_thread_clean.c: tasks that one thread runs one after the
 * other, correctly ordered or not sharing data, must stay silent when
 * each runs as a fiber of its own (runtime/gomp_fiber.c):
 *   - a depend(out) task and a depend(in) task on one variable;
 *   - tasks whose locals lie at the same stack addresses of their thread
 *     (the dead frames of one are not the next one's history), and the
 *     thread's own deeper frames after them;
 *   - an undeferred task (if(0)): its creator waits for it;
 *   - a task in a task reduction's scope (per-thread copies);
 *   - threadprivate data written by tasks outside any parallel region
 *     (one thread runs them all).
 * As in task_same_thread_race.c, thread 1 spins in the program's code so
 * thread 0 runs every task.  Twin of task_same_thread_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=42 4032 4032 4032 7 3 2\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=42 4032 4032 4032 7 3 2\n
// TSAN-EXPECT: false-positive
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

#define N 64

int ordered_value OWN_LINE, tasks_done OWN_LINE, reduced OWN_LINE;
int sum_first, sum_second, sum_after, undeferred_value, seen;
int private_count;
#pragma omp threadprivate(private_count)

static __attribute__((noipa)) void fill(int *a)
{
    for (int i = 0; i < N; i++)
        a[i] = 2 * i;
}

static __attribute__((noipa)) int sum_of(const int *a)
{
    int sum = 0;
    for (int i = 0; i < N; i++)
        sum += a[i];
    return sum;
}

/* An array of its frame: the frames of two tasks run one after the
 * other by one thread are at the same addresses. */
static __attribute__((noipa)) int fill_and_sum(void)
{
    int local[N];
    fill(local);
    return sum_of(local);
}

int main(void)
{
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == 1) {
            flag_wait(&tasks_done);
        } else {
#pragma omp task depend(out : ordered_value)
            ordered_value = 42;
#pragma omp task depend(in : ordered_value)
            use(ordered_value);
#pragma omp task
            sum_first = fill_and_sum();
#pragma omp task
            sum_second = fill_and_sum();
#pragma omp taskwait
            sum_after = fill_and_sum();
#pragma omp task if (0)
            undeferred_value = 7;
            seen = undeferred_value;
            flag_set(&tasks_done);
        }
    }
#pragma omp parallel num_threads(2) reduction(task, + : reduced)
    {
        if (omp_get_thread_num() == 0) {
            for (int i = 0; i < 3; i++) {
#pragma omp task in_reduction(+ : reduced)
                reduced++;
            }
        }
    }
#pragma omp task
    private_count = 1;
#pragma omp task
    private_count++;
#pragma omp taskwait
    printf("%d %d %d %d %d %d %d\n", ordered_value, sum_first, sum_second, sum_after, seen,
           reduced, private_count);
    return 0;
}
