/* range_seen.c: the storage behind range_seen.h: each thread's table of
 * the ranges its interceptors checked last, and the generation that
 * forgets every table at once. */
#include "runtime/range_seen.h"

__thread rw_range_seen_table rw_range_seen_tab __attribute__((tls_model("initial-exec")));
uint32_t rw_range_seen_gen;

void rw_range_seen_new_era(rw_range_seen_table *tab)
{
    /* The era is 16 bits of the key: when it wraps, old entries could
     * match again, so the cache is emptied. */
    if (++tab->era > 0xffff) {
        for (int i = 0; i < RW_RANGE_SEEN_GRANULES; i++)
            tab->g[i].key = 0;
        for (int i = 0; i < RW_RANGE_SEEN_EXACT; i++)
            tab->x[i].key = 0;
        tab->era = 1;
    }
}

