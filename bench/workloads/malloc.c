/* malloc: allocator traffic with the memory actually used.
 *
 * Four threads each keep a ring of live blocks; every step frees the
 * oldest block and allocates a new one of a mixed size (mostly 16-512
 * bytes, 6% of 1-8 KiB, 0.4% of 64-256 KiB), then writes it and reads
 * it back.  Blocks never leave their thread.  A detector must intercept
 * malloc/free, reset the shadow of freed or reused memory, and may keep
 * allocation stacks: this measures that cost and the shadow kept for
 * heap churn.
 * argv: [scale] [nthreads=4] */
#include "common.h"

#define RING 512

struct arg { int id; long iters; uint64_t sum; };

static size_t pick_size(uint64_t *s)
{
    uint64_t r = lcg_next(s);
    unsigned k = (unsigned)(r % 256);
    if (k == 0)
        return 65536 + (size_t)(r >> 8) % (192 * 1024);     /* large: 1 in 256 */
    if (k < 16)
        return 1024 + (size_t)(r >> 8) % 7168;              /* medium: 15 in 256 */
    return 16 + (size_t)(r >> 8) % 497;                     /* small */
}

static void *worker(void *p)
{
    struct arg *a = p;
    unsigned char *ring[RING] = { 0 };
    size_t len[RING] = { 0 };
    uint64_t s = (uint64_t)a->id * 7919 + 1, sum = 0;
    for (long i = 0; i < a->iters; i++) {
        int k = (int)(i % RING);
        if (ring[k]) {
            /* read back what was written when it was allocated */
            unsigned char *b = ring[k];
            sum += b[0] + b[len[k] / 2] + b[len[k] - 1];
            free(b);
        }
        size_t n = pick_size(&s);
        unsigned char *b = malloc(n);
        if (!b)
            abort();
        /* touch every 64th byte plus both ends; first byte tags the block */
        for (size_t j = 0; j < n; j += 64)
            b[j] = (unsigned char)(j + (size_t)i);
        b[n / 2] = (unsigned char)(i * 3);
        b[n - 1] = (unsigned char)n;
        ring[k] = b;
        len[k] = n;
    }
    for (int k = 0; k < RING; k++)
        if (ring[k]) {
            sum += ring[k][len[k] - 1];
            free(ring[k]);
        }
    a->sum = sum;
    return NULL;
}

int main(int argc, char **argv)
{
    long iters = bench_scaled(argc, argv, 250000);
    int n = (int)bench_arg(argc, argv, 2, 4);
    pthread_t t[n];
    struct arg a[n];
    for (int i = 0; i < n; i++) {
        a[i] = (struct arg){ .id = i, .iters = iters };
        bench_check(pthread_create(&t[i], NULL, worker, &a[i]), "pthread_create");
    }
    uint64_t sum = 0;
    for (int i = 0; i < n; i++) {
        bench_check(pthread_join(t[i], NULL), "pthread_join");
        sum = mix64(sum ^ a[i].sum);
    }
    bench_print("malloc", sum);
    return 0;
}
