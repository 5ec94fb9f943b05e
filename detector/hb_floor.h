/* hb_floor.h: the happens-before floor, the clocks below which a slot's
 * accesses happen before everything any thread does from now on.
 *
 * A cell at or below the floor can never race again, nor be needed to
 * find a race (a freed cell is another matter: it finds uses after free),
 * so the race check may store over it when a granule has no room, instead
 * of giving the granule an extension.  SPLASH-3 lu at 4 threads: a block
 * written in one phase is read by all four threads in the next, five
 * cells for four places; after the barrier between the phases (a mutex
 * and a condition variable) the write is below the floor.
 *
 * The floor is the pointwise minimum of the live threads' vector clocks
 * (detector/thread.c), recomputed now and then from the slow path.  Valid
 * because a live thread's clock only grows and a new thread starts from
 * its creator's; not for fibers, which start from an OpenMP task's
 * creation clock: the first OpenMP construct freezes the floor where it
 * is (tasks made afterwards start at or above it). */
#ifndef RW_HB_FLOOR_H
#define RW_HB_FLOOR_H

#include <stdint.h>

#include "detector/cell.h"
#include "detector/thread.h"

extern uint64_t rw_hb_floor[RW_MAX_SLOTS];
extern uint32_t rw_hb_floor_slots; /* entries of rw_hb_floor ever set */

/* Is cell c (an access, not empty, a marker or a free) at or below the
 * floor of its slot? */
static inline int rw_hb_floor_covers(rw_cell c)
{
    unsigned slot = rw_cell_slot(c);
    return slot < __atomic_load_n(&rw_hb_floor_slots, __ATOMIC_ACQUIRE) &&
           rw_cell_clock(c) <= __atomic_load_n(&rw_hb_floor[slot], __ATOMIC_RELAXED);
}

/* Called when a granule has no room: now and then recomputes the floor. */
void rw_hb_floor_refresh(void);

/* Called when an access would be stored past plane 0 of the shadow
 * (detector/shadow.h) for want of a cell below the floor: every 256th
 * call of a thread, from its first, counts as a granule with no room. */
void rw_hb_floor_refresh_for_plane(void);

/* No more raising of the floor (an OpenMP construct began; see above). */
void rw_hb_floor_freeze(void);

#endif
