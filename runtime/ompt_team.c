/* ompt_team.c: OpenMP parallel regions and barriers under libomp, from
 * OMPT's parallel_begin/end, implicit_task and sync_region callbacks
 * (OpenMP 5.1, sections 4.5.2.3, 4.5.2.4, 4.5.2.11, 4.5.2.13).  The
 * edges are those of the libgomp side (docs/openmp.md):
 *
 *   start    parallel_begin (on the encountering thread, before libomp
 *            wakes or creates the team's threads) releases into the
 *            team's fork key; each implicit task's begin acquires it.
 *   barrier  every thread releases into the round's key when it arrives
 *            (sync_region begin) and acquires it when it leaves (end);
 *            rounds alternate between two keys (gomp.h says why).
 *            Explicit tasks that end release into both keys.
 *   end      the region's last barrier (the join barrier) is an arrival
 *            at the team's end key; the master acquires it, and both
 *            round keys (tasks that ended after the last barrier), at
 *            parallel_end, which libomp reports once every thread has
 *            arrived.
 *
 * libomp reports the join barrier as an implicit barrier (kind
 * barrier_implicit in libomp 14, barrier_implicit_parallel in OpenMP
 * 5.1's terms); libomp 14 tells it from a work-sharing construct's
 * barrier only by the thread's state (overhead, not work_parallel).
 * A worker's join barrier ends, and its implicit task ends, only when
 * the worker is woken for the next region: by then the team is freed,
 * so those callbacks never touch it.
 *
 * Deadlocks, as on the libgomp side: a barrier wait is registered as a
 * barrier of the team's size ("omp barrier"); at the join barrier the
 * master waits ("omp parallel end") while a worker only arrives and goes
 * idle ("omp idle": only a thread starting a region can wake it; the
 * master hands out its region's jobs and each worker takes one as its
 * implicit task begins, rw_pool_handout / rw_pool_take).  The threads
 * libomp creates for a team say they were created at the region's line
 * (rw_gomp_spawn_pc). */
#include "runtime/ompt.h"

#include "detector/syncvar.h"
#include "detector/waitfor.h"

__thread rw_ompt_task *rw_ompt_cur RW_TLS;

/* Enough jobs for every pool thread to count as able to go on. */
#define POOL_SHUTDOWN_JOBS (1u << 24)

static void release_to(uintptr_t key)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
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

void rw_ompt_parallel_begin(ompt_data *encountering_task, const ompt_frame *frame,
                            ompt_data *parallel, unsigned requested, int flags,
                            const void *codeptr)
{
    (void)encountering_task;
    (void)frame;
    (void)requested;
    (void)flags;
    rw_ompt_team *team = rw_ompt_alloc(sizeof *team);
    parallel->ptr = team;
    if (!team)
        return;
    team->pc = codeptr ? (uintptr_t)codeptr - 1 : 0; /* inside the call: the region's line */
    rw_thread *t = rw_enter();
    if (t) {
        /* Our records are reused memory: forget earlier teams' clocks. */
        rw_sync_reset((uintptr_t)&team->round_clock[0]);
        rw_sync_reset((uintptr_t)&team->round_clock[1]);
        rw_sync_reset((uintptr_t)&team->end);
        rw_sync_reset((uintptr_t)&team->ordered);
        rw_sync_release_store_at(t, (uintptr_t)&team->fork);
        rw_leave();
    }
    rw_barrier_set_count(&team->barrier, 0);
    rw_barrier_set_count(&team->end, 0);
    team->outer_spawn_pc = rw_gomp_spawn_pc;
    if (codeptr)
        rw_gomp_spawn_pc = (uintptr_t)codeptr;
}

void rw_ompt_parallel_end(ompt_data *parallel, ompt_data *encountering_task, int flags,
                          const void *codeptr)
{
    (void)encountering_task;
    (void)flags;
    (void)codeptr;
    rw_ompt_team *team = parallel->ptr;
    if (!team)
        return;
    parallel->ptr = NULL;
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_acquire_at(t, (uintptr_t)&team->end);
        rw_sync_acquire_at(t, (uintptr_t)&team->round_clock[0]);
        rw_sync_acquire_at(t, (uintptr_t)&team->round_clock[1]);
        rw_leave();
    }
    rw_ompt_free(team);
}

void rw_ompt_implicit_task(int endpoint, ompt_data *parallel, ompt_data *task,
                           unsigned actual_parallelism, unsigned index, int flags)
{
    if (endpoint == OMPT_SCOPE_END) {
        rw_ompt_task *it = task ? task->ptr : NULL;
        if (!it)
            return;
        task->ptr = NULL;
        if (rw_ompt_cur == it)
            rw_ompt_cur = NULL;
        /* The program's initial task ends when libomp shuts down (at
         * exit): it wakes its idle pool threads to end them and joins
         * them. */
        if ((flags & OMPT_TASK_INITIAL) && !it->league)
            rw_pool_handout(POOL_SHUTDOWN_JOBS);
        rw_ompt_free(it);
        return;
    }
    rw_ompt_task *it = rw_ompt_alloc(sizeof *it);
    task->ptr = it;
    if (!it)
        return;
    it->implicit = 1;
    it->league = (flags & OMPT_TASK_INITIAL) && parallel && parallel->ptr;
    it->started = 1;
    it->index = index;
    rw_ompt_cur = it;
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_reset((uintptr_t)&it->children);
        rw_sync_reset((uintptr_t)&it->units.key);
        rw_leave();
    }
    rw_ompt_team *team = parallel ? parallel->ptr : NULL;
    if (flags & OMPT_TASK_INITIAL) {
        /* The program's initial task has no team; a teams league's
         * initial tasks start from the league's fork, and nothing
         * else of a team applies to them. */
        if (team)
            acquire_from((uintptr_t)&team->fork);
        return;
    }
    it->team = team;
    if (!team)
        return;
    unsigned n = actual_parallelism ? actual_parallelism : 1;
    __atomic_store_n(&team->nthreads, n, __ATOMIC_RELAXED);
    if (index == 0) {
        rw_gomp_spawn_pc = team->outer_spawn_pc; /* the team is made */
        rw_pool_handout(n - 1);                  /* before it can wait for them */
    } else {
        rw_pool_take();
    }
    acquire_from((uintptr_t)&team->fork);
}

