/* intercept_gomp_loop.c: loop chunks and sections as fibers (libgomp).
 *
 * OpenMP does not order two iterations of one work-sharing loop, nor two
 * sections of one sections construct: which thread runs which chunk is
 * the schedule's choice.  Taken as the thread's program order, a race
 * between two chunks (or sections) would be found only in the runs where
 * libgomp hands them to two threads.  So, as tasks do (gomp_fiber.c), each
 * unit of work libgomp hands out runs as a fiber of the thread that got
 * it: a clock of its own, starting from the thread's clock when the unit
 * starts (the thread's clock does not move while its units run, so they
 * all start from the same point and none is ordered after another).
 *
 *   start    GOMP_loop_*_start / _next (long and unsigned long long
 *            bounds, ordered loops, the generic GOMP_loop_start) return
 *            a chunk; GOMP_sections_start / _next a section number.
 *            The unit before it ends (its fiber releases into the
 *            implicit task's units key) and a new fiber starts.
 *            GOMP_single_start (or GOMP_single_copy_start) giving the
 *            thread a single block starts one too, from the team's last
 *            barrier instead of the thread's clock (rw_gomp_single_begin).
 *   end      a _next that returns no more work, GOMP_loop_end_nowait,
 *            GOMP_sections_end_nowait, the barrier of GOMP_loop_end /
 *            GOMP_sections_end (intercept_gomp_sync.c) and the region's
 *            end: the last unit ends and the thread acquires the units
 *            key: its code after the construct is ordered after every
 *            unit it ran, as OpenMP orders it.
 *
 * The units' fibers, their ends and the clearing of the implicit task's
 * private frames (below the region trampoline's frame) are omp_units.c's,
 * shared with libomp's side (ompt_loop.c); this file says when a unit
 * starts and when the construct ends.
 *
 * Not done: a team of one thread, a task reduction's scope (as for
 * tasks, gomp_fiber.c), doacross loops (ordered(n) with depend(sink/
 * source): their edges are not modelled, so their iterations stay on
 * the thread's order).  Static schedules that gcc computes inline make
 * no libgomp call: their chunks run on the thread's clock as before. */
#include "runtime/rt.h"

#include <stdbool.h>

#include "runtime/gomp.h"

void rw_gomp_units_close(void)
{
    rw_gomp_ctx *c = rw_gomp_cur;
    if (c)
        rw_omp_units_close(&c->units);
}

/* Whether the calling context's units may be fibers: an implicit task
 * in a team of several threads, outside a task reduction's scope. */
static int units_may_fiber(const rw_gomp_ctx *c)
{
    return !c->reducing && __atomic_load_n(&c->team->nthreads, __ATOMIC_RELAXED) >= 2;
}

/* libgomp handed the thread a unit (more) or told it there is none left. */
static void unit_next(int more)
{
    rw_gomp_ctx *c = rw_gomp_cur;
    if (!c || !c->units.frame_top || !c->team)
        return;
    if (more)
        rw_omp_unit_next(&c->units, units_may_fiber(c), 0);
    else
        rw_omp_units_close(&c->units);
}

/* The thread got a single block (GOMP_single_start, or
 * GOMP_single_copy_start returning NULL).  Any thread of the team could
 * have: what orders the block before its accesses is only what every
 * thread of the team had done when the block became available, the
 * team's last barrier (or the region's start), not what this thread did
 * since.  So the block runs as a unit fiber starting from the clock of
 * the last barrier round the thread passed (gomp.h), or of the region's
 * fork.  The thread's own private data, written since then, has its
 * history cleared as for any unit.  The block ends at the thread's next
 * work-sharing call or barrier (the single's own barrier, unless
 * nowait). */
void rw_gomp_single_begin(void)
{
    rw_gomp_ctx *c = rw_gomp_cur;
    if (!c || !c->units.frame_top || !c->team)
        return;
    rw_gomp_team *team = c->team;
    rw_omp_unit_next(&c->units, units_may_fiber(c),
                     rw_omp_last_round_key(c->rounds, team->round_clock, &team->fork));
}

RW_DECLARE_REAL(bool, GOMP_single_start, void);
RW_EXPORT bool GOMP_single_start(void)
{
    bool mine = RW_RESOLVE(GOMP_single_start)();
    if (mine)
        rw_gomp_single_begin();
    return mine;
}

