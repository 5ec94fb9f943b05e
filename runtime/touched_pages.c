/* touched_pages.c: the map of pages that may hold cells (touched_pages.h):
 * a flat bitmap, one bit per 4 KiB page of the 47-bit user range, reserved
 * without backing at start-up; runs are found a 64-bit word at a time; a
 * newly noted page's shadow is mapped writable at once. */
#include "runtime/touched_pages.h"

#include "detector/alloc.h"
#include "detector/shadow.h"

#define USER_PAGES (UINT64_C(1) << (47 - RW_TOUCHED_PAGE_SHIFT))

uint64_t *rw_touched_bits;
int rw_touched_valid;

void rw_touched_init(void)
{
    if (rw_touched_bits)
        return;
    rw_touched_bits = rw_map_reserve(USER_PAGES / 8);
    __atomic_store_n(&rw_touched_valid, rw_touched_bits != NULL, __ATOMIC_SEQ_CST);
}

void rw_touched_give_up(void)
{
    __atomic_store_n(&rw_touched_valid, 0, __ATOMIC_SEQ_CST);
}

void rw_touched_prefault(uintptr_t page)
{
    rw_shadow_populate(page << RW_TOUCHED_PAGE_SHIFT, UINT64_C(1) << RW_TOUCHED_PAGE_SHIFT);
}

static int page_noted(uintptr_t page)
{
    return (__atomic_load_n(&rw_touched_bits[page >> 6], __ATOMIC_SEQ_CST) >> (page & 63)) & 1;
}

/* The first noted page in [page, end), or end. */
static uintptr_t next_noted(uintptr_t page, uintptr_t end)
{
    while (page < end) {
        uint64_t word = __atomic_load_n(&rw_touched_bits[page >> 6], __ATOMIC_SEQ_CST) >> (page & 63);
        if (word) {
            page += (uintptr_t)__builtin_ctzll(word);
            return page < end ? page : end;
        }
        page = (page | 63) + 1;
    }
    return end;
}

void rw_touched_runs(uintptr_t lo, uintptr_t hi, void (*visit)(uintptr_t, uintptr_t, void *),
                     void *arg)
{
    if (hi <= lo || !rw_touched_bits)
        return;
    uintptr_t end = ((hi - 1) >> RW_TOUCHED_PAGE_SHIFT) + 1;
    if (end > USER_PAGES)
        end = USER_PAGES;
    uintptr_t page = lo >> RW_TOUCHED_PAGE_SHIFT;
    while ((page = next_noted(page, end)) < end) {
        uintptr_t first = page;
        while (page < end && page_noted(page))
            page++;
        uintptr_t run_lo = first << RW_TOUCHED_PAGE_SHIFT, run_hi = page << RW_TOUCHED_PAGE_SHIFT;
        visit(run_lo < lo ? lo : run_lo, run_hi > hi ? hi : run_hi, arg);
    }
}

void rw_touched_forget_inside(uintptr_t lo, uintptr_t hi)
{
    if (!rw_touched_bits)
        return;
    uintptr_t page = (lo + (UINT64_C(1) << RW_TOUCHED_PAGE_SHIFT) - 1) >> RW_TOUCHED_PAGE_SHIFT;
    uintptr_t end = hi >> RW_TOUCHED_PAGE_SHIFT;
    if (end > USER_PAGES)
        end = USER_PAGES;
    for (; page < end; page++) {
        uint64_t *word = &rw_touched_bits[page >> 6], bit = UINT64_C(1) << (page & 63);
        if (__atomic_load_n(word, __ATOMIC_RELAXED) & bit)
            __atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST);
    }
}
