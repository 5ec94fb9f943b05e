/* ompt_mutex.c: OpenMP's mutual exclusion under libomp: critical,
 * atomic (the ones libomp does with a lock, e.g. long double), ordered,
 * from OMPT's mutex_acquired / mutex_released callbacks (OpenMP 5.1,
 * section 4.5.2.15), and reductions (4.5.2.13, reduction).
 *
 * Each is a mutex to the detector: the acquired callback acquires, the
 * release releases.  libomp calls mutex_released after it has unlocked,
 * when another thread may already hold the lock: its acquire would miss
 * our release.  So the program's own calls that end an ordered section
 * (__kmpc_end_ordered) are intercepted and release *before* the real
 * unlock; the late callback then only releases what was not released
 * yet.  Critical sections are keyed by their name (crit) and handled
 * entirely by intercepting __kmpc_critical(_with_hint) (acquire after)
 * and __kmpc_end_critical (release before): libomp's wait_id for them is
 * its own lock object, which for its default locks is not crit.  omp_*_lock are intercepted for both runtimes
 * (intercept_omp_lock.c), which also gives the deadlock checks their
 * holder: the lock kinds of the callbacks are ignored here.
 *
 * A reduction: libomp combines the threads' private copies inside its
 * own barrier or lock (with tree reduction, a thread reads another's
 * copy before the barrier's edges reach it).  The combination is the
 * runtime's business: accesses between the reduction callback's begin
 * and end are not recorded, as ThreadSanitizer's Archer does.  The same
 * holds for the private copies of a task reduction on a parallel or
 * work-sharing construct (reduction(task, ...)): inside
 * __kmpc_taskred_modifier_init the first thread of the team initializes
 * every thread's copy while the others spin on a flag libomp stores with
 * release, an edge no callback reports; the accesses made inside that
 * call are not recorded, so a thread's first write to its own copy is
 * not a race with that initialization (tests/openmp reduction_clean, under
 * libomp). */
#include "runtime/ompt.h"

#include "detector/syncvar.h"

/* The critical/ordered key this thread released before unlocking, so the
 * late callback skips it. */
static __thread uintptr_t released_early RW_TLS;

static uintptr_t ordered_key(void)
{
    rw_ompt_task *it = rw_ompt_cur;
    return it && it->team ? (uintptr_t)&it->team->ordered : 0;
}

void rw_ompt_mutex_acquired(int kind, ompt_wait_id wait_id, const void *codeptr)
{
    (void)codeptr;
    uintptr_t key;
    switch (kind) {
    case OMPT_MUTEX_ATOMIC:
        key = (uintptr_t)wait_id;
        break;
    case OMPT_MUTEX_ORDERED:
        key = ordered_key();
        break;
    default:
        return; /* critical: the interceptors below; omp locks: intercept_omp_lock.c */
    }
    if (!key)
        return;
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_sync_acquire_at(t, key);
    rw_leave();
}

void rw_ompt_mutex_released(int kind, ompt_wait_id wait_id, const void *codeptr)
{
    (void)codeptr;
    uintptr_t key;
    switch (kind) {
    case OMPT_MUTEX_ATOMIC:
        key = (uintptr_t)wait_id;
        break;
    case OMPT_MUTEX_ORDERED:
        key = ordered_key();
        break;
    default:
        return;
    }
    if (!key)
        return;
    if (key == released_early) {
        released_early = 0;
        return;
    }
    released_early = 0;
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_sync_release_at(t, key);
    rw_leave();
}

static void release_before_unlock(uintptr_t key)
{
    if (!key || !rw_ompt_active)
        return;
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_sync_release_store_at(t, key);
    rw_leave();
    released_early = key;
}

/* A critical section is keyed by its name's lock word (crit): libomp's
 * wait_id is the lock itself, which for its default (indirect) locks is
 * another address, known only inside libomp. */
static void acquired_critical(void *crit)
{
    if (!rw_ompt_active)
        return;
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_sync_acquire_at(t, (uintptr_t)crit);
    rw_leave();
}

RW_DECLARE_REAL(void, __kmpc_critical, void *, int32_t, void *);
RW_EXPORT void __kmpc_critical(void *loc, int32_t gtid, void *crit)
{
    RW_RESOLVE(__kmpc_critical)(loc, gtid, crit);
    acquired_critical(crit);
}

RW_DECLARE_REAL(void, __kmpc_critical_with_hint, void *, int32_t, void *, uint32_t);
RW_EXPORT void __kmpc_critical_with_hint(void *loc, int32_t gtid, void *crit, uint32_t hint)
{
    RW_RESOLVE(__kmpc_critical_with_hint)(loc, gtid, crit, hint);
    acquired_critical(crit);
}