/* A doacross loop: its iterations keep the thread's order. */
static void units_off(void)
{
    rw_gomp_ctx *c = rw_gomp_cur;
    if (c)
        c->units.off = 1;
}

typedef unsigned long long ull;

#define LOOP_START(name)                                                       \
    RW_DECLARE_REAL(bool, name, long, long, long, long, long *, long *);       \
    RW_EXPORT bool name(long start, long end, long incr, long chunk, long *istart, long *iend) \
    {                                                                          \
        bool more = RW_RESOLVE(name)(start, end, incr, chunk, istart, iend);   \
        unit_next(more);                                                       \
        return more;                                                           \
    }
#define LOOP_START_RUNTIME(name)                                               \
    RW_DECLARE_REAL(bool, name, long, long, long, long *, long *);             \
    RW_EXPORT bool name(long start, long end, long incr, long *istart, long *iend) \
    {                                                                          \
        bool more = RW_RESOLVE(name)(start, end, incr, istart, iend);          \
        unit_next(more);                                                       \
        return more;                                                           \
    }
#define LOOP_NEXT(name)                                                        \
    RW_DECLARE_REAL(bool, name, long *, long *);                               \
    RW_EXPORT bool name(long *istart, long *iend)                              \
    {                                                                          \
        bool more = RW_RESOLVE(name)(istart, iend);                            \
        unit_next(more);                                                       \
        return more;                                                           \
    }
#define ULL_START(name)                                                        \
    RW_DECLARE_REAL(bool, name, bool, ull, ull, ull, ull, ull *, ull *);       \
    RW_EXPORT bool name(bool up, ull start, ull end, ull incr, ull chunk, ull *istart, ull *iend) \
    {                                                                          \
        bool more = RW_RESOLVE(name)(up, start, end, incr, chunk, istart, iend); \
        unit_next(more);                                                       \
        return more;                                                           \
    }
#define ULL_START_RUNTIME(name)                                                \
    RW_DECLARE_REAL(bool, name, bool, ull, ull, ull, ull *, ull *);            \
    RW_EXPORT bool name(bool up, ull start, ull end, ull incr, ull *istart, ull *iend) \
    {                                                                          \
        bool more = RW_RESOLVE(name)(up, start, end, incr, istart, iend);      \
        unit_next(more);                                                       \
        return more;                                                           \
    }
#define ULL_NEXT(name)                                                         \
    RW_DECLARE_REAL(bool, name, ull *, ull *);                                 \
    RW_EXPORT bool name(ull *istart, ull *iend)                                \
    {                                                                          \
        bool more = RW_RESOLVE(name)(istart, iend);                            \
        unit_next(more);                                                       \
        return more;                                                           \
    }
/* Doacross starts: the same arguments as the loop starts, with counts. */
#define DOACROSS_START(name)                                                   \
    RW_DECLARE_REAL(bool, name, unsigned, long *, long, long *, long *);       \
    RW_EXPORT bool name(unsigned ncounts, long *counts, long chunk, long *istart, long *iend) \
    {                                                                          \
        units_off();                                                           \
        return RW_RESOLVE(name)(ncounts, counts, chunk, istart, iend);         \
    }
#define DOACROSS_START_RUNTIME(name)                                           \
    RW_DECLARE_REAL(bool, name, unsigned, long *, long *, long *);             \
    RW_EXPORT bool name(unsigned ncounts, long *counts, long *istart, long *iend) \
    {                                                                          \
        units_off();                                                           \
        return RW_RESOLVE(name)(ncounts, counts, istart, iend);                \
    }
#define ULL_DOACROSS_START(name)                                               \
    RW_DECLARE_REAL(bool, name, unsigned, ull *, ull, ull *, ull *);           \
    RW_EXPORT bool name(unsigned ncounts, ull *counts, ull chunk, ull *istart, ull *iend) \
    {                                                                          \
        units_off();                                                           \
        return RW_RESOLVE(name)(ncounts, counts, chunk, istart, iend);         \
    }
