/* ompt_task.c: OpenMP explicit tasks under libomp, from OMPT's
 * task_create, task_schedule, dependences and sync_region (taskwait,
 * taskgroup) callbacks (OpenMP 5.1, sections 4.5.2.7 to 4.5.2.10 and
 * 4.5.2.13).  The edges are those of the libgomp side (docs/openmp.md):
 *
 *   creation  task_create (on the creating thread, once the program has
 *             filled the task's data) releases into the task's created
 *             key; the task's first schedule acquires it.
 *   end       a task that completes (task_schedule with prior status
 *             complete, or detach) releases into its parent's children
 *             key (taskwait acquires it), the taskgroup it belongs to (a
 *             task belongs to the innermost taskgroup of the task that
 *             made it, so descendants join too; taskgroup's end acquires
 *             it), its team's barrier keys, and its dependences' keys.
 *   depend    per parent task and address, a writer (out, inout,
 *             mutexinoutset, inoutset) releases into the address's "out"
 *             key, a reader into its "in" key; a reader's start acquires
 *             "out", a writer's both: a task is ordered after every
 *             earlier sibling it depends on, two readers never.
 *
 * Tasks as fibers (detector/thread.h, runtime/gomp_fiber.c): OpenMP does
 * not order two tasks one thread happens to run one after the other, nor
 * a deferred task with the code its thread runs around it.  So a
 * deferred explicit task, in a team of several threads, gets a clock of
 * its own when it first runs (starting from its creation edge), current
 * on the thread (rw_cur) while it runs.  task_schedule says when the
 * thread leaves a task and for which: a completed task's fiber finishes
 * (its end releases are done on it), a suspended one (taskwait, taskyield
 * in its body) is put aside and made current again when it is scheduled
 * back; between tasks the thread runs on its own rw_thread (the host).
 * Undeferred and included tasks (if(0), final) run on the host: their
 * creator waits for them, which program order says.
 *
 * libomp runs queued tasks inside barriers and taskwaits: a thread whose
 * barrier wait is registered puts the wait aside while a task runs
 * (rw_wait_suspend) and takes it up again when the task completes.
 *
 * A task's data lives in a block libomp allocates in
 * __kmpc_omp_task_alloc and recycles on its own free lists, ordered by
 * atomics we never see: the program (clang's code) writes the new task's
 * data into memory an earlier task, on another thread, read.  Like a
 * fresh malloc, the block's shadow is cleared when libomp hands it out
 * (the interceptor below; the sizes are its arguments). */
#include "runtime/ompt.h"

#include "detector/shadow.h"
#include "detector/syncvar.h"
#include "runtime/gomp.h"

/* Where a starting task's frames will be: below the frame of libomp's
 * call into it, the task's exit frame (OMPT's task frame, set before the
 * task_schedule callback); gomp_fiber.c clears the dead stack below it at
 * a fiber's start and end.  Without it, a guess above our own frame. */
#define TASK_FRAME_SLACK 512
/* A task that could not get a fiber (no slot left) runs on its host's
 * clock, but its frames may take the place of dead frames of a fiber put
 * aside at a scheduling point (a taskwait in its body: it resumes later,
 * and its deeper calls then take the place of the task's frames): that
 * history is dead, and is cleared as at a fiber's start and end
 * (rw_gomp_clear_dead_stack).  With no fiber put aside on the thread
 * there is nothing to clear: a fiber that ended cleared its frames, and
 * the rest is the host's own history.  The scan for history below the
 * frame was a fifth of a small task's cost under libomp (DataRaceBench's
 * DRB105, where fiber slots run out and most tasks run on their host). */
static __thread unsigned fibers_parked RW_TLS;

/* The thread puts the task's fiber aside (the task waits) or takes it up
 * again. */
static void fiber_park(rw_ompt_task *it)
{
    it->parked_on = &fibers_parked;
    __atomic_fetch_add(&fibers_parked, 1, __ATOMIC_RELAXED);
}

