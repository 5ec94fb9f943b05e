/* intercept_gomp_task.c: OpenMP tasks under libgomp: GOMP_task,
 * GOMP_taskloop(_ull), GOMP_taskwait(_depend), GOMP_taskgroup_start/end.
 *
 * gcc passes a task as (fn, data, cpyfn, arg_size, arg_align): libgomp
 * copies data (with cpyfn, or memcpy) into a block of its own and later
 * calls fn on the copy, on any thread of the team, maybe inline.  To
 * see the task start and end we hand libgomp our own fn and cpyfn and a
 * bigger argument: a header (task_hdr) followed by the program's data.
 * The copy runs on the creating thread, so it is where the creation is
 * released, into the task's key; the task's start acquires it.  The same
 * key is the task's children key: its child tasks release into it at
 * their ends and its GOMP_taskwait acquires it (the creation's clock that
 * the key starts with is already the task's at its start).  The key is a
 * small record of ours (task_keys), not libgomp's block: libgomp's blocks
 * come from malloc, whose quarantine gives each task a new address, and
 * the sync table, which never forgets a key, grew by one per task (a
 * lookup that misses walks it all).  Records are recycled once the task
 * and all its children have ended (a count of references), so a late
 * child never releases into a later task's key.  The task's end releases into
 *   - its parent's children key (GOMP_taskwait acquires it),
 *   - the taskgroup it belongs to (GOMP_taskgroup_end acquires it; a
 *     task belongs to the innermost taskgroup of the context that made
 *     it, so descendants of a group's tasks join the group too),
 *   - its team's barrier keys (barriers and the region's end wait for
 *     every task of the team; a task may end in either round),
 *   - its dependences' keys: depend(out/inout/mutexinoutset) releases
 *     into the address's "out" key, depend(in) into its "in" key; a task
 *     with depend(in) acquires the out key, one with depend(out) both,
 *     which orders a task after every earlier sibling it depends on and
 *     never two tasks that only read.  The keys are per parent task
 *     (dependences only order siblings) and can never be a real address
 *     (their top bits are set).
 * libgomp writes a taskloop chunk's bounds into the first two words of
 * its copy of the data (and a reduction's table into the third): those
 * words are our header's first words, copied into the program's data
 * when the task starts.
 *
 * libgomp runs queued tasks inside barriers, taskwaits and the region's
 * end: a thread registered as waiting puts its wait aside for the task's
 * duration (rw_wait_suspend). */
#include "runtime/rt.h"
#include "detector/hb_floor.h"

#include <stdbool.h>

#include "detector/alloc.h"
#include "detector/syncvar.h"
#include "runtime/gomp.h"

typedef void (*task_fn)(void *);
typedef void (*copy_fn)(void *, void *);

#define MIRRORED_MAX 3

/* A task's key (its address) and the scope of its children's dependence
 * keys.  refs: the task until its end, and each child until its end. */
typedef struct rw_gomp_task_keys {
    unsigned refs;
    uintptr_t dep_scope;         /* unique per record's use: recycled
                                    records never share dependence keys */
} task_keys;

typedef struct task_hdr {
    uintptr_t mirror[MIRRORED_MAX]; /* taskloop: words libgomp writes */
    task_fn fn;
    copy_fn cpyfn;               /* the program's, NULL for memcpy */
    void *data;                  /* the program's data (source only) */
    long arg_size;               /* its size */
    rw_gomp_team *team;
    uintptr_t parent_children;   /* keys, 0 for none */
    uintptr_t parent_dep_scope;  /* the parent's children's dependence keys' scope */
    task_keys *parent_keys;      /* the parent's record, NULL for an implicit task */
    task_keys *keys;             /* this task's (the copy's), NULL if none */
    uintptr_t taskgroup;
    uintptr_t undeferred_done;   /* key: an undeferred task's end, which its
                                    creator waits for; 0 if deferred */
    int final;                   /* final clause: its descendants are undeferred */
    int reducing;                /* in a task reduction's scope */
    uint32_t offset;             /* where the program's data starts */
    uint32_t mirrored;           /* words of mirror to copy back */
    uint32_t ndeps, nout;
    uintptr_t deps[];            /* dependence addresses, out ones first */
} task_hdr;

