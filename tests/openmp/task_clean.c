/* task_clean.c: tasks with firstprivate data write results that their
 * creator reads after taskwait; tasks made before a barrier are done
 * after it; the creator's writes before a task are seen by it.
 * Twin of task_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=10 4 5\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=10 4 5\n
// TSAN-EXPECT: false-positive
#include <omp.h>
#include <stdio.h>

int result[4], input, later[4], last;

int main(void)
{
#pragma omp parallel num_threads(4)
    {
#pragma omp single
        {
            input = 1;
            for (int i = 0; i < 4; i++) {
#pragma omp task firstprivate(i)
                result[i] = input + i;
            }
#pragma omp taskwait
            int sum = 0;
            for (int i = 0; i < 4; i++)
                sum += result[i];
            input = sum;
        }
        int id = omp_get_thread_num();
#pragma omp task firstprivate(id)
        later[id] = 1;
#pragma omp barrier
#pragma omp single
        last = later[0] + later[1] + later[2] + later[3] + 1;
    }
    printf("%d %d %d\n", input, later[0] + later[1] + later[2] + later[3], last);
    return 0;
}
