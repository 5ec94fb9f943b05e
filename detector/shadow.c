/* shadow.c: the shadow directory and its chunks (see shadow.h).
 *
 * Chunks are installed with a compare-and-swap: two threads touching a new
 * megabyte at once both map a chunk, one wins, the other unmaps its own.
 * Chunks are never unmapped while the process runs (a racing access may
 * still hold a pointer into one); clearing returns their pages instead. */
#include "detector/shadow.h"

#include <sys/mman.h>

#include "detector/alloc.h"
#include "detector/shadow_resident.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

rw_cell **rw_shadow_dir;
static size_t mapped_chunks;

int rw_shadow_init(void)
{
    if (rw_shadow_dir)
        return 0;
    size_t n = (size_t)(RW_APP_LIMIT >> RW_CHUNK_SHIFT);
    rw_shadow_dir = rw_map_reserve_as(n * sizeof(rw_cell *), RW_MAP_SHADOW);
    return rw_shadow_dir ? 0 : -1;
}

rw_cell *rw_shadow_chunk_slow(uintptr_t addr)
{
    if (!rw_shadow_dir && rw_shadow_init() != 0)
        return NULL;
    rw_cell **slot = &rw_shadow_dir[addr >> RW_CHUNK_SHIFT];
    rw_cell *chunk = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (chunk)
        return chunk;
#if RW_SHADOW_PLANES
    rw_cell *fresh = rw_map_reserve_aligned(RW_CHUNK_MAP_SIZE, RW_CHUNK_ALIGN, RW_MAP_SHADOW);
#else
    rw_cell *fresh = rw_map_reserve_as(RW_CHUNK_MAP_SIZE, RW_MAP_SHADOW);
#endif
    if (!fresh)
        return NULL;
    rw_cell *expected = NULL;
    if (__atomic_compare_exchange_n(slot, &expected, fresh, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        __atomic_fetch_add(&mapped_chunks, 1, __ATOMIC_RELAXED);
        return fresh;
    }
    rw_map_release(fresh, RW_CHUNK_MAP_SIZE);
    return expected;
}

void rw_shadow_prefault_next(uintptr_t addr)
{
    rw_cell *chunk = __atomic_load_n(&rw_shadow_dir[addr >> RW_CHUNK_SHIFT], __ATOMIC_ACQUIRE);
    if (!chunk)
        return;
    uintptr_t cells = (uintptr_t)(chunk + ((addr & (RW_CHUNK_APP_SIZE - 1)) >> 3) * RW_GRANULE_STRIDE);
    uintptr_t next = (cells & ~(uintptr_t)(RW_PREFAULT_BLOCK - 1)) + RW_PREFAULT_BLOCK;
    if (next + RW_PREFAULT_BLOCK > (uintptr_t)chunk + RW_CHUNK_SHADOW_SIZE / RW_SHADOW_RUNS)
        return;
    /* Errors (an old kernel: EINVAL; no memory: ENOMEM) leave the pages
     * to be mapped on first touch, as before. */
    madvise((void *)next, RW_PREFAULT_BLOCK, MADV_POPULATE_WRITE);
}

void rw_shadow_populate(uintptr_t addr, size_t size)
{
    rw_cell *cells = rw_shadow_cells(addr);
    if (cells)
        madvise(cells, RW_RUN_BYTES(size / RW_GRANULE), MADV_POPULATE_WRITE);
}

#if RW_SHADOW_PLANES
/* Granules from the one whose cell 0 is at cells to the end of its page
 * of plane flags, at most max. */
static size_t flag_page_rest(const rw_cell *cells, size_t max)
{
    size_t n = RW_PLANE_PAGE_GRANULES - ((uintptr_t)cells / sizeof(rw_cell)) % RW_PLANE_PAGE_GRANULES;
    return n < max ? n : max;
}
#endif

/* Zero the cells of [lo, hi), granule-aligned, inside one chunk. */
static void clear_run(uintptr_t lo, uintptr_t hi, void *unused)
{
    (void)unused;
    rw_cell *chunk = __atomic_load_n(&rw_shadow_dir[lo >> RW_CHUNK_SHIFT], __ATOMIC_ACQUIRE);
    if (!chunk)
        return;
    rw_cell *first = chunk + ((lo & (RW_CHUNK_APP_SIZE - 1)) >> 3) * RW_GRANULE_STRIDE;
    size_t granules = (hi - lo) / RW_GRANULE;
    rw_map_zero(first, RW_RUN_BYTES(granules));
#if RW_SHADOW_PLANES
    /* The other planes where their flags are set, flag page by page. */
    for (size_t g = 0; g < granules;) {
        size_t n = flag_page_rest(first + g, granules - g);
        const uint8_t *flags = rw_plane_flags(first + g);
        for (int i = 1; i < RW_CELLS_PER_GRANULE; i++)
            if (__atomic_load_n(flags + i, __ATOMIC_RELAXED))
                rw_map_zero(RW_CELL_AT(first + g, i), RW_RUN_BYTES(n));
        g += n;
    }
#endif
}

size_t rw_shadow_empty_prefix(const rw_cell *cells, size_t granules)
{
    size_t empty = rw_map_zero_prefix(cells, RW_RUN_BYTES(granules)) / RW_RUN_BYTES(1);
#if RW_SHADOW_PLANES
    for (size_t g = 0; g < empty;) {
        size_t n = flag_page_rest(cells + g, empty - g);
        const uint8_t *flags = rw_plane_flags(cells + g);
        for (int i = 1; i < RW_CELLS_PER_GRANULE; i++) {
            if (!__atomic_load_n(flags + i, __ATOMIC_RELAXED))
                continue;
            size_t e = rw_map_zero_prefix(RW_CELL_AT(cells + g, i), RW_RUN_BYTES(n)) / RW_RUN_BYTES(1);
            if (e < n) {
                n = e;
                empty = g + e;
            }
        }
        g += n;
    }
#endif
    return empty;
}

/* Ranges from this size on clear only the runs whose shadow pages are
 * resident (shadow_resident.h): a 64 KiB block freed after a few bytes
 * were used has one or two such pages out of 64, and the others are not
 * even read. */
#define CLEAR_BY_RESIDENT (4 * RW_SHADOW_PAGE_APP)

static void shadow_clear(uintptr_t addr, size_t size, int ask_resident)
{
    if (!rw_shadow_dir || size == 0)
        return;
    uintptr_t end = addr + size;
    if (end > RW_APP_LIMIT || end < addr)
        end = RW_APP_LIMIT;
    /* Every granule the range touches: allocators hand out 8-byte aligned
     * blocks whose tail granule belongs to the block, and a new block must
     * start clean or an old owner's history would give false reports. */
    uintptr_t lo = addr & ~(uintptr_t)(RW_GRANULE - 1);
    uintptr_t hi = (end + RW_GRANULE - 1) & ~(uintptr_t)(RW_GRANULE - 1);
    if (ask_resident && hi - lo >= CLEAR_BY_RESIDENT) {
        rw_shadow_resident_runs(lo, hi, clear_run, NULL);
        return;
    }
    while (lo < hi) {
        uintptr_t chunk_end = (lo | (RW_CHUNK_APP_SIZE - 1)) + 1;
        uintptr_t stop = hi < chunk_end ? hi : chunk_end;
        clear_run(lo, stop, NULL);
        lo = stop;
    }
}

void rw_shadow_clear(uintptr_t addr, size_t size)
{
    shadow_clear(addr, size, 1);
}

void rw_shadow_clear_mapped(uintptr_t addr, size_t size)
{
    shadow_clear(addr, size, 0);
}

size_t rw_shadow_mapped_bytes(void)
{
    return __atomic_load_n(&mapped_chunks, __ATOMIC_RELAXED) * RW_CHUNK_SHADOW_SIZE;
}
