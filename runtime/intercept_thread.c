/* intercept_thread.c: thread creation, start, end, join and detach.
 *
 * pthread_create picks the child's slot and releases the parent's clock
 * into it before the OS thread exists (start edge); the child starts in
 * thread_trampoline, forgets the history of its stack and TLS memory (it
 * may be a dead thread's, reused by glibc without any edge we could see),
 * runs the user's function and ends with rw_thread_finish, whose clock
 * pthread_join acquires (end edge).  Cancellation and pthread_exit reach
 * the same end through a cleanup handler and the pthread_exit
 * interceptor.  pthread_t values map to their threads in a small table. */
#include "runtime/rt.h"

#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "detector/alloc.h"
#include "detector/shadow.h"
#include "detector/spinlock.h"

RW_DECLARE_REAL(int, pthread_create, pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
RW_DECLARE_REAL(int, pthread_join, pthread_t, void **);
RW_DECLARE_REAL(int, pthread_tryjoin_np, pthread_t, void **);
RW_DECLARE_REAL(int, pthread_timedjoin_np, pthread_t, void **, const struct timespec *);
RW_DECLARE_REAL(int, pthread_clockjoin_np, pthread_t, void **, clockid_t, const struct timespec *);
RW_DECLARE_REAL(int, pthread_detach, pthread_t);
RW_DECLARE_REAL(void, pthread_exit, void *);

/* --- pthread_t -> thread ------------------------------------------------ */

#define NHANDLES 4096
struct handle {
    pthread_t tid;
    rw_thread_info *info;
    int joined;          /* joined already: a second join is misuse */
    struct handle *next;
};
static struct handle *handles[NHANDLES];
static rw_spin handles_lock = RW_SPIN_INIT;

static unsigned handle_bucket(pthread_t tid)
{
    return (unsigned)(((uint64_t)tid * UINT64_C(0x9E3779B97F4A7C15)) >> 52) & (NHANDLES - 1);
}

static void handle_add(pthread_t tid, rw_thread_info *info)
{
    struct handle *h = rw_malloc(sizeof *h);
    if (!h)
        return;
    h->tid = tid;
    h->info = info;
    h->joined = 0;
    unsigned b = handle_bucket(tid);
    rw_spin_lock(&handles_lock);
    /* glibc reuses a joined thread's pthread_t: the new thread replaces it. */
    for (struct handle **l = &handles[b]; *l; l = &(*l)->next) {
        if ((*l)->tid == tid) {
            struct handle *old = *l;
            *l = old->next;
            rw_free(old);
            break;
        }
    }
    h->next = handles[b];
    handles[b] = h;
    rw_spin_unlock(&handles_lock);
}

/* Find the thread of a pthread_t; with mark_joined, also note that it
 * was joined (and say through *was_joined whether it had been before). */
static rw_thread_info *handle_lookup(pthread_t tid, int mark_joined, int *was_joined)
{
    unsigned b = handle_bucket(tid);
    rw_thread_info *info = NULL;
    rw_spin_lock(&handles_lock);
    for (struct handle *h = handles[b]; h; h = h->next) {
        if (h->tid == tid) {
            info = h->info;
            if (was_joined)
                *was_joined = h->joined;
            if (mark_joined)
                h->joined = 1;
            break;
        }
    }
    rw_spin_unlock(&handles_lock);
    return info;
}

static rw_thread_info *handle_find(pthread_t tid, int mark_joined)
{
    return handle_lookup(tid, mark_joined, NULL);
}

/* --- stack and TLS bounds ----------------------------------------------- */

static int add_tls_size(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_TLS) {
            size_t align = ph->p_align ? ph->p_align : 1;
            *(size_t *)data += (ph->p_memsz + align - 1) / align * align;
        }
    }
    return 0;
}

