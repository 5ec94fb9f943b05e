/* array: the plain-memory hot path with no sharing.
 *
 * Two threads, each with its own 32 MiB array of uint64_t, make sequential
 * read-modify-write passes and a random-access pass over it.  No byte is
 * touched by both threads, so a detector should see only same-thread
 * accesses: this measures the per-access cost of instrumentation and the
 * memory cost of shadowing a large heap.
 * argv: [scale] [nthreads=2] */
#include "common.h"

#define WORDS (4L << 20)        /* 32 MiB per thread */

struct arg { int id; long passes; uint64_t sum; };

static void *worker(void *p)
{
    struct arg *a = p;
    uint64_t *v = malloc(WORDS * sizeof *v);
    if (!v)
        abort();
    for (long i = 0; i < WORDS; i++)
        v[i] = mix64((uint64_t)i + (uint64_t)a->id * WORDS);
    for (long pass = 0; pass < a->passes; pass++) {
        /* sequential: read two neighbours, write one */
        for (long i = 1; i < WORDS - 1; i++)
            v[i] += (v[i - 1] >> 3) ^ v[i + 1];
        /* random access: a dependent chain of reads and writes */
        uint64_t s = (uint64_t)pass * 31 + (uint64_t)a->id;
        for (long k = 0; k < WORDS / 8; k++) {
            long j = (long)(lcg_next(&s) % WORDS);
            v[j] ^= s + (uint64_t)k;
        }
    }
    uint64_t sum = 0;
    for (long i = 0; i < WORDS; i++)
        sum += v[i] * (uint64_t)(i | 1);
    free(v);
    a->sum = sum;
    return NULL;
}

int main(int argc, char **argv)
{
    long passes = bench_scaled(argc, argv, 40);
    int n = (int)bench_arg(argc, argv, 2, 2);
    pthread_t t[n];
    struct arg a[n];
    for (int i = 0; i < n; i++) {
        a[i] = (struct arg){ .id = i, .passes = passes };
        bench_check(pthread_create(&t[i], NULL, worker, &a[i]), "pthread_create");
    }
    uint64_t sum = 0;
    for (int i = 0; i < n; i++) {
        bench_check(pthread_join(t[i], NULL), "pthread_join");
        sum = mix64(sum ^ a[i].sum);
    }
    bench_print("array", sum);
    return 0;
}