/* libgomp's gomp-constants.h values (stable ABI). */
#define TASK_FLAG_FINAL (1u << 1)
#define TASK_FLAG_DEPEND (1u << 3)
#define TASK_FLAG_REDUCTION (1u << 12)
#define TASK_FLAG_NOGROUP (1u << 11)
#define DEPEND_IN 1

static uintptr_t dep_key(uintptr_t parent, uintptr_t addr, int out)
{
    uintptr_t base = (addr ^ (parent * UINT64_C(0x9E3779B97F4A7C15))) & ((UINT64_C(1) << 62) - 1);
    return base | (out ? UINT64_C(3) << 62 : UINT64_C(2) << 62);
}

/* --- dependences ---------------------------------------------------------- */

/* gcc's depend array: {n, nout, addr...} with the nout out/inout
 * addresses first, or, when mutexinoutset or depobj are used,
 * {0, n, nout, nmutexinoutset, nin, addr...} followed by n - (nout +
 * nmutex + nin) pointers to depobj records {addr, kind}.  Writes the
 * addresses (out ones first) to deps if non-NULL; returns the count and
 * the out count in *nout. */
static uint32_t read_depend(void **depend, uintptr_t *deps, uint32_t *nout)
{
    uintptr_t n, out, mutex = 0, in, first;
    if ((uintptr_t)depend[0] != 0) {
        n = (uintptr_t)depend[0];
        out = (uintptr_t)depend[1];
        in = n - out;
        first = 2;
    } else {
        n = (uintptr_t)depend[1];
        out = (uintptr_t)depend[2];
        mutex = (uintptr_t)depend[3];
        in = (uintptr_t)depend[4];
        first = 5;
    }
    uintptr_t objs = n - out - mutex - in;
    uint32_t o = 0, k = 0;
    /* out-like: out, inout, mutexinoutset (exclusive: ordering them is
     * exact for race detection), and depobj records that are not "in". */
    for (uintptr_t i = 0; i < out + mutex; i++, k++)
        if (deps)
            deps[k] = (uintptr_t)depend[first + i];
    for (uintptr_t i = 0; i < objs; i++) {
        void **rec = (void **)depend[first + out + mutex + in + i];
        if ((uintptr_t)rec[1] != DEPEND_IN) {
            if (deps)
                deps[k] = (uintptr_t)rec[0];
            k++;
        }
    }
    o = k;
    for (uintptr_t i = 0; i < in; i++, k++)
        if (deps)
            deps[k] = (uintptr_t)depend[first + out + mutex + i];
    for (uintptr_t i = 0; i < objs; i++) {
        void **rec = (void **)depend[first + out + mutex + in + i];
        if ((uintptr_t)rec[1] == DEPEND_IN) {
            if (deps)
                deps[k] = (uintptr_t)rec[0];
            k++;
        }
    }
    *nout = o;
    return k;
}

/* Acquire what earlier siblings with these dependences released. */
static void acquire_deps(rw_thread *t, uintptr_t parent, const uintptr_t *deps, uint32_t n,
                         uint32_t nout)
{
    for (uint32_t i = 0; i < n; i++) {
        rw_sync_acquire_at(t, dep_key(parent, deps[i], 1));
        if (i < nout)
            rw_sync_acquire_at(t, dep_key(parent, deps[i], 0));
    }
}

/* --- the task's copy, start and end --------------------------------------- */

static size_t header_size(uint32_t ndeps)
{
    return sizeof(task_hdr) + ndeps * sizeof(uintptr_t);
}

static uintptr_t next_dep_scope = 1;

/* A new task's record, with the task's reference; the parent's gets the
 * child's.  As the runtime: the allocation is not the program's. */
static task_keys *keys_new(task_keys *parent)
{
    rw_in_rt++;
    task_keys *k = rw_malloc(sizeof *k);
    rw_in_rt--;
    if (!k)
        return NULL;
    k->refs = 1;
    k->dep_scope = __atomic_fetch_add(&next_dep_scope, 1, __ATOMIC_RELAXED);
    if (parent)
        __atomic_fetch_add(&parent->refs, 1, __ATOMIC_RELAXED);
    return k;
}

/* After the last release into the record's key (acq_rel: whoever frees
 * it comes after every release). */