#define ULL_DOACROSS_START_RUNTIME(name)                                       \
    RW_DECLARE_REAL(bool, name, unsigned, ull *, ull *, ull *);                \
    RW_EXPORT bool name(unsigned ncounts, ull *counts, ull *istart, ull *iend) \
    {                                                                          \
        units_off();                                                           \
        return RW_RESOLVE(name)(ncounts, counts, istart, iend);                \
    }

LOOP_START(GOMP_loop_static_start)
LOOP_START(GOMP_loop_dynamic_start)
LOOP_START(GOMP_loop_guided_start)
LOOP_START(GOMP_loop_nonmonotonic_dynamic_start)
LOOP_START(GOMP_loop_nonmonotonic_guided_start)
LOOP_START(GOMP_loop_ordered_static_start)
LOOP_START(GOMP_loop_ordered_dynamic_start)
LOOP_START(GOMP_loop_ordered_guided_start)
LOOP_START_RUNTIME(GOMP_loop_runtime_start)
LOOP_START_RUNTIME(GOMP_loop_nonmonotonic_runtime_start)
LOOP_START_RUNTIME(GOMP_loop_maybe_nonmonotonic_runtime_start)
LOOP_START_RUNTIME(GOMP_loop_ordered_runtime_start)

LOOP_NEXT(GOMP_loop_static_next)
LOOP_NEXT(GOMP_loop_dynamic_next)
LOOP_NEXT(GOMP_loop_guided_next)
LOOP_NEXT(GOMP_loop_runtime_next)
LOOP_NEXT(GOMP_loop_nonmonotonic_dynamic_next)
LOOP_NEXT(GOMP_loop_nonmonotonic_guided_next)
LOOP_NEXT(GOMP_loop_nonmonotonic_runtime_next)
LOOP_NEXT(GOMP_loop_maybe_nonmonotonic_runtime_next)
LOOP_NEXT(GOMP_loop_ordered_static_next)
LOOP_NEXT(GOMP_loop_ordered_dynamic_next)
LOOP_NEXT(GOMP_loop_ordered_guided_next)
LOOP_NEXT(GOMP_loop_ordered_runtime_next)

ULL_START(GOMP_loop_ull_static_start)
ULL_START(GOMP_loop_ull_dynamic_start)
ULL_START(GOMP_loop_ull_guided_start)
ULL_START(GOMP_loop_ull_nonmonotonic_dynamic_start)
ULL_START(GOMP_loop_ull_nonmonotonic_guided_start)
ULL_START(GOMP_loop_ull_ordered_static_start)
ULL_START(GOMP_loop_ull_ordered_dynamic_start)
ULL_START(GOMP_loop_ull_ordered_guided_start)
ULL_START_RUNTIME(GOMP_loop_ull_runtime_start)
ULL_START_RUNTIME(GOMP_loop_ull_nonmonotonic_runtime_start)
ULL_START_RUNTIME(GOMP_loop_ull_maybe_nonmonotonic_runtime_start)
ULL_START_RUNTIME(GOMP_loop_ull_ordered_runtime_start)

ULL_NEXT(GOMP_loop_ull_static_next)
ULL_NEXT(GOMP_loop_ull_dynamic_next)
ULL_NEXT(GOMP_loop_ull_guided_next)
ULL_NEXT(GOMP_loop_ull_runtime_next)
ULL_NEXT(GOMP_loop_ull_nonmonotonic_dynamic_next)
ULL_NEXT(GOMP_loop_ull_nonmonotonic_guided_next)
ULL_NEXT(GOMP_loop_ull_nonmonotonic_runtime_next)
ULL_NEXT(GOMP_loop_ull_maybe_nonmonotonic_runtime_next)
ULL_NEXT(GOMP_loop_ull_ordered_static_next)
ULL_NEXT(GOMP_loop_ull_ordered_dynamic_next)
ULL_NEXT(GOMP_loop_ull_ordered_guided_next)
ULL_NEXT(GOMP_loop_ull_ordered_runtime_next)

