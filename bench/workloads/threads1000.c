/* threads1000: many short-lived threads.
 *
 * 1,000 threads are created over the run, at most 100 alive at once: the
 * main thread joins the oldest before starting a new one once the window
 * is full.  Each thread does a little private work (a 4 KiB stack buffer,
 * a small heap block) and leaves its result in a shared array that main
 * reads after the join.  This measures per-thread set-up and tear-down in
 * the detector: thread state, clocks, stack and TLS shadow, and whether
 * any of it is leaked or kept when threads die.
 * argv: [scale] [nthreads=1000] [window=100] */
#include "common.h"

static long work;
static uint64_t *result;

static void *worker(void *p)
{
    long id = (long)(intptr_t)p;
    unsigned char buf[4096];
    uint64_t s = (uint64_t)id, sum = 0;
    uint64_t *heap = malloc(256 * sizeof *heap);
    if (!heap)
        abort();
    for (int i = 0; i < 256; i++)
        heap[i] = mix64((uint64_t)id * 256 + (uint64_t)i);
    for (long r = 0; r < work; r++) {
        for (int i = 0; i < (int)sizeof buf; i++)
            buf[i] = (unsigned char)(lcg_next(&s) >> 3);
        for (int i = 0; i < (int)sizeof buf; i += 8)
            sum += buf[i] * heap[(i >> 3) & 255];
    }
    free(heap);
    result[id] = sum;           /* read by main after pthread_join */
    return NULL;
}

int main(int argc, char **argv)
{
    work = bench_scaled(argc, argv, 100);
    long n = bench_arg(argc, argv, 2, 1000);
    long window = bench_arg(argc, argv, 3, 100);
    pthread_t *t = calloc((size_t)n, sizeof *t);
    result = calloc((size_t)n, sizeof *result);
    if (!t || !result)
        abort();
    uint64_t sum = 0;
    long joined = 0;
    for (long i = 0; i < n; i++) {
        if (i >= window) {
            bench_check(pthread_join(t[joined], NULL), "pthread_join");
            sum = mix64(sum ^ result[joined]);
            joined++;
        }
        bench_check(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i), "pthread_create");
    }
    for (; joined < n; joined++) {
        bench_check(pthread_join(t[joined], NULL), "pthread_join");
        sum = mix64(sum ^ result[joined]);
    }
    free(t);
    free(result);
    bench_print("threads1000", sum);
    return 0;
}
