/* use_after_free.c: an access to a heap block after its free, when the
 * free happens before the access (the same thread, or a thread that
 * synchronized with the freeing one since: a join, a lock...).  A free
 * that does not happen before the access is a data race with "Previous
 * free", which the race check reports by itself; this is the ordered
 * case, reported as
 *
 *     WARNING: USE AFTER FREE
 *     Read at 0x.. by thread 1:          the access
 *     Previous free at 0x.. by thread 2:  the free, with its stack
 *     Location is heap block of size N at 0x.. allocated by thread K:
 *
 * free() leaves "freed" cells in the block's shadow (its first 4 KiB, 1 KiB
 * under LD_PRELOAD, and every granule past it that held an access),
 * and the block waits in the quarantine before glibc may reuse it; malloc
 * clears the shadow of every block it hands out.  So a freed cell in the
 * shadow of an accessed byte means the program touches freed memory.
 *
 * Where it is seen: every access an interceptor makes (memcpy, memset,
 * str*, the read/write family's buffers, in both modes), looking at the
 * first granule of the range, here; and every plain load or store of
 * instrumented code, in the race check's slow path (race_check.c hands
 * a freed cell that happens before the access to
 * rw_use_after_free_handler, which is rw_on_use_after_free). */
#include "runtime/rt.h"

#include "detector/shadow.h"

void rw_check_use_after_free(rw_thread *t, uintptr_t addr, size_t size, int write, uintptr_t pc)
{
    rw_cell *cells = rw_shadow_cells(addr);
    if (!cells)
        return;
    unsigned byte = 1u << (addr & 7);
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell c = rw_cell_load(cells, i, __ATOMIC_RELAXED);
        if (!rw_cell_is_freed(c) || rw_cell_slot(c) == 0 || !(rw_cell_mask(c) & byte))
            continue; /* not a free (slot 0: an extension marker) */
        unsigned slot = rw_cell_slot(c);
        if (slot != t->slot && rw_cell_clock(c) > rw_vclock_get(&t->vc, slot))
            return; /* unordered: the race check reports "Previous free" */
        unsigned sizelog = size >= 8 ? 3 : size >= 4 ? 2 : size >= 2 ? 1 : 0;
        if ((addr & 7) + (1u << sizelog) > 8)
            sizelog = 0;
        rw_cell cur = rw_cell_make(t->slot, t->pos, (unsigned)(addr & 7), sizelog, write, 0);
        rw_on_use_after_free(t, addr, cur, c, pc);
        return;
    }
}
