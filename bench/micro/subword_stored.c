/* subword_stored.c: the sub-word stored access of Phoenix pca and
 * linear_regression, replayed on one OS thread against the detector
 * library alone, so that callgrind counts the same instructions on every
 * run (the real programs' counts move by 2-3% with the schedule).
 *
 *   gcc -O2 -g -std=gnu11 -I. -o /tmp/subword_stored bench/micro/subword_stored.c \
 *       build/detector/libdetector.a -lpthread -lm
 *   valgrind --tool=callgrind /tmp/subword_stored pca 200
 *   valgrind --tool=callgrind /tmp/subword_stored bytes 200
 *
 * pca N: main writes an N x N matrix of ints; two detector threads take
 * its rows in turn, each row after an acquire and a release of one lock
 * (a new epoch), and read row i beside every row j >= i, 4 bytes at a
 * time (calc_cov's inner loop).  bytes N: two threads each read their own
 * N x 10,000 bytes one byte at a time (linear_regression's points).  Each
 * access goes through the hot path and then the sub-word slow path, as
 * instrument/tsan_access.c calls them.  Not a meson target: a tool for
 * A/B instruction counts of detector/race_check.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "detector/race_check.h"
#include "detector/spinlock.h"
#include "detector/syncvar.h"
#include "detector/thread.h"

static int races;

static void count_race(rw_thread *t, uintptr_t addr, rw_cell cur, rw_cell old, uintptr_t pc)
{
    (void)t, (void)addr, (void)cur, (void)old, (void)pc;
    races++;
}

static void access1(rw_thread *t, uintptr_t a, unsigned sizelog, int write)
{
    rw_cell *cells = rw_shadow_cells_mapped(a);
    if (cells && rw_access_is_redundant(t, cells, (unsigned)(a & 7), sizelog, write, 0))
        return;
    rw_check_access_slow(t, cells, a, sizelog | (unsigned)write << 2, 0x4242);
}

static void lock_and_unlock(rw_thread *t, uintptr_t lock)
{
    rw_sync *s = rw_sync_get(lock, 1);
    rw_spin_lock(&s->lock);
    rw_sync_acquire(t, s);
    rw_sync_release(t, s);
    rw_spin_unlock(&s->lock);
}

int main(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "pca") != 0 && strcmp(argv[1], "bytes") != 0)) {
        fprintf(stderr, "usage: %s pca|bytes [N]\n", argv[0]);
        return 2;
    }
    int n = argc > 2 ? atoi(argv[2]) : 200;
    if (n < 1 || n > 1000 || rw_shadow_init() != 0 || rw_threads_init(10) != 0)
        return 2;
    rw_race_handler = count_race;
    rw_thread *m = rw_thread_create_main();
    char *mem = mmap(NULL, 64 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!m || mem == MAP_FAILED)
        return 2;
    uintptr_t base = (uintptr_t)mem, lock = base + (60 << 20);
    rw_thread *th[2];
    if (strcmp(argv[1], "pca") == 0) {
        for (uintptr_t i = 0; i < (uintptr_t)n * n; i++)
            access1(m, base + 4 * i, 2, 1);
        th[0] = rw_thread_create(m, 0), th[1] = rw_thread_create(m, 0);
        for (uintptr_t i = 0; i < (uintptr_t)n; i++) {
            rw_thread *t = th[i & 1];
            lock_and_unlock(t, lock);
            for (uintptr_t j = i; j < (uintptr_t)n; j++)
                for (uintptr_t k = 0; k < (uintptr_t)n; k++) {
                    access1(t, base + 4 * (i * n + k), 2, 0);
                    access1(t, base + 4 * (j * n + k), 2, 0);
                }
        }
    } else {
        size_t len = (size_t)n * 10000;
        th[0] = rw_thread_create(m, 0), th[1] = rw_thread_create(m, 0);
        for (int t = 0; t < 2; t++)
            for (size_t i = 0; i < len; i++)
                access1(th[t], base + t * len + i, 0, 0);
    }
    printf("races %d, slow checks %lu, general checks %lu\n", races,
           (unsigned long)rw_slow_checks, (unsigned long)rw_full_checks);
    return races != 0;
}
