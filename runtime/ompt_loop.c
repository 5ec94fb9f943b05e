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
 * The units' fibers, their ends (acquired by the thread at the
 * construct's end and at any barrier, ompt_team.c) and the clearing of
 * the implicit task's private frames (below libomp's call into the
 * region's body) are omp_units.c's, shared with libgomp's side; this
 * file says when a unit starts and when the construct ends.
 *
 * Not done, as for libgomp: a team of one thread, an explicit task's
 * code, a task reduction's scope (its tasks share per-thread copies), and
 * doacross loops (__kmpc_doacross_init: their edges are not modelled). */
#include "runtime/ompt.h"


/* Beyond this, OMPT's exit frame is not on the calling thread's stack. */
#define PRIVATE_FRAMES_MAX (16u << 20)

void rw_ompt_units_close(rw_ompt_task *it)
{
    if (it && it->implicit)
        rw_omp_units_close(&it->units);
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
    if (it->units.frame_top || !rw_ompt_get_task_info)
        return;
    ompt_frame *f = NULL;
    if (rw_ompt_get_task_info(0, NULL, NULL, &f, NULL, NULL) && f) {
        uintptr_t exit = (uintptr_t)f->exit_frame.ptr;
        if (exit > own && exit - own < PRIVATE_FRAMES_MAX)
            it->units.frame_top = exit;
    }
}

/* The thread got a unit, starting from the clock released at key (0:
 * the thread's own clock). */
static __attribute__((noinline)) void unit_begin(rw_ompt_task *it, uintptr_t key)
{
    int may_fiber = !it->units.off && !it->reducing &&
                    __atomic_load_n(&it->team->nthreads, __ATOMIC_RELAXED) >= 2 && rw_cur &&
                    !rw_in_rt;
    if (may_fiber)
        find_frame_top(it, (uintptr_t)__builtin_frame_address(0));
    rw_omp_unit_next(&it->units, may_fiber, key);
}

static void unit_next(int more)
{
    rw_ompt_task *it = unit_task();
    if (!it)
        return;
    if (more)
        unit_begin(it, 0);
    else
        rw_omp_units_close(&it->units);
}

static void units_end(void)
{
    rw_ompt_task *it = unit_task();
    if (it)
        rw_omp_units_close(&it->units);
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
        it->units.off = 1;
    RW_RESOLVE(__kmpc_doacross_init)(loc, gtid, num_dims, dims);
}

/* --- single --------------------------------------------------------------- */

RW_DECLARE_REAL(int32_t, __kmpc_single, void *, int32_t);
RW_EXPORT int32_t __kmpc_single(void *loc, int32_t gtid)
{
    int32_t mine = RW_RESOLVE(__kmpc_single)(loc, gtid);
    rw_ompt_task *it = mine ? unit_task() : NULL;
    if (it)
        unit_begin(it, rw_omp_last_round_key(it->rounds, it->team->round_clock, &it->team->fork));
    return mine;
}

RW_DECLARE_REAL(void, __kmpc_end_single, void *, int32_t);
RW_EXPORT void __kmpc_end_single(void *loc, int32_t gtid)
{
    units_end();
    RW_RESOLVE(__kmpc_end_single)(loc, gtid);
}
