/* race_check.h: the race check, FastTrack over byte-precise shadow cells.
 *
 * Each access to a granule compares itself with the granule's 4 cells.  A
 * cell that overlaps the access's bytes, belongs to another slot, does not
 * happen before the access (its clock > our vector clock's entry for its
 * slot), where one of the two writes and not both are atomic, is a race.
 * Then the access is stored: over a cell it dominates (same bytes or a
 * subset, at least as strong, and happens-before), else in an empty cell,
 * else over a pseudo-random one (history lost, counted in stats).
 *
 * The hot path is the first loop in rw_check_granule: if the granule
 * already holds an access of ours to the same bytes, at least as strong,
 * made since our last release, nothing about the future changes by
 * recording this one, so we return after at most four loads, with no
 * store and no trace event.  Only accesses that are stored take a trace
 * position (one per operation, shared by all its granules). */
#ifndef RW_RACE_CHECK_H
#define RW_RACE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "detector/cell.h"
#include "detector/shadow.h"
#include "detector/thread.h"

/* What a race report needs to know; the runtime installs the handler. */
typedef void (*rw_race_handler_fn)(rw_thread *t, uintptr_t addr, rw_cell cur, rw_cell old,
                                   uintptr_t pc);
extern rw_race_handler_fn rw_race_handler;
/* An access that a free of its bytes happens before (old: the free's
 * cell), seen by the slow path (every plain access to a freed granule
 * takes it: a freed cell never matches the fast path). */
extern rw_race_handler_fn rw_use_after_free_handler;

struct rw_stats {
    uint64_t evictions;
};
extern struct rw_stats rw_stats;

/* "a is at least as strong as b": every future access racing with b also
 * races with a (a writes if b writes; a is plain if b is). */
static inline int rw_cell_dominates(rw_cell a, rw_cell b)
{
    return (rw_cell_is_write(a) || !rw_cell_is_write(b)) &&
           (!rw_cell_is_atomic(a) || rw_cell_is_atomic(b));
}

void rw_check_granule_slow(rw_thread *t, rw_cell *cells, uintptr_t addr, unsigned offset,
                           unsigned sizelog, int write, int atomic, uintptr_t pc,
                           uint64_t *op_pos);

/* One access of 1 << sizelog bytes at addr, not crossing a granule. */
static inline void rw_check_granule(rw_thread *t, uintptr_t addr, unsigned sizelog, int write,
                                    int atomic, uintptr_t pc, uint64_t *op_pos)
{
    rw_cell *cells = rw_shadow_cells(addr);
    if (__builtin_expect(cells == NULL, 0))
        return;
    unsigned offset = (unsigned)(addr & 7);
    rw_cell want = rw_cell_make(t->slot, 0, offset, sizelog, write, atomic);
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell c = __atomic_load_n(&cells[i], __ATOMIC_RELAXED);
        /* Same slot, same bytes, kind at least as strong, since our last
         * release: this access adds nothing. */
        if (((c ^ want) & ~(RW_CLOCK_MASK | RW_WRITE_BIT | RW_ATOMIC_BIT)) == 0 &&
            rw_cell_clock(c) > t->last_release && rw_cell_dominates(c, want))
            return;
    }
    rw_check_granule_slow(t, cells, addr, offset, sizelog, write, atomic, pc, op_pos);
}

/* An access of any size and alignment (ranges, unaligned, 16 bytes). */
void rw_check_range(rw_thread *t, uintptr_t addr, size_t size, int write, int atomic,
                    uintptr_t pc);

/* free(): a write of the whole block that leaves "freed" cells behind. */
void rw_check_free(rw_thread *t, uintptr_t addr, size_t size, uintptr_t pc);

#endif