void rw_thread_stack_bounds(rw_thread_info *in)
{
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        void *addr;
        size_t size;
        if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
            in->stack_lo = (uintptr_t)addr;
            in->stack_hi = (uintptr_t)addr + size;
        }
        pthread_attr_destroy(&attr);
    }
    /* x86-64 static TLS sits just below the thread pointer. */
    static size_t static_tls;
    if (!static_tls) {
        size_t n = 0;
        dl_iterate_phdr(add_tls_size, &n);
        static_tls = n ? n : 1;
    }
    uintptr_t tp = (uintptr_t)__builtin_thread_pointer();
    in->tls_lo = tp - static_tls;
    in->tls_hi = tp;
}

/* --- start and end ------------------------------------------------------ */

struct start_arg {
    void *(*fn)(void *);
    void *arg;
    rw_thread *t;
};

static void thread_end(void)
{
    rw_thread *t = rw_cur;
    if (!t)
        return;
    if (t->held.n > 0 && !rw_in_rt) {
        char line[160];
        rw_held *last = &t->held.items[t->held.n - 1];
        snprintf(line, sizeof line, "%u mutex(es) held at thread exit; mutex %p, acquired here,",
                 t->held.n, (void *)last->addr);
        rw_in_rt = 1;
        rw_report_misuse(t, "thread exited while holding mutexes", line, 0, rw_held_stack(t, last));
        rw_in_rt = 0;
    }
    rw_in_rt = 1;
    rw_thread_info *in = t->info;
    rw_thread_finish(t);
    rw_cur = NULL;
    rw_waiter_end(in);
    rw_in_rt = 0;
}

static void on_cancel(void *unused)
{
    (void)unused;
    thread_end();
}

static void *thread_trampoline(void *p)
{
    struct start_arg a = *(struct start_arg *)p;
    rw_free(p);
    if (a.t) {
        rw_in_rt = 1;
        rw_thread_stack_bounds(a.t->info);
        rw_thread_info *in = a.t->info;
        /* The stack below this frame (where the thread's own frames will
         * be) and the TLS are fresh for this thread: a dead thread's
         * history there must not race with it. */
        uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
        if (in->stack_lo && frame > in->stack_lo)
            rw_shadow_clear(in->stack_lo, frame - in->stack_lo);
        if (in->tls_hi > in->tls_lo)
            rw_shadow_clear(in->tls_lo, in->tls_hi - in->tls_lo);
        rw_cur = a.t;
        rw_waiter_start(in);
        rw_in_rt = 0;
    }
    void *ret;
    pthread_cleanup_push(on_cancel, NULL);
    ret = a.fn(a.arg);
    pthread_cleanup_pop(0);
    thread_end();
    return ret;
}

RW_EXPORT int pthread_create(pthread_t *th, const pthread_attr_t *attr, void *(*fn)(void *),
                             void *arg)
{
    struct start_arg *a = rw_malloc(sizeof *a);
    if (!a)
        return EAGAIN;
    a->fn = fn;
    a->arg = arg;
    a->t = NULL;
    rw_thread *parent = rw_enter();
    if (parent) {
        /* A thread libgomp makes for a team was made at the region. */
        uintptr_t pc = rw_gomp_spawn_pc ? rw_gomp_spawn_pc : RW_CALLER_PC();
        uint32_t stack = rw_capture_stack_id(parent, pc);
        if (parent->depth == 0 && rw_gomp_spawn_pc) {
            stack = rw_stack_put(&pc, 1); /* the region's line, all we know */
        } else if (parent->depth == 0) {
            /* Uninstrumented caller: unwind once, creation is rare. */
            rw_report_stack s;
            rw_capture_stack(parent, pc, &s);
            stack = rw_stack_put(s.pcs, (uint32_t)s.n);
        }
        a->t = rw_thread_create(parent, stack);
        rw_leave();
    }
    rw_thread *child = a->t;
    int r = RW_RESOLVE(pthread_create)(th, attr, thread_trampoline, a);
    if (r != 0) {
        if (child) {
            rw_in_rt = 1;
            rw_thread_abandon(child);
            rw_in_rt = 0;
        }
        rw_free(a);
        return r;
    }
    if (child) {
        rw_in_rt = 1;
        handle_add(*th, child->info);
        rw_in_rt = 0;
    }
    return r;
}