static void keys_unref(task_keys *k)
{
    if (k && __atomic_sub_fetch(&k->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        rw_in_rt++;
        rw_free(k);
        rw_in_rt--;
    }
}

/* The task's key: its record, or its copy if it has none. */
static uintptr_t task_key(const task_hdr *h)
{
    return h->keys ? (uintptr_t)h->keys : (uintptr_t)h;
}

/* libgomp copies the task's argument, on the creating thread. */
static void task_copy(void *dest, void *src)
{
    task_hdr *s = src, *d = dest;
    rw_in_rt++;
    /* libgomp's block (or its stack buffer, for a task run at once) may
     * have held an earlier task's data: this task's copy is new memory. */
    rw_shadow_clear((uintptr_t)d, s->offset + (size_t)(s->arg_size > 0 ? s->arg_size : 0));
    __builtin_memcpy(d, s, header_size(s->ndeps));
    d->data = NULL;
    rw_in_rt--;
    void *user = (char *)d + s->offset;
    if (s->cpyfn) {
        s->cpyfn(user, s->data);
    } else if (s->arg_size > 0) {
        rw_in_rt++; /* the program's data, read by its own thread */
        __builtin_memcpy(user, s->data, (size_t)s->arg_size);
        rw_in_rt--;
    }
    rw_thread *t = rw_enter();
    if (t) {
        d->keys = keys_new(d->parent_keys);
        /* The creation (a store: the record may have been another task's). */
        rw_sync_release_store_at(t, task_key(d));
        rw_leave();
    }
}

static void task_run(void *arg)
{
    task_hdr *h = arg;
    void *user = (char *)h + h->offset;
    for (uint32_t i = 0; i < h->mirrored; i++)
        ((uintptr_t *)user)[i] = h->mirror[i];
    rw_wait_saved wait;
    int suspended = rw_wait_suspend(&wait);
    uintptr_t key = task_key(h);
    rw_gomp_ctx ctx = { .team = h->team, .children = key,
                        .dep_scope = h->keys ? h->keys->dep_scope : key, .keys = h->keys,
                        .taskgroup = h->taskgroup, .final = h->final, .reducing = h->reducing };
    /* A task runs as a fiber (gomp_fiber.c), except
     *  - in a team of one thread (or none: outside any region, or in a
     *    target region run on the host): its tasks all run on that
     *    thread, so they never run at once, and threadprivate data is
     *    theirs in turn;
     *  - in a task reduction's scope: gcc's code for in_reduction indexes
     *    libgomp's per-thread copies by thread number, so the tasks a
     *    thread runs share its copy with its implicit task and are
     *    ordered on it by the thread, as they are here. */
    rw_thread *host = NULL;
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    int fiber = h->team && __atomic_load_n(&h->team->nthreads, __ATOMIC_RELAXED) > 1 &&
                !h->reducing && rw_gomp_fiber_begin(key, frame, &host);
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_acquire_at(t, key);
        acquire_deps(t, h->parent_dep_scope, h->deps, h->ndeps, h->nout);
        rw_leave();
    }
    rw_gomp_ctx *outer = rw_gomp_cur;
    rw_gomp_cur = &ctx;
    h->fn(user);
    rw_gomp_cur = outer;
    t = rw_enter();
    if (t) {
        if (h->team) {
            rw_sync_release_at(t, (uintptr_t)&h->team->round_clock[0]);
            rw_sync_release_at(t, (uintptr_t)&h->team->round_clock[1]);
        }
        if (h->parent_children)
            rw_sync_release_at(t, h->parent_children);
        if (h->taskgroup)
            rw_sync_release_at(t, h->taskgroup);
        for (uint32_t i = 0; i < h->ndeps; i++)
            rw_sync_release_at(t, dep_key(h->parent_dep_scope, h->deps[i], i < h->nout));
        if (h->undeferred_done)
            rw_sync_release_store_at(t, h->undeferred_done);
        rw_leave();
    }
    keys_unref(h->parent_keys); /* after the release into its key */
    keys_unref(h->keys);
    if (fiber)
        rw_gomp_fiber_end(host, frame);
    if (suspended)
        rw_wait_resume(&wait);
}

/* Fill the source header; returns the argument size and alignment to
 * hand libgomp. */
