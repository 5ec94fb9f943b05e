/* range_seen.c: the storage behind range_seen.h: each thread's table of
 * the ranges its interceptors checked last, and the generation that
 * forgets every table at once. */
#include "runtime/range_seen.h"

#include <sys/mman.h>

__thread rw_range_seen_table rw_range_seen_tab __attribute__((tls_model("initial-exec")));
uint32_t rw_range_seen_gen;

void rw_range_seen_new_era(rw_range_seen_table *tab)
{
    /* The era is 16 bits of the key: when it wraps, old entries could
     * match again, so the cache is emptied. */
    if (++tab->era > 0xffff) {
        for (int i = 0; i < RW_RANGE_SEEN_GRANULES; i++)
            tab->g[i].key = 0;
        /* The exact entries are given back, zero at their next touch: a
         * loop storing 0 would make all 512 KiB of them resident. */
        if (tab->x && madvise(tab->x, RW_RANGE_SEEN_EXACT * sizeof(rw_range_seen_exact),
                              MADV_DONTNEED) != 0)
            for (int i = 0; i < RW_RANGE_SEEN_EXACT; i++)
                tab->x[i].key = 0;
        tab->era = 1;
    }
}


/* A fresh mapping is zero: no key matches (an era is never 0).  A thread
 * that runs again on the same OS thread (a fiber) keeps the entries: its
 * era changed, so they are forgotten like the granules. */
int rw_range_seen_exact_map(rw_range_seen_table *tab)
{
    void *p = mmap(NULL, RW_RANGE_SEEN_EXACT * sizeof(rw_range_seen_exact),
                   PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return 0;
    tab->x = p;
    return 1;
}

void rw_range_seen_thread_end(void)
{
    rw_range_seen_table *tab = &rw_range_seen_tab;
    rw_range_seen_exact *x = tab->x;
    if (!x)
        return;
    tab->strlen_x = NULL;
    tab->x = NULL;
    munmap(x, RW_RANGE_SEEN_EXACT * sizeof(rw_range_seen_exact));
}
