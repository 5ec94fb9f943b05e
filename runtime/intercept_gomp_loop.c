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
 * The implicit task's own frames (the outlined region body, below the
 * region trampoline's frame) hold its private variables: the loop
 * counter, private copies, reduction partial sums.  Every unit the
 * thread runs uses the same slots, in turn, which OpenMP orders (they
 * are one thread's private copies): their history is cleared at each
 * unit's start and end, so that it never passes from one unit to the
 * next.
 *
 * Not done: a team of one thread, a task reduction's scope (as for
 * tasks, gomp_fiber.c), doacross loops (ordered(n) with depend(sink/
 * source): their edges are not modelled, so their iterations stay on
 * the thread's order).  Static schedules that gcc computes inline make
 * no libgomp call: their chunks run on the thread's clock as before. */
#include "runtime/rt.h"

#include <stdbool.h>

#include "detector/shadow.h"
#include "detector/syncvar.h"
#include "runtime/gomp.h"

/* Upper bound on the implicit task's frames that are cleared: beyond it
 * the trampoline's frame is not on this stack (never expected). */
#define PRIVATE_FRAMES_MAX (16u << 20)

static void clear_private_frames(const rw_gomp_ctx *c, uintptr_t frame)
{
    if (frame >= c->frame_top || c->frame_top - frame > PRIVATE_FRAMES_MAX)
        return;
    rw_in_rt++;
    rw_shadow_clear(frame, c->frame_top - frame);
    rw_in_rt--;
}

/* End the current unit's fiber, if one runs; its end goes to the key. */
static void unit_end(rw_gomp_ctx *c, uintptr_t frame)
{
    rw_thread *host = c->unit_host;
    if (!host)
        return;
    c->unit_host = NULL;
    rw_thread *f = rw_enter();
    if (f) {
        rw_sync_release_at(f, (uintptr_t)&c->units);
        rw_leave();
    }
    clear_private_frames(c, frame);
    rw_gomp_fiber_end(host, frame);
}

static void units_close_at(rw_gomp_ctx *c, uintptr_t frame)
{
    unit_end(c, frame);
    c->units_off = 0;
    if (!c->units_open)
        return;
    c->units_open = 0;
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_acquire_at(t, (uintptr_t)&c->units);
        rw_leave();
    }
}

__attribute__((noinline)) void rw_gomp_units_close(void)
{
    rw_gomp_ctx *c = rw_gomp_cur;
    if (c && (c->unit_host || c->units_open || c->units_off))
        units_close_at(c, (uintptr_t)__builtin_frame_address(0));
}

/* libgomp handed the thread a unit (more) or told it there is none left. */
static __attribute__((noinline)) void unit_next(int more)
{
    rw_gomp_ctx *c = rw_gomp_cur;
    if (!c || !c->frame_top || !c->team)
        return;
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    if (!more) {
        units_close_at(c, frame);
        return;
    }
    unit_end(c, frame);
    if (c->units_off || c->reducing || __atomic_load_n(&c->team->nthreads, __ATOMIC_RELAXED) < 2)
        return;
    rw_thread *host;
    if (!rw_gomp_fiber_begin(0, frame, &host)) {
        c->units_off = 1; /* no slot left: not again until the construct ends */
        return;
    }
    c->unit_host = host;
    c->units_open = 1;
    clear_private_frames(c, frame);
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
__attribute__((noinline)) void rw_gomp_single_begin(void)
{
    rw_gomp_ctx *c = rw_gomp_cur;
    if (!c || !c->frame_top || !c->team)
        return;
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    unit_end(c, frame);
    rw_gomp_team *team = c->team;
    if (c->units_off || c->reducing || __atomic_load_n(&team->nthreads, __ATOMIC_RELAXED) < 2)
        return;
    uintptr_t common = c->rounds ? (uintptr_t)&team->round_clock[(c->rounds - 1) & 1]
                                 : (uintptr_t)&team->fork;
    rw_thread *host;
    if (!rw_gomp_fiber_begin(common, frame, &host)) {
        c->units_off = 1;
        return;
    }
    c->unit_host = host;
    c->units_open = 1;
    clear_private_frames(c, frame);
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
        c->units_off = 1;
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
