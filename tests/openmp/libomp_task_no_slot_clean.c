/* libomp_task_no_slot_clean.c: a task that gets no fiber slot runs on
 * its thread's clock, over the dead frames of a task whose fiber the
 * thread put aside at a taskwait; nothing races (runtime/ompt_task.c
 * clears the dead stack of such a task while a fiber of its thread is
 * put aside: without it, this program got a false report).
 *
 * Task F, made first, gets a fiber and waits until FILLERS other tasks
 * have taken the remaining fiber slots (at most 64; none of them is
 * reusable later: no task's creation is ordered after their ends).  F
 * makes task B, which gets no slot, then writes a large local array in
 * a call that returns (dead frames with F's history, unordered with B),
 * and waits for B.  Thread 0 waits in the single block, the thread that
 * ran the fillers waits in the last one until B is done: so B runs on
 * F's thread, inside F's taskwait, and writes its own large local array
 * where F's was.  Those are two tasks' private variables, one after the
 * other on one stack: not a race. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=done\n
#include <stdio.h>

#include "omp_test.h"

#define FILLERS 70
#define ARRAY 16384

int fillers_done OWN_LINE, last_filler_in OWN_LINE, b_done OWN_LINE;

static __attribute__((noinline)) void write_locals(int seed)
{
    volatile char locals[ARRAY];
    __asm__ volatile("" : : "r"(locals) : "memory"); /* escapes: instrumented */
    for (int i = 0; i < ARRAY; i++)
        locals[i] = (char)(seed + i);
}

int main(void)
{
#pragma omp parallel num_threads(3)
#pragma omp single
    {
#pragma omp task /* F */
        {
            count_wait(&fillers_done, FILLERS - 1);
            flag_wait(&last_filler_in);
#pragma omp task /* B */
            {
                write_locals(2);
                flag_set(&b_done);
            }
            write_locals(1);
#pragma omp taskwait
        }
        for (int i = 0; i < FILLERS; i++) {
#pragma omp task firstprivate(i)
            {
                if (i == FILLERS - 1) {
                    flag_set(&last_filler_in);
                    flag_wait(&b_done);
                } else {
                    count_up(&fillers_done);
                }
            }
        }
        flag_wait(&b_done);
    }
    printf("done\n");
    return 0;
}
