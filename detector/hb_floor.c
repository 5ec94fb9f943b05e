/* hb_floor.c: the happens-before floor (see hb_floor.h). */
#include "detector/hb_floor.h"

#include "detector/alloc.h"
#include "detector/spinlock.h"

uint64_t rw_hb_floor[RW_MAX_SLOTS] RW_LARGE_BSS;
uint32_t rw_hb_floor_slots;

/* A recomputation per this many granules with no room (a few microseconds
 * each for a handful of threads). */
#define REFRESH_EVERY 64u

static int frozen;
static uint32_t full_granules;
static rw_spin refresh_lock = RW_SPIN_INIT;
static uint64_t known[RW_MAX_SLOTS] RW_LARGE_BSS;

void rw_hb_floor_freeze(void)
{
    /* Called at every OpenMP task and region: once frozen, a load only
     * (no store into a line every thread reads). */
    if (!__atomic_load_n(&frozen, __ATOMIC_SEQ_CST))
        __atomic_store_n(&frozen, 1, __ATOMIC_SEQ_CST);
}

void rw_hb_floor_refresh(void)
{
    if (__atomic_fetch_add(&full_granules, 1, __ATOMIC_RELAXED) % REFRESH_EVERY != 0)
        return;
    if (__atomic_load_n(&frozen, __ATOMIC_SEQ_CST) || !rw_spin_trylock(&refresh_lock))
        return;
    uint32_t n = rw_threads_known_by_all(known, RW_MAX_SLOTS);
    /* A task made while the clocks were read may start below what was
     * read after it: then this result is not used. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (n > 0 && !__atomic_load_n(&frozen, __ATOMIC_SEQ_CST)) {
        for (uint32_t s = 0; s < n; s++)
            if (known[s] > rw_hb_floor[s])
                __atomic_store_n(&rw_hb_floor[s], known[s], __ATOMIC_RELAXED);
        if (n > rw_hb_floor_slots)
            __atomic_store_n(&rw_hb_floor_slots, n, __ATOMIC_RELEASE);
    }
    rw_spin_unlock(&refresh_lock);
}

void rw_hb_floor_refresh_for_plane(void)
{
    static __thread uint32_t calls __attribute__((tls_model("initial-exec")));
    if ((calls++ & 255) == 0)
        rw_hb_floor_refresh();
}
