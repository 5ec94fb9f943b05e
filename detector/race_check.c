/* race_check.c: the slow path of the race check and multi-granule
 * accesses (see race_check.h). */
#include "detector/race_check.h"

rw_race_handler_fn rw_race_handler;
struct rw_stats rw_stats;

void rw_check_granule_slow(rw_thread *t, rw_cell *cells, uintptr_t addr, unsigned offset,
                           unsigned sizelog, int write, int atomic, uintptr_t pc,
                           uint64_t *op_pos)
{
    rw_cell probe = rw_cell_make(t->slot, 0, offset, sizelog, write, atomic);
    unsigned mask = rw_cell_mask(probe);
    int store_at = -1, empty = -1, raced = 0;

    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell c = __atomic_load_n(&cells[i], __ATOMIC_RELAXED);
        if (c == 0) {
            if (empty < 0)
                empty = i;
            continue;
        }
        unsigned cmask = rw_cell_mask(c);
        unsigned slot = rw_cell_slot(c);
        int happens_before = slot == t->slot ||
                             rw_cell_clock(c) <= rw_vclock_get(&t->vc, slot);
        if (!happens_before && (cmask & mask) &&
            (rw_cell_is_write(c) || write) && !(rw_cell_is_atomic(c) && atomic)) {
            if (!raced && rw_race_handler) {
                raced = 1;
                rw_race_handler(t, (addr & ~(uintptr_t)7) + offset, probe, c, pc);
            }
            continue;
        }
        /* A cell this access makes redundant is overwritten (the first) or
         * emptied (the rest). */
        if (happens_before && (cmask & ~mask) == 0 && rw_cell_dominates(probe, c)) {
            if (store_at < 0) {
                store_at = i;
            } else {
                __atomic_store_n(&cells[i], 0, __ATOMIC_RELAXED);
                if (empty < 0)
                    empty = i;
            }
        }
    }
    if (store_at < 0)
        store_at = empty;
    if (store_at < 0) {
        /* Prefer losing a cell that happens before us. */
        for (int i = 0; i < RW_CELLS_PER_GRANULE && store_at < 0; i++) {
            rw_cell c = __atomic_load_n(&cells[i], __ATOMIC_RELAXED);
            unsigned slot = rw_cell_slot(c);
            if (slot != t->slot && rw_cell_clock(c) <= rw_vclock_get(&t->vc, slot))
                store_at = i;
        }
        if (store_at < 0)
            store_at = (int)(t->pos & (RW_CELLS_PER_GRANULE - 1));
        rw_stats.evictions++;
    }
    if (*op_pos == 0) {
        rw_thread_event(t, RW_EV_ACCESS, pc);
        *op_pos = t->pos;
    }
    __atomic_store_n(&cells[store_at],
                     rw_cell_make(t->slot, *op_pos, offset, sizelog, write, atomic),
                     __ATOMIC_RELAXED);
}

void rw_check_range(rw_thread *t, uintptr_t addr, size_t size, int write, int atomic,
                    uintptr_t pc)
{
    uint64_t op_pos = 0;
    uintptr_t end = addr + size;
    if (end < addr)
        end = UINTPTR_MAX;
    while (addr < end) {
        /* The largest naturally placed piece that fits in the granule and
         * the range: whole granules in the middle of big ranges. */
        unsigned off = (unsigned)(addr & 7);
        size_t left = end - addr;
        unsigned sizelog;
        if (off == 0 && left >= 8)
            sizelog = 3;
        else if ((off & 3) == 0 && left >= 4)
            sizelog = 2;
        else if ((off & 1) == 0 && left >= 2)
            sizelog = 1;
        else
            sizelog = 0;
        rw_check_granule(t, addr, sizelog, write, atomic, pc, &op_pos);
        addr += (uintptr_t)1 << sizelog;
    }
}

void rw_check_free(rw_thread *t, uintptr_t addr, size_t size, uintptr_t pc)
{
    uint64_t op_pos = 0;
    uintptr_t lo = addr & ~(uintptr_t)7, end = addr + size;
    for (uintptr_t g = lo; g < end; g += 8) {
        rw_cell *cells = rw_shadow_cells(g);
        if (!cells)
            continue;
        /* Check as an 8-byte write (every byte of the block is written by
         * free, as far as other threads are concerned). */
        rw_check_granule_slow(t, cells, g, 0, 3, 1, 0, pc, &op_pos);
        rw_cell freed = rw_cell_make(t->slot, op_pos, 0, 3, 1, 0) | RW_FREED_BIT;
        __atomic_store_n(&cells[0], freed, __ATOMIC_RELAXED);
        for (int i = 1; i < RW_CELLS_PER_GRANULE; i++)
            __atomic_store_n(&cells[i], 0, __ATOMIC_RELAXED);
    }
}
