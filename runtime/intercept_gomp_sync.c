/* intercept_gomp_sync.c: OpenMP's synchronization inside a region under
 * libgomp: barriers, critical and atomic sections, ordered sections and
 * single's copyprivate.
 *
 *   barrier   GOMP_barrier, and the implicit barriers at the end of a
 *             work-sharing construct without nowait (GOMP_loop_end,
 *             GOMP_sections_end; a static loop or a single ends with a
 *             plain GOMP_barrier): every thread releases into the round's
 *             key before waiting and acquires it after (rounds alternate
 *             between two keys, gomp.h).  Tasks that finish release into
 *             both (intercept_gomp_task.c): a barrier waits for them.
 *             The wait is registered with the deadlock checks as a
 *             barrier of the team's size; the _cancel variants are not
 *             (a cancelled region leaves its barriers unmatched).
 *   critical  GOMP_critical_start/end (one process-wide lock),
 *             GOMP_critical_name_start/end (one per name: the address of
 *             the name's pointer), GOMP_atomic_start/end (what gcc emits
 *             for atomics and reductions it cannot do in one instruction):
 *             a mutex each: acquire after the start, release before the
 *             end.
 *   ordered   GOMP_ordered_start/end: the ordered sections of a loop run
 *             one after the other in iteration order: a lock again, the
 *             team's ordered key.
 *   copy      GOMP_single_copy_end(data) publishes the single thread's
 *             data, which GOMP_single_copy_start returns to the others:
 *             release before, acquire after.
 * Work-sharing itself (GOMP_loop_*_start/next, GOMP_sections_start/next,
 * GOMP_single_start, the _nowait ends) orders nothing between threads. */
#include "runtime/rt.h"

#include <stdbool.h>

#include "detector/syncvar.h"
#include "detector/waitfor.h"
#include "runtime/gomp.h"

static void release_to(uintptr_t key, int store)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    if (store)
        rw_sync_release_store_at(t, key);
    else
        rw_sync_release_at(t, key);
    rw_leave();
}

static void acquire_from(uintptr_t key)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_sync_acquire_at(t, key);
    rw_leave();
}

/* --- barriers ----------------------------------------------------------- */

/* Arrive: release, and register the wait unless it may be cancelled.
 * Returns 1 if registered. */
static uintptr_t round_key(rw_gomp_team *team)
{
    return (uintptr_t)&team->round_clock[rw_gomp_cur->rounds & 1];
}

static int barrier_arrive(rw_gomp_team *team, int cancellable, uintptr_t pc)
{
    release_to(round_key(team), 0);
    if (cancellable || !rw_cur)
        return 0;
    rw_barrier_count_once(&team->barrier, __atomic_load_n(&team->nthreads, __ATOMIC_RELAXED));
    return rw_block_begin(RW_WAIT_BARRIER, "omp barrier", &team->barrier, NULL, pc);
}

static void barrier_depart(rw_gomp_team *team, int blocked)
{
    if (blocked)
        rw_block_end(RW_WAIT_BARRIER, &team->barrier);
    acquire_from(round_key(team));
    rw_gomp_cur->rounds++;
}

#define BARRIER(name)                                                  \
    RW_DECLARE_REAL(void, name, void);                                 \
    RW_EXPORT void name(void)                                          \
    {                                                                  \
        rw_gomp_team *team = rw_gomp_team_now();                       \
        if (!team) {                                                   \
            RW_RESOLVE(name)();                                        \
            return;                                                    \
        }                                                              \
        rw_gomp_units_close();                                         \
        int blocked = barrier_arrive(team, 0, RW_CALLER_PC());         \
        RW_RESOLVE(name)();                                            \
        barrier_depart(team, blocked);                                 \
    }
