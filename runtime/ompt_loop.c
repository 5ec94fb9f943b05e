/* ompt_loop.c: libomp's loop chunks and single blocks as fibers.
 *
 * The libomp counterpart of intercept_gomp_loop.c (docs/openmp.md, "Loop
 * chunks and sections are fibers too").  OpenMP orders neither two
 * iterations of one work-sharing loop, whichever thread runs them, nor a
 * single block with what the thread that happens to get it did since the
 * team's last barrier.  Taken as the thread's program order, such a race
 * would only be found in the runs where libomp's schedule gives the two
 * accesses to two threads.  So each unit of work a thread gets runs as a
 * fiber (gomp_fiber.c), with a clock of its own:
 *
 *   static   __kmpc_for_static_init_{4,4u,8,8u} (and the distribute
 *            parallel for forms, __kmpc_dist_for_static_init_*) give the
 *            thread its iterations (clang also lowers `sections` to
 *            such a loop over the section numbers); a fiber starts from
 *            the thread's clock.  __kmpc_for_static_fini ends it.  A
 *            chunked static schedule's chunks are computed by clang's
 *            code with no call between them: they share one fiber.
 *   dynamic  __kmpc_dispatch_next_{4,4u,8,8u} returning a chunk ends the
 *            thread's previous unit and starts a fiber; returning 0 (no
 *            more work) ends the last one.
 *   single   __kmpc_single returning 1 starts a fiber from the clock of
 *            the team's last barrier round the thread passed (or the
 *            region's fork), not from the thread's clock: any thread of
 *            the team could have run the block; __kmpc_end_single ends
 *            it.
 *
 * A unit's end releases into the implicit task's units key; at the
 * construct's end (and at any barrier, ompt_team.c) the thread acquires
 * it: its code after the construct follows the units it ran.  The thread's
 * clock does not move while its units run.  The implicit task's own
 * frames (between libomp's call into the region's body and our frame:
 * loop counters, private copies, partial sums) are used by every unit of
 * the thread in turn: their history is cleared at each unit's start and
 * end.
 *
 * Not done, as for libgomp: a team of one thread, an explicit task's
 * code, a task reduction's scope (its tasks share per-thread copies), and
 * doacross loops (__kmpc_doacross_init: their edges are not modelled). */
#include "runtime/ompt.h"

#include "detector/shadow.h"
#include "detector/syncvar.h"
#include "runtime/gomp.h"

/* Beyond this, frame_top is not on the calling thread's stack. */
#define PRIVATE_FRAMES_MAX (16u << 20)

static void clear_private_frames(const rw_ompt_task *it, uintptr_t frame)
{
    if (frame >= it->frame_top || it->frame_top - frame > PRIVATE_FRAMES_MAX)
        return;
    rw_in_rt++;
    rw_shadow_clear(frame, it->frame_top - frame);
    rw_in_rt--;
}

static void unit_end(rw_ompt_task *it, uintptr_t frame)
{
    rw_thread *host = it->unit_host;
    if (!host)
        return;
    it->unit_host = NULL;
    if (rw_cur != it->unit_fiber) {
        /* Not ours to end (never expected): leave the clocks alone. */
        return;
    }
    rw_thread *f = rw_enter();
    if (f) {
        rw_sync_release_at(f, (uintptr_t)&it->units);
        rw_leave();
    }
    clear_private_frames(it, frame);
    rw_gomp_fiber_end(host, frame);
}

static void units_close_at(rw_ompt_task *it, uintptr_t frame)
{
    unit_end(it, frame);
    it->units_off = 0;
    if (!it->units_open)
        return;
    it->units_open = 0;
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_acquire_at(t, (uintptr_t)&it->units);
        rw_leave();
    }
}

__attribute__((noinline)) void rw_ompt_units_close(rw_ompt_task *it)
{
    if (it && it->implicit && (it->unit_host || it->units_open || it->units_off))
        units_close_at(it, (uintptr_t)__builtin_frame_address(0));
}

/* The calling thread's implicit task, if units may be fibers in it. */
static rw_ompt_task *unit_task(void)
{
    rw_ompt_task *it = rw_ompt_cur;
    if (!it || !it->implicit || !it->team || !rw_ompt_active)
        return NULL;
    return it;
}

/* Where the implicit task's frames end: the exit frame OMPT gives for
 * the task (libomp's call into the region's body). */
static void find_frame_top(rw_ompt_task *it, uintptr_t own)
{
    if (it->frame_top || !rw_ompt_get_task_info)
        return;
    ompt_frame *f = NULL;
    if (rw_ompt_get_task_info(0, NULL, NULL, &f, NULL, NULL) && f) {
        uintptr_t exit = (uintptr_t)f->exit_frame.ptr;
        if (exit > own && exit - own < PRIVATE_FRAMES_MAX)
            it->frame_top = exit;
    }
}

/* The thread got a unit, starting from the clock released at key (0:
 * the thread's own clock). */
static void unit_begin(rw_ompt_task *it, uintptr_t key, uintptr_t frame)
{
    unit_end(it, frame);
    if (it->units_off || it->reducing ||
        __atomic_load_n(&it->team->nthreads, __ATOMIC_RELAXED) < 2 || !rw_cur || rw_in_rt)
        return;
    find_frame_top(it, frame);
    rw_thread *host;
    if (!rw_gomp_fiber_begin(key, frame, &host)) {
        it->units_off = 1; /* no slot left: not again until the construct ends */
        return;
    }
    it->unit_host = host;
    it->unit_fiber = rw_cur;
    it->units_open = 1;
    clear_private_frames(it, frame);
}