static void fiber_unpark(rw_ompt_task *it, uintptr_t frame)
{
    unsigned *on = it->parked_on;
    if (!on)
        return;
    it->parked_on = NULL;
    __atomic_fetch_sub(on, 1, __ATOMIC_RELAXED);
    if (on != &fibers_parked)
        rw_gomp_clear_dead_stack(frame); /* an untied task, resumed by another thread */
}

static int dead_stack_may_be_foreign(void)
{
    return __atomic_load_n(&fibers_parked, __ATOMIC_RELAXED) != 0;
}

static uintptr_t task_frame(uintptr_t own)
{
    ompt_frame *f = NULL;
    ompt_data *d = NULL;
    if (rw_ompt_get_task_info && rw_ompt_get_task_info(0, NULL, &d, &f, NULL, NULL) && f) {
        uintptr_t exit = (uintptr_t)f->exit_frame.ptr;
        if (exit > own && exit - own < 64 * 1024)
            return exit;
    }
    return own + TASK_FRAME_SLACK;
}

static uintptr_t dep_key(uintptr_t parent, uintptr_t addr, int out)
{
    uintptr_t base = (addr ^ (parent * UINT64_C(0x9E3779B97F4A7C15))) & ((UINT64_C(1) << 62) - 1);
    return base | (out ? UINT64_C(3) << 62 : UINT64_C(2) << 62);
}

void rw_ompt_task_create(ompt_data *encountering_task, const ompt_frame *frame,
                         ompt_data *new_task, int flags, int has_dependences,
                         const void *codeptr)
{
    (void)frame;
    (void)has_dependences;
    (void)codeptr;
    rw_ompt_task *parent = encountering_task ? encountering_task->ptr : NULL;
    rw_ompt_task *task = rw_ompt_alloc(sizeof *task);
    new_task->ptr = task;
    if (!task)
        return;
    if (parent) {
        task->team = parent->team;
        task->parent_children = (uintptr_t)&parent->children;
        task->taskgroup = parent->taskgroup;
        task->may_fiber =
            parent->team && __atomic_load_n(&parent->team->nthreads, __ATOMIC_RELAXED) > 1 &&
            !(flags & (OMPT_TASK_UNDEFERRED | OMPT_TASK_MERGED | OMPT_TASK_TASKWAIT |
                       OMPT_TASK_TARGET));
    }
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_reset((uintptr_t)&task->children);
        rw_sync_release_store_at(t, (uintptr_t)&task->created);
        rw_leave();
    }
}

static int is_out(int type)
{
    return type != OMPT_DEP_IN;
}

void rw_ompt_dependences(ompt_data *task, const ompt_dependence *deps, int ndeps)
{
    rw_ompt_task *it = task ? task->ptr : NULL;
    if (!it || ndeps <= 0 || it->deps)
        return;
    uintptr_t *d = rw_ompt_alloc((size_t)ndeps * sizeof *d);
    if (!d)
        return;
    uint32_t k = 0;
    for (int i = 0; i < ndeps; i++)
        if (is_out(deps[i].dependence_type) && deps[i].dependence_type != OMPT_DEP_SOURCE &&
            deps[i].dependence_type != OMPT_DEP_SINK)
            d[k++] = (uintptr_t)deps[i].variable.ptr;
    it->nout = k;
    for (int i = 0; i < ndeps; i++)
        if (!is_out(deps[i].dependence_type))
            d[k++] = (uintptr_t)deps[i].variable.ptr;
    it->ndeps = k;
    it->deps = d;
}

/* What the task's start acquires: its creation and its dependences. */
static void acquire_start(rw_ompt_task *it)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_sync_acquire_at(t, (uintptr_t)&it->created);
    for (uint32_t i = 0; i < it->ndeps; i++) {
        rw_sync_acquire_at(t, dep_key(it->parent_children, it->deps[i], 1));
        if (i < it->nout)
            rw_sync_acquire_at(t, dep_key(it->parent_children, it->deps[i], 0));
    }
    rw_leave();
}

/* The task begins to run on this thread (its host: rw_cur). */
static void task_start(rw_ompt_task *it, uintptr_t frame)
{
    it->started = 1;
    it->suspended = rw_wait_suspend(&it->wait);
    if (it->may_fiber && rw_gomp_fiber_begin((uintptr_t)&it->created, frame, &it->host))
        it->fiber = rw_cur;
    else if (it->may_fiber && dead_stack_may_be_foreign())
        rw_gomp_clear_dead_stack(frame);
    acquire_start(it);
}

