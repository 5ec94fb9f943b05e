/* atomic: C11 atomics on shared words, no locks.
 *
 * Four threads hammer a few shared atomics: fetch_add (seq_cst and
 * relaxed) on shared counters, store-release into their own slot and
 * load-acquire of a neighbour's slot, and now and then a compare-exchange
 * loop keeping a shared maximum.  Every access is atomic, so there is no
 * race; a detector pays for the synchronization each acquire/release
 * implies (vector-clock joins) and for cache-line ping-pong on the shared
 * words.  The values loaded from neighbours depend on scheduling, so they
 * go into a sink that is not printed.
 * argv: [scale] [nthreads=4] */
#include "common.h"
#include <stdatomic.h>

#define MAXT 64

static _Atomic uint64_t total;                  /* fetch_add seq_cst */
static _Atomic uint64_t relaxed_total;          /* fetch_add relaxed */
static _Atomic uint64_t maxval;                 /* CAS loop */
static struct { _Alignas(64) _Atomic uint64_t v; } slot[MAXT];
static long iters;
static int nthreads;
static _Atomic uint64_t sink;

static void *worker(void *p)
{
    int id = (int)(uintptr_t)p;
    int peer = (id + 1) % nthreads;
    uint64_t seen = 0;
    for (long i = 0; i < iters; i++) {
        uint64_t x = mix64((uint64_t)id << 40 | (uint64_t)i);
        atomic_fetch_add(&total, x & 0xff);
        atomic_fetch_add_explicit(&relaxed_total, 1, memory_order_relaxed);
        atomic_store_explicit(&slot[id].v, (uint64_t)i, memory_order_release);
        seen += atomic_load_explicit(&slot[peer].v, memory_order_acquire);
        if ((i & 15) == 0) {
            uint64_t m = atomic_load_explicit(&maxval, memory_order_relaxed);
            while (x > m && !atomic_compare_exchange_weak_explicit(&maxval, &m, x,
                                memory_order_acq_rel, memory_order_relaxed))
                ;
        }
    }
    atomic_fetch_add_explicit(&sink, seen, memory_order_relaxed);
    return NULL;
}

int main(int argc, char **argv)
{
    iters = bench_scaled(argc, argv, 2000000);
    nthreads = (int)bench_arg(argc, argv, 2, 4);
    if (nthreads > MAXT)
        nthreads = MAXT;
    pthread_t t[nthreads];
    for (int i = 0; i < nthreads; i++)
        bench_check(pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i), "pthread_create");
    for (int i = 0; i < nthreads; i++)
        bench_check(pthread_join(t[i], NULL), "pthread_join");
    uint64_t sum = mix64(atomic_load(&total));
    sum = mix64(sum ^ atomic_load(&relaxed_total));
    sum = mix64(sum ^ atomic_load(&maxval));
    for (int i = 0; i < nthreads; i++)
        sum = mix64(sum ^ atomic_load(&slot[i].v));
    bench_print("atomic", sum);
    return 0;
}