#define BARRIER_CANCEL(name)                                           \
    RW_DECLARE_REAL(bool, name, void);                                 \
    RW_EXPORT bool name(void)                                          \
    {                                                                  \
        rw_gomp_team *team = rw_gomp_team_now();                       \
        if (!team)                                                     \
            return RW_RESOLVE(name)();                                 \
        rw_gomp_units_close();                                         \
        barrier_arrive(team, 1, RW_CALLER_PC());                       \
        bool cancelled = RW_RESOLVE(name)();                           \
        barrier_depart(team, 0);                                       \
        return cancelled;                                              \
    }

BARRIER(GOMP_barrier)
BARRIER(GOMP_loop_end)
BARRIER(GOMP_sections_end)
BARRIER_CANCEL(GOMP_barrier_cancel)
BARRIER_CANCEL(GOMP_loop_end_cancel)
BARRIER_CANCEL(GOMP_sections_end_cancel)

/* --- critical, atomic, ordered ------------------------------------------ */

static char critical_key; /* the unnamed critical section */
static char atomic_key;   /* GOMP_atomic_start/end */

RW_DECLARE_REAL(void, GOMP_critical_start, void);
RW_DECLARE_REAL(void, GOMP_critical_end, void);
RW_DECLARE_REAL(void, GOMP_critical_name_start, void **);
RW_DECLARE_REAL(void, GOMP_critical_name_end, void **);
RW_DECLARE_REAL(void, GOMP_atomic_start, void);
RW_DECLARE_REAL(void, GOMP_atomic_end, void);
RW_DECLARE_REAL(void, GOMP_ordered_start, void);
RW_DECLARE_REAL(void, GOMP_ordered_end, void);

RW_EXPORT void GOMP_critical_start(void)
{
    RW_RESOLVE(GOMP_critical_start)();
    acquire_from((uintptr_t)&critical_key);
}

RW_EXPORT void GOMP_critical_end(void)
{
    release_to((uintptr_t)&critical_key, 1);
    RW_RESOLVE(GOMP_critical_end)();
}

RW_EXPORT void GOMP_critical_name_start(void **name)
{
    RW_RESOLVE(GOMP_critical_name_start)(name);
    acquire_from((uintptr_t)name);
}

RW_EXPORT void GOMP_critical_name_end(void **name)
{
    release_to((uintptr_t)name, 1);
    RW_RESOLVE(GOMP_critical_name_end)(name);
}

RW_EXPORT void GOMP_atomic_start(void)
{
    RW_RESOLVE(GOMP_atomic_start)();
    acquire_from((uintptr_t)&atomic_key);
}

RW_EXPORT void GOMP_atomic_end(void)
{
    release_to((uintptr_t)&atomic_key, 1);
    RW_RESOLVE(GOMP_atomic_end)();
}

RW_EXPORT void GOMP_ordered_start(void)
{
    RW_RESOLVE(GOMP_ordered_start)();
    rw_gomp_team *team = rw_gomp_team_now();
    if (team)
        acquire_from((uintptr_t)&team->ordered);
}

RW_EXPORT void GOMP_ordered_end(void)
{
    rw_gomp_team *team = rw_gomp_team_now();
    if (team)
        release_to((uintptr_t)&team->ordered, 1);
    RW_RESOLVE(GOMP_ordered_end)();
}

/* --- single copyprivate ------------------------------------------------- */

RW_DECLARE_REAL(void *, GOMP_single_copy_start, void);
RW_DECLARE_REAL(void, GOMP_single_copy_end, void *);

RW_EXPORT void *GOMP_single_copy_start(void)
{
    void *data = RW_RESOLVE(GOMP_single_copy_start)();
    rw_gomp_team *team = rw_gomp_team_now();
    if (data && team)
        acquire_from((uintptr_t)&team->copy);
    else if (!data)
        rw_gomp_single_begin(); /* this thread runs the block */
    return data;
}

RW_EXPORT void GOMP_single_copy_end(void *data)
{
    rw_gomp_team *team = rw_gomp_team_now();
    if (team)
        release_to((uintptr_t)&team->copy, 1);
    RW_RESOLVE(GOMP_single_copy_end)(data);
}