/* Its body is done. */
static void task_end(rw_ompt_task *it, uintptr_t frame)
{
    it->ended = 1;
    rw_thread *t = rw_enter();
    if (t) {
        if (it->team) {
            rw_sync_release_at(t, (uintptr_t)&it->team->round_clock[0]);
            rw_sync_release_at(t, (uintptr_t)&it->team->round_clock[1]);
        }
        if (it->parent_children)
            rw_sync_release_at(t, it->parent_children);
        if (it->taskgroup)
            rw_sync_release_at(t, it->taskgroup);
        for (uint32_t i = 0; i < it->ndeps; i++)
            rw_sync_release_at(t, dep_key(it->parent_children, it->deps[i], i < it->nout));
        rw_leave();
    }
    if (it->fiber) {
        fiber_unpark(it, frame); /* never expected: it ends while put aside */
        if (rw_cur == it->fiber)
            rw_gomp_fiber_end(it->host, frame);
        it->fiber = NULL;
    } else if (it->may_fiber && dead_stack_may_be_foreign()) {
        rw_gomp_clear_dead_stack(frame);
    }
    if (it->suspended) {
        it->suspended = 0;
        rw_wait_resume(&it->wait);
    }
}

static void task_free(ompt_data *data, rw_ompt_task *it)
{
    data->ptr = NULL;
    if (it->deps)
        rw_ompt_free(it->deps);
    rw_ompt_free(it);
}

void rw_ompt_task_schedule(ompt_data *prior, int prior_status, ompt_data *next)
{
    rw_ompt_task *p = prior ? prior->ptr : NULL;
    rw_ompt_task *n = next ? next->ptr : NULL;
    uintptr_t own = (uintptr_t)__builtin_frame_address(0);
    uintptr_t frame = p && p->frame ? p->frame : own + TASK_FRAME_SLACK;
    if (p && !p->implicit) {
        switch (prior_status) {
        case OMPT_TASK_COMPLETE:
        case OMPT_TASK_CANCEL:
            if (!p->ended)
                task_end(p, frame);
            task_free(prior, p);
            break;
        case OMPT_TASK_DETACH:
            task_end(p, frame); /* freed when fulfilled */
            break;
        case OMPT_TASKWAIT_COMPLETE:
            /* `taskwait depend(...)`, or an if(0) task with dependences:
             * a stand-in task that never runs; the encountering thread
             * (this one) waits for the sibling tasks it depends on. */
            acquire_start(p);
            task_free(prior, p);
            break;
        case OMPT_TASK_LATE_FULFILL:
            if (p->ended)
                task_free(prior, p);
            break;
        default:
            /* Suspended (taskwait or taskyield in its body): the thread
             * goes back to its own clock until the task is resumed. */
            if (p->fiber && rw_cur == p->fiber) {
                rw_set_current_thread(p->host);
                fiber_park(p);
            }
            break;
        }
    }
    if (n) {
        rw_ompt_cur = n;
        if (!n->started) {
            n->frame = task_frame(own);
            task_start(n, n->frame);
        } else if (n->fiber && rw_cur != n->fiber) {
            fiber_unpark(n, task_frame(own));
            n->host = rw_cur;
            rw_set_current_thread(n->fiber);
        }
    }
}

