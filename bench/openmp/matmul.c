/* matmul.c: a 600 x 600 double matrix product, `parallel for` over rows
 * (one region, memory-bound inner loop). */
#include <stdio.h>
#include <stdlib.h>

#define N 600

int main(void)
{
    double *a = malloc(N * N * sizeof *a), *b = malloc(N * N * sizeof *b),
           *c = malloc(N * N * sizeof *c);
    for (int i = 0; i < N * N; i++) {
        a[i] = i % 13;
        b[i] = i % 11;
    }
#pragma omp parallel for schedule(static)
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double s = 0;
            for (int k = 0; k < N; k++)
                s += a[i * N + k] * b[k * N + j];
            c[i * N + j] = s;
        }
    double sum = 0;
    for (int i = 0; i < N * N; i++)
        sum += c[i];
    printf("%.1f\n", sum);
    free(a);
    free(b);
    free(c);
    return 0;
}