/* The joiner acquires the thread's final clock. */
static void joined(pthread_t th)
{
    rw_thread *t = rw_enter();
    rw_thread_info *in = handle_find(th, 1);
    if (t && in) {
        uint64_t own = t->pos;
        rw_vclock_join(&t->vc, &in->exit_vc);
        rw_vclock_set(&t->vc, t->slot, own);
        rw_vclock_free(&in->exit_vc);
    }
    if (t)
        rw_leave();
}

/* A join that may sleep: registered with the deadlock checks. */
static int join_begin(pthread_t th, uintptr_t pc)
{
    if (!rw_cur || rw_in_rt || pthread_equal(th, pthread_self()))
        return 0;
    rw_in_rt = 1;
    rw_thread_info *in = handle_find(th, 0);
    rw_in_rt = 0;
    if (!in || __atomic_load_n(&in->finished, __ATOMIC_ACQUIRE))
        return 0;
    return rw_block_begin(RW_WAIT_JOIN, "pthread_join", &in->waiter, NULL, pc);
}

/* Joining a thread twice, or a detached one, is undefined behaviour (a
 * hang or a crash in glibc): report it and fail with EINVAL instead. */
static int join_misuse(pthread_t th, uintptr_t pc)
{
    rw_thread *t = rw_enter();
    if (!t)
        return 0;
    int was_joined = 0;
    rw_thread_info *in = handle_lookup(th, 0, &was_joined);
    int bad = in && (was_joined || in->detached);
    if (bad) {
        char line[128];
        snprintf(line, sizeof line, "Thread %u (pthread_t %#lx) joined", in->number,
                 (unsigned long)th);
        rw_report_misuse(t, was_joined ? "pthread_join of a thread that was already joined"
                                       : "pthread_join of a detached thread",
                         line, pc, 0);
    }
    rw_leave();
    return bad;
}

RW_EXPORT int pthread_join(pthread_t th, void **ret)
{
    if (join_misuse(th, RW_CALLER_PC()))
        return EINVAL;
    /* A timed join first: only a join still waiting after it is
     * registered with the deadlock checks. */
    int r = EBUSY;
    if (rw_cur && !pthread_equal(th, pthread_self())) {
        struct timespec ts = rw_grace_deadline();
        r = RW_RESOLVE(pthread_clockjoin_np)(th, ret, CLOCK_MONOTONIC, &ts);
    }
    if (r == EBUSY || r == ETIMEDOUT) {
        int blocked = join_begin(th, RW_CALLER_PC());
        r = RW_RESOLVE(pthread_join)(th, ret);
        if (blocked)
            rw_block_end(RW_WAIT_JOIN, NULL);
    }
    rw_block_reason_unused();
    if (r == 0)
        joined(th);
    return r;
}

RW_EXPORT int pthread_tryjoin_np(pthread_t th, void **ret)
{
    int r = RW_RESOLVE(pthread_tryjoin_np)(th, ret);
    if (r == 0)
        joined(th);
    return r;
}

RW_EXPORT int pthread_timedjoin_np(pthread_t th, void **ret, const struct timespec *abstime)
{
    int r = RW_RESOLVE(pthread_timedjoin_np)(th, ret, abstime);
    if (r == 0)
        joined(th);
    return r;
}

RW_EXPORT int pthread_clockjoin_np(pthread_t th, void **ret, clockid_t clock,
                                   const struct timespec *abstime)
{
    int r = RW_RESOLVE(pthread_clockjoin_np)(th, ret, clock, abstime);
    if (r == 0)
        joined(th);
    return r;
}

RW_EXPORT int pthread_detach(pthread_t th)
{
    int r = RW_RESOLVE(pthread_detach)(th);
    if (r == 0) {
        rw_in_rt++;
        rw_thread_info *in = handle_find(th, 0);
        if (in)
            in->detached = 1;
        rw_in_rt--;
    }
    return r;
}

RW_EXPORT void pthread_exit(void *ret)
{
    thread_end();
    RW_RESOLVE(pthread_exit)(ret);
    __builtin_unreachable();
}
