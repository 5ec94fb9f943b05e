/* mutex: many short critical sections on shared data.
 *
 * Four threads increment a small array of shared counters, each update
 * under one of two pthread mutexes (counter i is guarded by lock i % 2).
 * The work inside and outside the locks is tiny, so the cost is dominated
 * by lock/unlock: a detector pays for acquiring and releasing the mutex's
 * clock on every call, and the accesses to the counters are real
 * cross-thread accesses ordered only by the locks.
 * argv: [scale] [nthreads=4] */
#include "common.h"

#define NCOUNTERS 16

static pthread_mutex_t lock[2] = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER };
static uint64_t sums[NCOUNTERS];   /* only += : order-independent */
static uint64_t xors[NCOUNTERS];   /* only ^= : order-independent */
static long iters;

static void *worker(void *p)
{
    uint64_t id = (uint64_t)(uintptr_t)p;
    uint64_t s = id;
    for (long i = 0; i < iters; i++) {
        int c = (int)(lcg_next(&s) % NCOUNTERS);
        uint64_t add = mix64(id * 1000003u + (uint64_t)i) & 0xffff;
        pthread_mutex_lock(&lock[c & 1]);
        sums[c] += add;
        xors[c ^ 2] ^= add << 1;        /* c and c^2 share a lock */
        pthread_mutex_unlock(&lock[c & 1]);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    iters = bench_scaled(argc, argv, 3000000);
    int n = (int)bench_arg(argc, argv, 2, 4);
    pthread_t t[n];
    for (int i = 0; i < n; i++)
        bench_check(pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i), "pthread_create");
    for (int i = 0; i < n; i++)
        bench_check(pthread_join(t[i], NULL), "pthread_join");
    uint64_t sum = 0;
    for (int c = 0; c < NCOUNTERS; c++)
        sum = mix64(sum ^ sums[c] ^ (xors[c] << 7));
    bench_print("mutex", sum);
    return 0;
}