DOACROSS_START(GOMP_loop_doacross_static_start)
DOACROSS_START(GOMP_loop_doacross_dynamic_start)
DOACROSS_START(GOMP_loop_doacross_guided_start)
DOACROSS_START_RUNTIME(GOMP_loop_doacross_runtime_start)
ULL_DOACROSS_START(GOMP_loop_ull_doacross_static_start)
ULL_DOACROSS_START(GOMP_loop_ull_doacross_dynamic_start)
ULL_DOACROSS_START(GOMP_loop_ull_doacross_guided_start)
ULL_DOACROSS_START_RUNTIME(GOMP_loop_ull_doacross_runtime_start)

/* The generic starts (loops with reductions, lastprivate(conditional),
 * scan): a NULL istart only sets up the work share. */
RW_DECLARE_REAL(bool, GOMP_loop_start, long, long, long, long, long, long *, long *, uintptr_t *,
                void **);
RW_EXPORT bool GOMP_loop_start(long start, long end, long incr, long sched, long chunk,
                               long *istart, long *iend, uintptr_t *reductions, void **mem)
{
    bool more = RW_RESOLVE(GOMP_loop_start)(start, end, incr, sched, chunk, istart, iend,
                                            reductions, mem);
    if (istart)
        unit_next(more);
    return more;
}

RW_DECLARE_REAL(bool, GOMP_loop_ordered_start, long, long, long, long, long, long *, long *,
                uintptr_t *, void **);
RW_EXPORT bool GOMP_loop_ordered_start(long start, long end, long incr, long sched, long chunk,
                                       long *istart, long *iend, uintptr_t *reductions, void **mem)
{
    bool more = RW_RESOLVE(GOMP_loop_ordered_start)(start, end, incr, sched, chunk, istart, iend,
                                                    reductions, mem);
    if (istart)
        unit_next(more);
    return more;
}

RW_DECLARE_REAL(bool, GOMP_loop_doacross_start, unsigned, long *, long, long, long *, long *,
                uintptr_t *, void **);
RW_EXPORT bool GOMP_loop_doacross_start(unsigned ncounts, long *counts, long sched, long chunk,
                                        long *istart, long *iend, uintptr_t *reductions,
                                        void **mem)
{
    units_off();
    return RW_RESOLVE(GOMP_loop_doacross_start)(ncounts, counts, sched, chunk, istart, iend,
                                                reductions, mem);
}

RW_DECLARE_REAL(bool, GOMP_loop_ull_start, bool, ull, ull, ull, long, ull, ull *, ull *,
                uintptr_t *, void **);
RW_EXPORT bool GOMP_loop_ull_start(bool up, ull start, ull end, ull incr, long sched, ull chunk,
                                   ull *istart, ull *iend, uintptr_t *reductions, void **mem)
{
    bool more = RW_RESOLVE(GOMP_loop_ull_start)(up, start, end, incr, sched, chunk, istart, iend,
                                                reductions, mem);
    if (istart)
        unit_next(more);
    return more;
}

RW_DECLARE_REAL(void, GOMP_loop_end_nowait, void);
RW_EXPORT void GOMP_loop_end_nowait(void)
{
    rw_gomp_units_close();
    RW_RESOLVE(GOMP_loop_end_nowait)();
}

/* --- sections ----------------------------------------------------------- */

RW_DECLARE_REAL(unsigned, GOMP_sections_start, unsigned);
RW_EXPORT unsigned GOMP_sections_start(unsigned count)
{
    unsigned section = RW_RESOLVE(GOMP_sections_start)(count);
    unit_next(section != 0);
    return section;
}

RW_DECLARE_REAL(unsigned, GOMP_sections2_start, unsigned, uintptr_t *, void **);
RW_EXPORT unsigned GOMP_sections2_start(unsigned count, uintptr_t *reductions, void **mem)
{
    unsigned section = RW_RESOLVE(GOMP_sections2_start)(count, reductions, mem);
    unit_next(section != 0);
    return section;
}

RW_DECLARE_REAL(unsigned, GOMP_sections_next, void);
RW_EXPORT unsigned GOMP_sections_next(void)
{
    unsigned section = RW_RESOLVE(GOMP_sections_next)();
    unit_next(section != 0);
    return section;
}

RW_DECLARE_REAL(void, GOMP_sections_end_nowait, void);
RW_EXPORT void GOMP_sections_end_nowait(void)
{
    rw_gomp_units_close();
    RW_RESOLVE(GOMP_sections_end_nowait)();
}
