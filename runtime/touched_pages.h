/* touched_pages.h: which 4 KiB pages of application memory may have cells
 * in their shadow, while no instrumented code has run (LD_PRELOAD on a
 * plain binary).
 *
 * Why: there, the runtime itself stores every cell (interceptor ranges,
 * frees, fd/stream/sync objects), so it can note the page first; a free or
 * a malloc of a big block then visits only the pages noted instead of
 * reading the whole block's shadow (4 bytes of shadow per byte: libuv's
 * ping-pong tests free and malloc a 64 KiB buffer per message that carried
 * a few bytes).  A bit that is set with no cell under it costs a scan; a
 * cell with no bit would be missed, so every cell store of the runtime is
 * preceded by rw_touched_note, and the whole map is given up
 * (rw_touched_valid = 0, the full scans again) as soon as instrumented
 * code registers (__tsan_init), since its accesses store cells without
 * telling us.  One bit per page, 4 GiB of address space reserved without
 * backing for the 47-bit user range: only the pages of the map that are
 * written cost memory.
 *
 * A page noted for the first time has its shadow (16 KiB) mapped writable
 * at once (rw_touched_prefault): its cells are about to be stored, and
 * the check reads them first, so the kernel would otherwise map its zero
 * page and replace it at the first store, four times per page, each time
 * with a TLB shootdown to every other core running the process (sort's
 * worker threads comparing lines of a buffer read() before any thread
 * existed: 45% of its CPU time). */
#ifndef RW_TOUCHED_PAGES_H
#define RW_TOUCHED_PAGES_H

#include <stddef.h>
#include <stdint.h>

#define RW_TOUCHED_PAGE_SHIFT 12

extern uint64_t *rw_touched_bits;
/* 1 while the map tells every page that may hold cells. */
extern int rw_touched_valid;

/* Reserve the map (at start-up, before any cell is stored); on failure
 * the map stays invalid. */
void rw_touched_init(void);
/* Instrumented code is here: the map no longer tells everything. */
void rw_touched_give_up(void);
/* Map the shadow of the 4 KiB page number page writable now (one
 * MADV_POPULATE_WRITE; nothing on kernels without it). */
void rw_touched_prefault(uintptr_t page);

/* Pages [addr, addr + size) may hold cells from now on. */
static inline void rw_touched_note(uintptr_t addr, size_t size)
{
    uint64_t *bits = rw_touched_bits;
    if (!bits || !size || !__atomic_load_n(&rw_touched_valid, __ATOMIC_RELAXED))
        return; /* no map, or given up: nobody reads it */
    uintptr_t page = addr >> RW_TOUCHED_PAGE_SHIFT;
    uintptr_t last = (addr + size - 1) >> RW_TOUCHED_PAGE_SHIFT;
    if (last >= (UINT64_C(1) << (47 - RW_TOUCHED_PAGE_SHIFT)))
        return; /* outside the user range: no shadow there either */
    for (; page <= last; page++) {
        uint64_t *word = &bits[page >> 6], bit = UINT64_C(1) << (page & 63);
        if (!(__atomic_load_n(word, __ATOMIC_RELAXED) & bit) &&
            !(__atomic_fetch_or(word, bit, __ATOMIC_SEQ_CST) & bit))
            rw_touched_prefault(page);
    }
}

/* 1 if the map is valid and tells that the page of addr holds no cell:
 * its shadow need not be read (a read of shadow nothing was stored in
 * makes the kernel map its zero page: a page fault, ~12 us on the 2-CPU
 * VM, for every fresh page of the heap). */
static inline int rw_touched_page_clean(uintptr_t addr)
{
    uint64_t *bits = rw_touched_bits;
    uintptr_t page = addr >> RW_TOUCHED_PAGE_SHIFT;
    if (!bits || !__atomic_load_n(&rw_touched_valid, __ATOMIC_RELAXED) ||
        page >= (UINT64_C(1) << (47 - RW_TOUCHED_PAGE_SHIFT)))
        return 0;
    return !((__atomic_load_n(&bits[page >> 6], __ATOMIC_SEQ_CST) >> (page & 63)) & 1);
}

/* Calls visit(lo, hi, arg) for each run of noted pages, clipped to
 * [lo, hi), in address order. */
void rw_touched_runs(uintptr_t lo, uintptr_t hi, void (*visit)(uintptr_t, uintptr_t, void *),
                     void *arg);
/* Forget the pages that lie wholly inside [lo, hi); the caller clears
 * their shadow after this (a cell stored meanwhile is noted again). */
void rw_touched_forget_inside(uintptr_t lo, uintptr_t hi);

#endif
