/* intercept_gomp_parallel.c: OpenMP parallel regions under libgomp.
 *
 * gcc outlines a region's body into a function and calls
 * GOMP_parallel(fn, data, num_threads, flags) (or a combined
 * GOMP_parallel_loop_* / GOMP_parallel_sections); libgomp runs fn on the
 * calling thread (the master) and on threads of its pool, and returns
 * once all have finished.  Pool threads were made by pthread_create in
 * an earlier region and sleep on a libgomp futex between regions, so a
 * region's start and end are edges only we can add.  Each of these entry
 * points is intercepted and the body is run through region_body, with a
 * team (gomp.h) on the master's stack standing in for the data:
 *
 *   start   the master releases into the team's fork key before libgomp
 *           wakes anyone; every thread acquires it before the body;
 *   end     every thread releases into the team's end key after the
 *           body; the master acquires it, and the barrier keys that
 *           tasks finishing in the region release into, once libgomp
 *           returns, when all are done.
 *
 * The threads libgomp creates for a team say they were created at the
 * region's line (rw_gomp_spawn_pc), not inside libgomp.
 *
 * For the deadlock checks, the end of a body is an arrival at the team's
 * end barrier: the master waits there (registered), a worker only counts
 * and then goes idle: it sleeps in libgomp until a later region wakes
 * it, which only a running thread can do ("omp idle", RW_WAIT_IDLE).  A
 * master hands out its region's n - 1 jobs to the pool before it can
 * wait for them, and each worker takes one as it starts, so a worker
 * woken but not yet started is never taken for asleep. */
#include "runtime/rt.h"
#include "detector/hb_floor.h"

#include "detector/syncvar.h"
#include "detector/waitfor.h"
#include "runtime/gomp.h"

__thread rw_gomp_ctx *rw_gomp_cur RW_TLS;
__thread uintptr_t rw_gomp_spawn_pc RW_TLS;

RW_DECLARE_REAL(int, omp_get_num_threads, void);

static void region_body(void *p)
{
    rw_gomp_team *team = p;
    rw_gomp_ctx ctx = { .team = team, .reducing = team->reducing,
                        .units = { .frame_top = (uintptr_t)__builtin_frame_address(0) } };
    ctx.children = ctx.dep_scope = (uintptr_t)&ctx;
    rw_gomp_ctx *outer = rw_gomp_cur;
    int master = 0;
    rw_thread *t = rw_enter();
    if (t) {
        master = t == team->master;
        rw_leave();
        unsigned n = (unsigned)RW_RESOLVE(omp_get_num_threads)();
        if (master)
            rw_pool_handout(n - 1); /* before it can wait for them */
        else
            rw_pool_take();
        t = rw_enter();
        if (t) {
            __atomic_store_n(&team->nthreads, n, __ATOMIC_RELAXED);
            rw_sync_reset(ctx.children);
            rw_sync_reset((uintptr_t)&ctx.units.key);
            rw_sync_acquire_at(t, (uintptr_t)&team->fork);
            rw_leave();
        }
    }
    rw_gomp_cur = &ctx;
    uintptr_t spawn_pc = rw_gomp_spawn_pc;
    rw_gomp_spawn_pc = 0; /* the body's own pthread_create calls are its own */
    team->fn(team->data);
    rw_gomp_units_close(); /* a cancelled construct may leave one open */
    rw_gomp_spawn_pc = spawn_pc;
    rw_gomp_cur = outer;
    t = rw_enter();
    if (!t)
        return;
    rw_sync_release_at(t, (uintptr_t)&team->end);
    rw_leave();
    unsigned n = __atomic_load_n(&team->nthreads, __ATOMIC_RELAXED);
    rw_barrier_count_once(&team->end, n);
    if (master) {
        team->master_end_blocked =
            rw_block_begin(RW_WAIT_BARRIER, "omp parallel end", &team->end, NULL, team->pc);
    } else {
        rw_barrier_arrive(&team->end);
        rw_block_begin_at(RW_WAIT_IDLE, "omp idle", NULL, NULL, team->pc);
    }
}

/* Before libgomp starts the team: the master's side of the start edge. */
static void team_begin(rw_gomp_team *team, void (*fn)(void *), void *data, uintptr_t pc,
                       const void *real)
{
    rw_hb_floor_freeze(); /* a fiber may start from a clock made now */
    team->first_word = NULL;
    team->fn = fn;
    team->data = data;
    team->master = NULL;
    team->pc = pc - 1; /* inside the call: its line is the region's */
    team->nthreads = 0;
    team->master_end_blocked = 0;
    team->reducing = 0;
    if (RW_UNLIKELY(rw_ignored_lib_len == 0))
        rw_ignore_calls_from_lib_of(real);
    rw_thread *t = rw_enter();
    if (!t)
        return;
    team->master = t;
    /* The team lives on our stack, where earlier teams lived: forget
     * their clocks and barrier counts. */
    rw_sync_reset((uintptr_t)&team->round_clock[0]);
    rw_sync_reset((uintptr_t)&team->round_clock[1]);
    rw_sync_reset((uintptr_t)&team->end);
    rw_sync_reset((uintptr_t)&team->copy);
    rw_sync_reset((uintptr_t)&team->ordered);
    rw_sync_release_store_at(t, (uintptr_t)&team->fork);
    rw_leave();
    rw_barrier_set_count(&team->barrier, 0);
    rw_barrier_set_count(&team->end, 0);
    team->outer_spawn_pc = rw_gomp_spawn_pc;
    rw_gomp_spawn_pc = pc;
}

