/* memops: libc memory and string functions on private buffers.
 *
 * Two threads, each with its own 1 MiB source and destination buffers,
 * loop over memset, memcpy, memmove, strlen, memcmp and strchr with
 * lengths from 1 byte to 16 KiB (variable, so the compiler cannot expand
 * them inline).  Nothing is shared.  A detector sees these as range
 * accesses through interceptors (or __tsan_memcpy and friends): this
 * measures the cost per byte of range reads and writes.
 * argv: [scale] [nthreads=2] */
#include "common.h"

#define BUF (1L << 20)

struct arg { int id; long iters; uint64_t sum; };

static void *worker(void *p)
{
    struct arg *a = p;
    char *src = malloc(BUF), *dst = malloc(BUF);
    if (!src || !dst)
        abort();
    uint64_t s = (uint64_t)a->id + 17, sum = 0;
    for (long i = 0; i < BUF; i++)
        src[i] = (char)('a' + (lcg_next(&s) % 26));
    memset(dst, 'x', BUF);
    for (long i = 0; i < a->iters; i++) {
        uint64_t r = lcg_next(&s);
        size_t len = 1 + (size_t)(r % 16384);
        size_t so = (size_t)(r >> 20) % (BUF - len - 1);
        size_t d0 = (size_t)(lcg_next(&s) % (uint64_t)(BUF - 2 * len - 2));
        switch (i & 3) {
        case 0:
            memset(dst + d0, (int)('A' + i % 26), len);
            break;
        case 1:
            memcpy(dst + d0, src + so, len);
            break;
        case 2:
            memmove(dst + d0 + len / 2, dst + d0, len);
            break;
        case 3:
            sum += (uint64_t)memcmp(dst + d0, src + so, len) & 0xff;
            break;
        }
        /* a string of length < len ending at a NUL we place */
        dst[d0 + len] = 0;
        sum += strlen(dst + d0);
        const char *c = strchr(dst + d0, 'q');
        sum += c ? (uint64_t)(c - (dst + d0)) : 7;
        dst[d0 + len] = 'y';
    }
    for (long i = 0; i < BUF; i += 4096)
        sum = mix64(sum ^ (unsigned char)dst[i]);
    free(src);
    free(dst);
    a->sum = sum;
    return NULL;
}

int main(int argc, char **argv)
{
    long iters = bench_scaled(argc, argv, 1000000);
    int n = (int)bench_arg(argc, argv, 2, 2);
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
    bench_print("memops", sum);
    return 0;
}
