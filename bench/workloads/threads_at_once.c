/* threads_at_once: many threads alive at the same time.
 *
 * 1,000 threads with small (64 KiB) stacks are created and all wait at a
 * start gate (mutex + condvar) until the last one has arrived, so all
 * 1,000 are alive at once; then each does a little private work, stores
 * its result in a shared array, and exits; main joins them all.  This
 * measures the detector's memory per live thread (thread state, vector
 * clocks that grow with the number of threads, event history) and its
 * cost to start, wake and join that many threads.
 * argv: [scale] [nthreads=1000] */
#include "common.h"

static long work;
static long nthreads;
static uint64_t *result;
static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static long arrived;

static void *worker(void *p)
{
    long id = (long)(intptr_t)p;
    pthread_mutex_lock(&gate_mu);
    if (++arrived == nthreads)
        pthread_cond_broadcast(&gate_cv);
    while (arrived < nthreads)
        pthread_cond_wait(&gate_cv, &gate_mu);
    pthread_mutex_unlock(&gate_mu);

    unsigned char buf[2048];
    uint64_t s = (uint64_t)id * 131, sum = 0;
    for (long r = 0; r < work; r++) {
        for (int i = 0; i < (int)sizeof buf; i++)
            buf[i] = (unsigned char)(lcg_next(&s) >> 5);
        for (int i = 0; i < (int)sizeof buf; i += 4)
            sum = sum * 31 + buf[i];
    }
    result[id] = sum;           /* read by main after pthread_join */
    return NULL;
}

int main(int argc, char **argv)
{
    work = bench_scaled(argc, argv, 150);
    nthreads = bench_arg(argc, argv, 2, 1000);
    pthread_t *t = calloc((size_t)nthreads, sizeof *t);
    result = calloc((size_t)nthreads, sizeof *result);
    if (!t || !result)
        abort();
    pthread_attr_t attr;
    bench_check(pthread_attr_init(&attr), "pthread_attr_init");
    bench_check(pthread_attr_setstacksize(&attr, 64 * 1024), "pthread_attr_setstacksize");
    for (long i = 0; i < nthreads; i++)
        bench_check(pthread_create(&t[i], &attr, worker, (void *)(intptr_t)i), "pthread_create");
    pthread_attr_destroy(&attr);
    uint64_t sum = 0;
    for (long i = 0; i < nthreads; i++) {
        bench_check(pthread_join(t[i], NULL), "pthread_join");
        sum = mix64(sum ^ result[i]);
    }
    free(t);
    free(result);
    bench_print("threads_at_once", sum);
    return 0;
}