static void header_init(task_hdr *h, task_fn fn, void *data, copy_fn cpyfn, long *arg_size,
                        long *arg_align, uint32_t mirrored)
{
    rw_gomp_ctx *c = rw_gomp_cur;
    h->fn = fn;
    h->cpyfn = cpyfn;
    h->data = data;
    h->arg_size = *arg_size;
    h->team = c ? c->team : NULL;
    h->parent_children = c ? c->children : 0;
    h->parent_dep_scope = c ? c->dep_scope : 0;
    h->parent_keys = c ? c->keys : NULL;
    h->keys = NULL;
    h->taskgroup = c ? c->taskgroup : 0;
    h->undeferred_done = 0;
    h->final = 0;
    h->reducing = c ? c->reducing : 0;
    h->mirrored = mirrored;
    for (uint32_t i = 0; i < MIRRORED_MAX; i++)
        h->mirror[i] = i < mirrored ? ((uintptr_t *)data)[i] : 0;
    long align = *arg_align > (long)_Alignof(task_hdr) ? *arg_align : (long)_Alignof(task_hdr);
    size_t off = (header_size(h->ndeps) + (size_t)align - 1) & ~((size_t)align - 1);
    h->offset = (uint32_t)off;
    *arg_size += (long)off;
    *arg_align = align;
}

/* --- entry points --------------------------------------------------------- */

RW_DECLARE_REAL(void, GOMP_task, task_fn, void *, copy_fn, long, long, bool, unsigned, void **,
                int, void *);
RW_EXPORT void GOMP_task(task_fn fn, void *data, copy_fn cpyfn, long arg_size, long arg_align,
                         bool if_clause, unsigned flags, void **depend, int priority,
                         void *detach)
{
    rw_hb_floor_freeze(); /* a fiber may start from a clock made now */
    RW_RESOLVE(GOMP_task);
    if (!rw_cur) {
        RW_REAL(GOMP_task)(fn, data, cpyfn, arg_size, arg_align, if_clause, flags, depend,
                           priority, detach);
        return;
    }
    uint32_t nout = 0, ndeps = 0;
    if ((flags & TASK_FLAG_DEPEND) && depend)
        ndeps = read_depend(depend, NULL, &nout);
    task_hdr *h = __builtin_alloca(header_size(ndeps));
    h->ndeps = ndeps;
    h->nout = nout;
    if (ndeps)
        read_depend(depend, h->deps, &nout);
    header_init(h, fn, data, cpyfn, &arg_size, &arg_align, 0);
    h->final = (flags & TASK_FLAG_FINAL) || (rw_gomp_cur && rw_gomp_cur->final);
    /* An undeferred task (if(0), or inside a final task) suspends its
     * creator until it is done; a deferred one orders nothing with what
     * its creator does next, even when libgomp runs it right away. */
    int undeferred = !if_clause || (rw_gomp_cur && rw_gomp_cur->final);
    if (undeferred) {
        h->undeferred_done = (uintptr_t)&h->undeferred_done;
        rw_thread *t = rw_enter();
        if (t) {
            rw_sync_reset(h->undeferred_done);
            rw_leave();
        }
    }
    RW_REAL(GOMP_task)(task_run, h, task_copy, arg_size, arg_align, if_clause, flags, depend,
                       priority, detach);
    if (undeferred) {
        rw_thread *t = rw_enter();
        if (t) {
            rw_sync_acquire_at(t, h->undeferred_done);
            rw_leave();
        }
    }
}

/* A taskloop without nogroup is inside a taskgroup of its own (libgomp
 * opens it internally, so we model it here). */
static void group_open(rw_gomp_ctx *c, rw_gomp_taskgroup *g)
{
    g->outer = c->groups;
    g->inherited = c->taskgroup;
    c->groups = g;
    c->taskgroup = (uintptr_t)g;
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_reset((uintptr_t)g);
        rw_leave();
    }
}

static void group_close(rw_gomp_ctx *c, rw_gomp_taskgroup *g)
{
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_acquire_at(t, (uintptr_t)g);
        rw_leave();
    }
    c->taskgroup = g->inherited;
    c->groups = g->outer;
}

