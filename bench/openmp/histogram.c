/* histogram.c: 10,000,000 values binned into 64 bins, each bin under its
 * own omp lock, plus a critical section and an atomic per 1,000 values
 * (locks, critical, atomics). */
#include <omp.h>
#include <stdio.h>

#define N 10000000
#define BINS 64

int main(void)
{
    static omp_lock_t lock[BINS];
    static long bin[BINS];
    long total = 0, checks = 0;
    for (int i = 0; i < BINS; i++)
        omp_init_lock(&lock[i]);
#pragma omp parallel for schedule(dynamic, 1000)
    for (int i = 0; i < N; i++) {
        unsigned v = (unsigned)i * 2654435761u;
        int k = (int)(v >> 26);
        omp_set_lock(&lock[k]);
        bin[k]++;
        omp_unset_lock(&lock[k]);
        if (i % 1000 == 0) {
#pragma omp critical
            total += 1000;
#pragma omp atomic
            checks++;
        }
    }
    long sum = 0;
    for (int i = 0; i < BINS; i++) {
        sum += bin[i];
        omp_destroy_lock(&lock[i]);
    }
    printf("%ld %ld %ld\n", sum, total, checks);
    return 0;
}