static int is_barrier(int kind)
{
    switch (kind) {
    case OMPT_SYNC_BARRIER:
    case OMPT_SYNC_BARRIER_IMPLICIT:
    case OMPT_SYNC_BARRIER_EXPLICIT:
    case OMPT_SYNC_BARRIER_IMPLEMENTATION:
    case OMPT_SYNC_BARRIER_IMPLICIT_WORKSHARE:
    case OMPT_SYNC_BARRIER_IMPLICIT_PARALLEL:
        return 1;
    }
    return 0;
}

/* The region's join barrier, at its beginning.  libomp 14 reports the
 * join of a region nested in a teams construct as an implementation
 * barrier without a parallel region. */
static int is_join_barrier(int kind, const ompt_data *parallel)
{
    if (kind == OMPT_SYNC_BARRIER_IMPLICIT_PARALLEL)
        return 1;
    if (kind == OMPT_SYNC_BARRIER_IMPLEMENTATION && (!parallel || !parallel->ptr))
        return 1;
    if (kind != OMPT_SYNC_BARRIER_IMPLICIT && kind != OMPT_SYNC_BARRIER)
        return 0;
    ompt_wait_id wait = 0;
    return rw_ompt_get_state && rw_ompt_get_state(&wait) == RW_OMPT_STATE_OVERHEAD;
}

static uintptr_t round_key(rw_ompt_task *it)
{
    return (uintptr_t)&it->team->round_clock[it->rounds & 1];
}

static void barrier_begin(rw_ompt_task *it, int kind, const ompt_data *parallel,
                          const void *codeptr)
{
    rw_ompt_team *team = it->team;
    unsigned n = __atomic_load_n(&team->nthreads, __ATOMIC_RELAXED);
    rw_ompt_units_close(it); /* a unit still open (never expected) ends here */
    if (is_join_barrier(kind, parallel)) {
        it->in_join = 1;
        release_to((uintptr_t)&team->end);
        if (!rw_cur)
            return;
        rw_barrier_count_once(&team->end, n);
        if (it->index == 0) {
            it->barrier_blocked = rw_block_begin(RW_WAIT_BARRIER, "omp parallel end", &team->end,
                                                 NULL, (uintptr_t)codeptr);
        } else {
            rw_barrier_arrive(&team->end);
            rw_block_begin_at(RW_WAIT_IDLE, "omp idle", NULL, NULL, team->pc);
        }
        return;
    }
    release_to(round_key(it));
    if (!rw_cur)
        return;
    rw_barrier_count_once(&team->barrier, n);
    it->barrier_blocked =
        rw_block_begin(RW_WAIT_BARRIER, "omp barrier", &team->barrier, NULL, (uintptr_t)codeptr);
}

static void barrier_end(rw_ompt_task *it)
{
    if (it->in_join) {
        /* The team may be gone (a worker hears of it at the next region). */
        it->in_join = 0;
        if (it->barrier_blocked)
            rw_block_end(RW_WAIT_BARRIER, NULL);
        it->barrier_blocked = 0;
        return;
    }
    if (it->barrier_blocked)
        rw_block_end(RW_WAIT_BARRIER, &it->team->barrier);
    it->barrier_blocked = 0;
    acquire_from(round_key(it));
    it->rounds++;
}

/* Task synchronization (taskwait, taskgroup): ompt_task.c. */
void rw_ompt_task_sync(rw_ompt_task *it, int kind, int endpoint);
void rw_ompt_task_wait_end(rw_ompt_task *it, int kind);

void rw_ompt_sync_region(int kind, int endpoint, ompt_data *parallel, ompt_data *task,
                         const void *codeptr)
{
    rw_ompt_task *it = task ? task->ptr : NULL;
    if (!it)
        return;
    if (is_barrier(kind)) {
        if (!it->team || !it->implicit)
            return;
        if (endpoint == OMPT_SCOPE_BEGIN)
            barrier_begin(it, kind, parallel, codeptr);
        else if (endpoint == OMPT_SCOPE_END)
            barrier_end(it);
        return;
    }
    rw_ompt_task_sync(it, kind, endpoint);
}

/* The end of a taskwait's or taskgroup's wait: libomp combines a
 * taskgroup's task reductions after it and before the region's end. */
void rw_ompt_sync_region_wait(int kind, int endpoint, ompt_data *parallel, ompt_data *task,
                              const void *codeptr)
{
    (void)parallel;
    (void)codeptr;
    rw_ompt_task *it = task ? task->ptr : NULL;
    if (it && endpoint == OMPT_SCOPE_END) {
        rw_ompt_task_wait_end(it, kind);
        if (kind == OMPT_SYNC_TASKGROUP)
            rw_ompt_taskgroup_wait_done();
    }
}
