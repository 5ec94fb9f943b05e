/* stencil.c: a 1-D Jacobi stencil, 2,000 sweeps over 200,000 doubles, one
 * parallel region with a work-shared loop and its barrier per sweep
 * (regions, loops, barriers). */
#include <stdio.h>
#include <stdlib.h>

#define N 200000
#define SWEEPS 2000

int main(void)
{
    double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    for (int i = 0; i < N; i++)
        a[i] = b[i] = i % 7;
#pragma omp parallel
    for (int s = 0; s < SWEEPS; s++) {
#pragma omp for
        for (int i = 1; i < N - 1; i++)
            b[i] = (a[i - 1] + a[i] + a[i + 1]) / 3.0;
#pragma omp single
        {
            double *t = a;
            a = b;
            b = t;
        }
    }
    double sum = 0;
    for (int i = 0; i < N; i++)
        sum += a[i];
    printf("%.3f\n", sum);
    free(a);
    free(b);
    return 0;
}
