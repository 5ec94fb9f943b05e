/* omp_units.h: a thread's work-sharing units in an implicit task, as
 * fibers; shared by the libgomp interceptors (intercept_gomp_loop.c) and
 * the libomp tool (ompt_loop.c).
 *
 * OpenMP orders neither two iterations of one work-sharing loop, nor two
 * sections, nor a single block with what the thread that happens to get
 * it did since the team's last barrier.  So each unit of work a thread
 * gets (a loop chunk, a section, a single block) runs as a fiber
 * (gomp_fiber.c) with a clock of its own; its end releases into the
 * record's key, and at the construct's end (or a barrier) the thread
 * acquires the key: its code after the construct follows every unit it
 * ran.  The thread's clock does not move while its units run.  A new
 * implicit task's record starts zeroed but for frame_top, its key reset
 * (rw_sync_reset: the record may live where an earlier one did).
 *
 * The implicit task's own frames (between frame_top and the runtime's
 * frame: loop counters, private copies, partial sums) are used by every
 * unit of the thread in turn, which OpenMP orders: their history is
 * cleared at each unit's start and end. */
#ifndef RW_OMP_UNITS_H
#define RW_OMP_UNITS_H

#include <stdint.h>

struct rw_thread;

typedef struct rw_omp_units {
    uintptr_t frame_top;       /* the implicit task's own frames lie below
                                  it; 0 unknown (no unit fibers) */
    struct rw_thread *host;    /* while a unit runs as a fiber: the thread
                                  hosting it */
    struct rw_thread *fiber;   /* that fiber */
    int open;                  /* units ran as fibers in the construct; their
                                  ends not yet acquired by the thread */
    int off;                   /* no unit fibers until the construct ends
                                  (a doacross loop, or no fiber slot left) */
    char key;                  /* key: each unit fiber releases here */
} rw_omp_units;

/* The thread got a unit of work: the unit before it ends, and, if
 * may_fiber, a fiber starts from the clock released at start_key (0: the
 * thread's own clock). */
void rw_omp_unit_next(rw_omp_units *u, int may_fiber, uintptr_t start_key);

/* The construct ends (no more work, its end, a barrier, the region's
 * end): the current unit ends and the thread acquires the ends of every
 * unit it ran. */
void rw_omp_units_close(rw_omp_units *u);

/* The key a single block starts from: the clock of the team's last
 * barrier round the thread passed (rounds alternate between two keys,
 * gomp.h), or the region's fork before the first. */
static inline uintptr_t rw_omp_last_round_key(unsigned rounds, const char round_clock[2],
                                              const char *fork)
{
    return rounds ? (uintptr_t)&round_clock[(rounds - 1) & 1] : (uintptr_t)fork;
}

#endif