static __attribute__((noinline)) void unit_next(int more)
{
    rw_ompt_task *it = unit_task();
    if (!it)
        return;
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    if (more)
        unit_begin(it, 0, frame);
    else
        units_close_at(it, frame);
}

static __attribute__((noinline)) void units_end(void)
{
    rw_ompt_task *it = unit_task();
    if (it && (it->unit_host || it->units_open || it->units_off))
        units_close_at(it, (uintptr_t)__builtin_frame_address(0));
}

/* --- static loops --------------------------------------------------------- */

#define STATIC_INIT(name, itype, stype)                                        \
    RW_DECLARE_REAL(void, name, void *, int32_t, int32_t, int32_t *, itype *, itype *, stype *, \
                    stype, stype);                                              \
    RW_EXPORT void name(void *loc, int32_t gtid, int32_t sched, int32_t *plast, itype *plower, \
                        itype *pupper, stype *pstride, stype incr, stype chunk) \
    {                                                                          \
        RW_RESOLVE(name)(loc, gtid, sched, plast, plower, pupper, pstride, incr, chunk); \
        unit_next(1);                                                          \
    }
#define DIST_STATIC_INIT(name, itype, stype)                                   \
    RW_DECLARE_REAL(void, name, void *, int32_t, int32_t, int32_t *, itype *, itype *, itype *, \
                    stype *, stype, stype);                                     \
    RW_EXPORT void name(void *loc, int32_t gtid, int32_t sched, int32_t *plast, itype *plower, \
                        itype *pupper, itype *pupper_dist, stype *pstride, stype incr, \
                        stype chunk)                                            \
    {                                                                          \
        RW_RESOLVE(name)(loc, gtid, sched, plast, plower, pupper, pupper_dist, pstride, incr, \
                         chunk);                                               \
        unit_next(1);                                                          \
    }

STATIC_INIT(__kmpc_for_static_init_4, int32_t, int32_t)
STATIC_INIT(__kmpc_for_static_init_4u, uint32_t, int32_t)
STATIC_INIT(__kmpc_for_static_init_8, int64_t, int64_t)
STATIC_INIT(__kmpc_for_static_init_8u, uint64_t, int64_t)
DIST_STATIC_INIT(__kmpc_dist_for_static_init_4, int32_t, int32_t)
DIST_STATIC_INIT(__kmpc_dist_for_static_init_4u, uint32_t, int32_t)
DIST_STATIC_INIT(__kmpc_dist_for_static_init_8, int64_t, int64_t)
DIST_STATIC_INIT(__kmpc_dist_for_static_init_8u, uint64_t, int64_t)

RW_DECLARE_REAL(void, __kmpc_for_static_fini, void *, int32_t);
RW_EXPORT void __kmpc_for_static_fini(void *loc, int32_t gtid)
{
    units_end();
    RW_RESOLVE(__kmpc_for_static_fini)(loc, gtid);
}

/* --- dynamic, guided, runtime and ordered loops ---------------------------- */

#define DISPATCH_NEXT(name, itype, stype)                                      \
    RW_DECLARE_REAL(int, name, void *, int32_t, int32_t *, itype *, itype *, stype *); \
    RW_EXPORT int name(void *loc, int32_t gtid, int32_t *plast, itype *plower, itype *pupper, \
                       stype *pstride)                                          \
    {                                                                          \
        int more = RW_RESOLVE(name)(loc, gtid, plast, plower, pupper, pstride); \
        unit_next(more != 0);                                                  \
        return more;                                                           \
    }

DISPATCH_NEXT(__kmpc_dispatch_next_4, int32_t, int32_t)
DISPATCH_NEXT(__kmpc_dispatch_next_4u, uint32_t, int32_t)
DISPATCH_NEXT(__kmpc_dispatch_next_8, int64_t, int64_t)
DISPATCH_NEXT(__kmpc_dispatch_next_8u, uint64_t, int64_t)

/* A doacross loop: its iterations keep the thread's order. */
RW_DECLARE_REAL(void, __kmpc_doacross_init, void *, int32_t, int32_t, const void *);
RW_EXPORT void __kmpc_doacross_init(void *loc, int32_t gtid, int32_t num_dims, const void *dims)
{
    rw_ompt_task *it = unit_task();
    if (it)
        it->units_off = 1;
    RW_RESOLVE(__kmpc_doacross_init)(loc, gtid, num_dims, dims);
}

/* --- single --------------------------------------------------------------- */

RW_DECLARE_REAL(int32_t, __kmpc_single, void *, int32_t);
RW_EXPORT int32_t __kmpc_single(void *loc, int32_t gtid)
{
    int32_t mine = RW_RESOLVE(__kmpc_single)(loc, gtid);
    rw_ompt_task *it = mine ? unit_task() : NULL;
    if (it) {
        rw_ompt_team *team = it->team;
        uintptr_t common = it->rounds ? (uintptr_t)&team->round_clock[(it->rounds - 1) & 1]
                                      : (uintptr_t)&team->fork;
        unit_begin(it, common, (uintptr_t)__builtin_frame_address(0));
    }
    return mine;
}

RW_DECLARE_REAL(void, __kmpc_end_single, void *, int32_t);
RW_EXPORT void __kmpc_end_single(void *loc, int32_t gtid)
{
    units_end();
    RW_RESOLVE(__kmpc_end_single)(loc, gtid);
}