RW_DECLARE_REAL(void, __kmpc_end_critical, void *, int32_t, void *);
RW_EXPORT void __kmpc_end_critical(void *loc, int32_t gtid, void *crit)
{
    release_before_unlock((uintptr_t)crit);
    RW_RESOLVE(__kmpc_end_critical)(loc, gtid, crit);
}

RW_DECLARE_REAL(void, __kmpc_end_ordered, void *, int32_t);
RW_EXPORT void __kmpc_end_ordered(void *loc, int32_t gtid)
{
    release_before_unlock(ordered_key());
    RW_RESOLVE(__kmpc_end_ordered)(loc, gtid);
}

void rw_ompt_reduction(int kind, int endpoint, ompt_data *parallel, ompt_data *task,
                       const void *codeptr)
{
    (void)kind;
    (void)parallel;
    (void)task;
    (void)codeptr;
    rw_thread *t = rw_cur;
    if (!t)
        return;
    if (endpoint == OMPT_SCOPE_BEGIN)
        t->ignore++;
    else if (endpoint == OMPT_SCOPE_END && t->ignore > 0)
        t->ignore--;
}

/* Task reductions' private copies, initialized by one thread of the team
 * for all (see the top of the file). */
static void *reduction_init_unrecorded(void *(*real)(void *, int32_t, int32_t, int32_t, void *),
                                       void *loc, int32_t gtid, int32_t is_ws, int32_t num,
                                       void *data)
{
    rw_thread *t = rw_cur;
    rw_ompt_task *it = rw_ompt_cur;
    if (it && it->implicit) {
        rw_ompt_units_close(it);
        it->reducing = 1; /* its loop chunks stay on the thread (ompt_loop.c) */
    }
    if (t)
        t->ignore++;
    void *tg = real(loc, gtid, is_ws, num, data);
    if (t && t->ignore > 0)
        t->ignore--;
    return tg;
}

RW_DECLARE_REAL(void *, __kmpc_taskred_modifier_init, void *, int32_t, int32_t, int32_t, void *);
RW_EXPORT void *__kmpc_taskred_modifier_init(void *loc, int32_t gtid, int32_t is_ws, int32_t num,
                                             void *data)
{
    return reduction_init_unrecorded(RW_RESOLVE(__kmpc_taskred_modifier_init), loc, gtid, is_ws,
                                     num, data);
}

RW_DECLARE_REAL(void *, __kmpc_task_reduction_modifier_init, void *, int32_t, int32_t, int32_t,
                void *);
RW_EXPORT void *__kmpc_task_reduction_modifier_init(void *loc, int32_t gtid, int32_t is_ws,
                                                    int32_t num, void *data)
{
    return reduction_init_unrecorded(RW_RESOLVE(__kmpc_task_reduction_modifier_init), loc, gtid,
                                     is_ws, num, data);
}

/* The end of a task reduction on a parallel or work-sharing construct:
 * each thread's __kmpc_task_reduction_modifier_fini waits for its
 * taskgroup's tasks (which it may run itself: recorded as usual), then
 * the last thread to arrive, counted by an atomic of libomp's that no
 * callback reports, combines every thread's copy.  The combination is the
 * runtime's business, as for other reductions: from the end of the
 * taskgroup's wait (sync_region_wait, ompt_team.c) until the call
 * returns, the thread's accesses are not recorded. */
static __thread int in_modifier_fini RW_TLS;
static __thread rw_thread *combining RW_TLS;

void rw_ompt_taskgroup_wait_done(void)
{
    rw_thread *t = rw_cur;
    if (in_modifier_fini && !combining && t) {
        t->ignore++;
        combining = t;
    }
}

RW_DECLARE_REAL(void, __kmpc_task_reduction_modifier_fini, void *, int32_t, int32_t);
RW_EXPORT void __kmpc_task_reduction_modifier_fini(void *loc, int32_t gtid, int32_t is_ws)
{
    rw_ompt_task *it = rw_ompt_cur;
    if (it && it->implicit)
        it->reducing = 0;
    in_modifier_fini++;
    RW_RESOLVE(__kmpc_task_reduction_modifier_fini)(loc, gtid, is_ws);
    in_modifier_fini--;
    if (!in_modifier_fini && combining) {
        if (combining->ignore > 0)
            combining->ignore--;
        combining = NULL;
    }
}