#define TASKLOOP(name, bound_t, ...)                                                         \
    RW_DECLARE_REAL(void, name, task_fn, void *, copy_fn, long, long, unsigned, unsigned long, \
                    int, __VA_ARGS__);                                                      \
    RW_EXPORT void name(task_fn fn, void *data, copy_fn cpyfn, long arg_size, long arg_align, \
                        unsigned flags, unsigned long num_tasks, int priority, TASKLOOP_ARGS_##bound_t) \
    {                                                                                        \
        rw_hb_floor_freeze();                                                                \
        RW_RESOLVE(name);                                                                    \
        rw_gomp_ctx *c = rw_gomp_cur;                                                        \
        if (!rw_cur) {                                                                       \
            RW_REAL(name)(fn, data, cpyfn, arg_size, arg_align, flags, num_tasks, priority,  \
                          TASKLOOP_PASS_##bound_t);                                          \
            return;                                                                          \
        }                                                                                    \
        rw_gomp_taskgroup g;                                                                 \
        int grouped = c && !(flags & TASK_FLAG_NOGROUP);                                     \
        if (grouped)                                                                         \
            group_open(c, &g);                                                               \
        task_hdr *h = __builtin_alloca(header_size(0));                                      \
        h->ndeps = h->nout = 0;                                                              \
        header_init(h, fn, data, cpyfn, &arg_size, &arg_align,                              \
                    (flags & TASK_FLAG_REDUCTION) ? 3 : 2);                                  \
        if (flags & TASK_FLAG_REDUCTION)                                                     \
            h->reducing = 1;                                                                 \
        RW_REAL(name)(task_run, h, task_copy, arg_size, arg_align, flags, num_tasks, priority, \
                      TASKLOOP_PASS_##bound_t);                                              \
        if (flags & TASK_FLAG_REDUCTION)                                                     \
            ((uintptr_t *)data)[2] = h->mirror[2];                                           \
        if (grouped)                                                                         \
            group_close(c, &g);                                                              \
    }
#define TASKLOOP_ARGS_long long start, long end, long step
#define TASKLOOP_PASS_long start, end, step
#define TASKLOOP_ARGS_ull bool up, unsigned long long start, unsigned long long end, \
                          unsigned long long step
#define TASKLOOP_PASS_ull up, start, end, step

TASKLOOP(GOMP_taskloop, long, long, long, long)
TASKLOOP(GOMP_taskloop_ull, ull, bool, unsigned long long, unsigned long long, unsigned long long)

RW_DECLARE_REAL(void, GOMP_taskwait, void);
RW_EXPORT void GOMP_taskwait(void)
{
    RW_RESOLVE(GOMP_taskwait)();
    rw_gomp_ctx *c = rw_gomp_cur;
    rw_thread *t = rw_enter();
    if (t) {
        if (c)
            rw_sync_acquire_at(t, c->children);
        rw_leave();
    }
}

/* taskwait depend(...): waits for the earlier siblings it depends on. */
RW_DECLARE_REAL(void, GOMP_taskwait_depend, void **);
RW_EXPORT void GOMP_taskwait_depend(void **depend)
{
    RW_RESOLVE(GOMP_taskwait_depend)(depend);
    rw_gomp_ctx *c = rw_gomp_cur;
    if (!c || !rw_cur)
        return;
    uint32_t nout;
    uint32_t n = read_depend(depend, NULL, &nout);
    uintptr_t *deps = __builtin_alloca(n * sizeof *deps + 1);
    read_depend(depend, deps, &nout);
    rw_thread *t = rw_enter();
    if (t) {
        acquire_deps(t, c->dep_scope, deps, n, nout);
        rw_leave();
    }
}

RW_DECLARE_REAL(void, GOMP_taskgroup_start, void);
RW_EXPORT void GOMP_taskgroup_start(void)
{
    RW_RESOLVE(GOMP_taskgroup_start)();
    rw_gomp_ctx *c = rw_gomp_cur;
    if (!c)
        return;
    rw_in_rt++;
    rw_gomp_taskgroup *g = rw_malloc(sizeof *g);
    rw_in_rt--;
    if (g)
        group_open(c, g);
}

/* taskgroup task_reduction: the group's tasks share per-thread copies. */
RW_DECLARE_REAL(void, GOMP_taskgroup_reduction_register, uintptr_t *);
RW_EXPORT void GOMP_taskgroup_reduction_register(uintptr_t *data)
{
    RW_RESOLVE(GOMP_taskgroup_reduction_register)(data);
    if (rw_gomp_cur)
        rw_gomp_cur->reducing = 1;
}

RW_DECLARE_REAL(void, GOMP_taskgroup_end, void);
RW_EXPORT void GOMP_taskgroup_end(void)
{
    RW_RESOLVE(GOMP_taskgroup_end)();
    rw_gomp_ctx *c = rw_gomp_cur;
    if (!c || !c->groups)
        return;
    rw_gomp_taskgroup *g = c->groups;
    group_close(c, g);
    rw_in_rt++;
    rw_free(g);
    rw_in_rt--;
}