/* taskwait, taskgroup (from ompt_team.c's sync_region callback). */
void rw_ompt_task_sync(rw_ompt_task *it, int kind, int endpoint);
void rw_ompt_task_sync(rw_ompt_task *it, int kind, int endpoint)
{
    if (kind == OMPT_SYNC_TASKWAIT) {
        if (endpoint == OMPT_SCOPE_END) {
            rw_thread *t = rw_enter();
            if (t) {
                rw_sync_acquire_at(t, (uintptr_t)&it->children);
                rw_leave();
            }
        }
        return;
    }
    if (kind != OMPT_SYNC_TASKGROUP)
        return;
    if (endpoint == OMPT_SCOPE_BEGIN) {
        rw_ompt_group *g = rw_ompt_alloc(sizeof *g);
        if (!g)
            return;
        g->outer = it->groups;
        g->inherited = it->taskgroup;
        it->groups = g;
        it->taskgroup = (uintptr_t)g;
        rw_thread *t = rw_enter();
        if (t) {
            rw_sync_reset((uintptr_t)g);
            rw_leave();
        }
    } else if (endpoint == OMPT_SCOPE_END && it->groups) {
        rw_ompt_group *g = it->groups;
        rw_thread *t = rw_enter();
        if (t) {
            rw_sync_acquire_at(t, (uintptr_t)g);
            rw_leave();
        }
        it->taskgroup = g->inherited;
        it->groups = g->outer;
        rw_ompt_free(g);
    }
}

/* A taskwait's or taskgroup's wait is over (before its sync region ends). */
void rw_ompt_task_wait_end(rw_ompt_task *it, int kind);
void rw_ompt_task_wait_end(rw_ompt_task *it, int kind)
{
    uintptr_t key = 0;
    if (kind == OMPT_SYNC_TASKWAIT)
        key = (uintptr_t)&it->children;
    else if (kind == OMPT_SYNC_TASKGROUP && it->groups)
        key = (uintptr_t)it->groups;
    if (!key)
        return;
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_acquire_at(t, key);
        rw_leave();
    }
}

/* --- the task's memory ---------------------------------------------------- */

typedef void *(*task_alloc_fn)(void *loc, int32_t gtid, int32_t flags, size_t sizeof_task,
                               size_t sizeof_shareds, void *entry);
RW_DECLARE_REAL(void *, __kmpc_omp_task_alloc, void *, int32_t, int32_t, size_t, size_t, void *);

/* libomp puts the shareds after the task, rounded up to a pointer's
 * alignment: clear a little more to cover the padding. */
RW_EXPORT void *__kmpc_omp_task_alloc(void *loc, int32_t gtid, int32_t flags, size_t sizeof_task,
                                      size_t sizeof_shareds, void *entry)
{
    void *task = RW_RESOLVE(__kmpc_omp_task_alloc)(loc, gtid, flags, sizeof_task, sizeof_shareds,
                                                   entry);
    /* Cleared as the runtime (rw_enter): the clearing's own memset must
     * not be taken for the program's write of the shadow's memory. */
    if (task && rw_ompt_active && rw_cur && !rw_in_rt) {
        rw_thread *t = rw_enter();
        if (t) {
            rw_shadow_clear((uintptr_t)task, sizeof_task + sizeof_shareds + 2 * sizeof(void *));
            rw_leave();
        }
    }
    return task;
}

/* --- task reductions ------------------------------------------------------ */

/* A task in a task reduction's scope (in_reduction, taskloop reduction)
 * gets its thread's private copy from libomp, by thread number: the
 * tasks a thread runs share that copy with its implicit task and are
 * ordered on it by the thread, not by OpenMP.  So once a task asks for
 * its copy, it leaves its fiber and goes on as the host, which takes its
 * clock (as gcc's side, which runs such tasks on the host). */
static void task_to_host(rw_ompt_task *it, uintptr_t frame)
{
    uintptr_t key = (uintptr_t)&it->fiber;
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_reset(key);
        rw_sync_release_at(t, key);
        rw_leave();
    }
    rw_gomp_fiber_end(it->host, frame);
    it->fiber = NULL;
    t = rw_enter();
    if (t) {
        rw_sync_acquire_at(t, key);
        rw_sync_reset(key);
        rw_leave();
    }
}

RW_DECLARE_REAL(void *, __kmpc_task_reduction_get_th_data, int, void *, void *);

RW_EXPORT void *__kmpc_task_reduction_get_th_data(int gtid, void *taskgroup, void *item)
{
    rw_ompt_task *it = rw_ompt_cur;
    if (it && it->fiber && rw_cur == it->fiber && !rw_in_rt)
        task_to_host(it, (uintptr_t)__builtin_frame_address(0));
    return RW_RESOLVE(__kmpc_task_reduction_get_th_data)(gtid, taskgroup, item);
}
