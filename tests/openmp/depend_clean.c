/* depend_clean.c: tasks ordered only by their dependences: out -> in
 * (two readers), in -> inout, mutexinoutset (exclusive, in any order)
 * and a taskwait with a dependence.  Twin of depend_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=1 1 2 5 6\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=1 1 2 5 6\n
// TSAN-EXPECT: false-positive
#include <stdio.h>

int x, r1, r2, m, w;

int main(void)
{
#pragma omp parallel num_threads(4)
#pragma omp single
    {
#pragma omp task depend(out : x)
        x = 1;
#pragma omp task depend(in : x)
        r1 = x;
#pragma omp task depend(in : x)
        r2 = x;
#pragma omp task depend(inout : x)
        x = x + 1;
#pragma omp task depend(mutexinoutset : m)
        m += 2;
#pragma omp task depend(mutexinoutset : m)
        m += 3;
#pragma omp task depend(in : m) depend(out : w)
        w = m + 1;
#pragma omp taskwait depend(in : w)
        w = w + 0;
    }
    printf("%d %d %d %d %d\n", r1, r2, x, m, w);
    return 0;
}
