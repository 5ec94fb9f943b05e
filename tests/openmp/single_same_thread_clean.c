/* single_same_thread_clean.c: what a `single` block may rely on, whichever
 * thread runs it: data written before the team's last barrier (a static
 * loop, then `single`; a plain barrier, then `single nowait`), the running
 * thread's own private variables and private array written just before
 * the block, a copyprivate broadcast, and tasks made inside the block and
 * waited for there.  The thread that ran the block reads what it wrote
 * after the block's barrier.  Twin of single_same_thread_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=sum=4950 first=0 priv=10 copy=3 tasks=3 last=42\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=sum=4950 first=0 priv=10 copy=3 tasks=3 last=42\n
// TSAN-EXPECT: false-positive
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

int values[100];
int sum, first, priv_seen, copied, task_results[3], tasks_total, last;

int main(void)
{
#pragma omp parallel num_threads(4)
    {
#pragma omp for schedule(static)
        for (int i = 0; i < 100; i++)
            values[i] = i;
#pragma omp single
        {
            for (int i = 0; i < 100; i++)
                sum += values[i];
        }
        int id = omp_get_thread_num();
        volatile int own[8];
        for (int i = 0; i < 8; i++)
            own[i] = id + i;
#pragma omp barrier
#pragma omp single nowait
        first = values[0];
#pragma omp barrier
        int mine = id * 2;
        own[3] = mine;
#pragma omp single
        priv_seen = (own[3] == mine) + (own[0] == id) + 8;
        int broadcast;
#pragma omp single copyprivate(broadcast)
        broadcast = 3;
        if (id == 0)
            __atomic_store_n(&copied, broadcast, __ATOMIC_RELAXED);
#pragma omp single
        {
            for (int t = 0; t < 3; t++) {
#pragma omp task firstprivate(t)
                task_results[t] = 1;
            }
#pragma omp taskwait
            tasks_total = task_results[0] + task_results[1] + task_results[2];
            last = 42;
        }
        use(last);
    }
    printf("sum=%d first=%d priv=%d copy=%d tasks=%d last=%d\n", sum, first, priv_seen,
           copied, tasks_total, last);
    return 0;
}
