/* fib_tasks.c: fib(35) with a task per call down to a cut-off, taskwait
 * at every level (about 100,000 tasks: task creation, start, end). */
#include <stdio.h>

static long fib_seq(int n)
{
    return n < 2 ? n : fib_seq(n - 1) + fib_seq(n - 2);
}

static long fib(int n)
{
    if (n < 14)
        return fib_seq(n);
    long x, y;
#pragma omp task shared(x)
    x = fib(n - 1);
#pragma omp task shared(y)
    y = fib(n - 2);
#pragma omp taskwait
    return x + y;
}

int main(void)
{
    long r = 0;
#pragma omp parallel
#pragma omp single
    r = fib(35);
    printf("%ld\n", r);
    return 0;
}