/* libgomp returned: every thread of the team has finished. */
static void team_end(rw_gomp_team *team)
{
    rw_gomp_spawn_pc = team->outer_spawn_pc;
    if (team->master_end_blocked)
        rw_block_end(RW_WAIT_BARRIER, &team->end);
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_acquire_at(t, (uintptr_t)&team->end);
        /* Tasks that ended after the last barrier. */
        rw_sync_acquire_at(t, (uintptr_t)&team->round_clock[0]);
        rw_sync_acquire_at(t, (uintptr_t)&team->round_clock[1]);
        rw_leave();
    }
}

typedef void (*body_fn)(void *);

RW_DECLARE_REAL(void, GOMP_parallel, body_fn, void *, unsigned, unsigned);
RW_EXPORT void GOMP_parallel(body_fn fn, void *data, unsigned nthreads, unsigned flags)
{
    rw_gomp_team team;
    RW_RESOLVE(GOMP_parallel);
    team_begin(&team, fn, data, RW_CALLER_PC(), (const void *)RW_REAL(GOMP_parallel));
    RW_REAL(GOMP_parallel)(region_body, &team, nthreads, flags);
    team_end(&team);
}

/* Task reductions: libgomp reads the first word of data (the reduction
 * table), which the team copies. */
RW_DECLARE_REAL(unsigned, GOMP_parallel_reductions, body_fn, void *, unsigned, unsigned);
RW_EXPORT unsigned GOMP_parallel_reductions(body_fn fn, void *data, unsigned nthreads,
                                            unsigned flags)
{
    rw_gomp_team team;
    RW_RESOLVE(GOMP_parallel_reductions);
    team_begin(&team, fn, data, RW_CALLER_PC(), (const void *)RW_REAL(GOMP_parallel_reductions));
    team.first_word = *(void **)data;
    team.reducing = 1;
    unsigned r = RW_REAL(GOMP_parallel_reductions)(region_body, &team, nthreads, flags);
    team_end(&team);
    return r;
}

RW_DECLARE_REAL(void, GOMP_parallel_sections, body_fn, void *, unsigned, unsigned, unsigned);
RW_EXPORT void GOMP_parallel_sections(body_fn fn, void *data, unsigned nthreads, unsigned count,
                                      unsigned flags)
{
    rw_gomp_team team;
    RW_RESOLVE(GOMP_parallel_sections);
    team_begin(&team, fn, data, RW_CALLER_PC(), (const void *)RW_REAL(GOMP_parallel_sections));
    RW_REAL(GOMP_parallel_sections)(region_body, &team, nthreads, count, flags);
    team_end(&team);
}

/* The combined parallel loops: with a chunk size, and the runtime
 * schedules without one. */
#define PARALLEL_LOOP(name)                                                                   \
    RW_DECLARE_REAL(void, name, body_fn, void *, unsigned, long, long, long, long, unsigned); \
    RW_EXPORT void name(body_fn fn, void *data, unsigned nthreads, long start, long end,     \
                        long incr, long chunk, unsigned flags)                               \
    {                                                                                         \
        rw_gomp_team team;                                                                    \
        RW_RESOLVE(name);                                                                     \
        team_begin(&team, fn, data, RW_CALLER_PC(), (const void *)RW_REAL(name));             \
        RW_REAL(name)(region_body, &team, nthreads, start, end, incr, chunk, flags);          \
        team_end(&team);                                                                      \
    }
#define PARALLEL_LOOP_RUNTIME(name)                                                           \
    RW_DECLARE_REAL(void, name, body_fn, void *, unsigned, long, long, long, unsigned);       \
    RW_EXPORT void name(body_fn fn, void *data, unsigned nthreads, long start, long end,     \
                        long incr, unsigned flags)                                            \
    {                                                                                         \
        rw_gomp_team team;                                                                    \
        RW_RESOLVE(name);                                                                     \
        team_begin(&team, fn, data, RW_CALLER_PC(), (const void *)RW_REAL(name));             \
        RW_REAL(name)(region_body, &team, nthreads, start, end, incr, flags);                 \
        team_end(&team);                                                                      \
    }

PARALLEL_LOOP(GOMP_parallel_loop_static)
PARALLEL_LOOP(GOMP_parallel_loop_dynamic)
PARALLEL_LOOP(GOMP_parallel_loop_guided)
PARALLEL_LOOP(GOMP_parallel_loop_nonmonotonic_dynamic)
PARALLEL_LOOP(GOMP_parallel_loop_nonmonotonic_guided)
PARALLEL_LOOP_RUNTIME(GOMP_parallel_loop_runtime)
PARALLEL_LOOP_RUNTIME(GOMP_parallel_loop_nonmonotonic_runtime)
PARALLEL_LOOP_RUNTIME(GOMP_parallel_loop_maybe_nonmonotonic_runtime)
