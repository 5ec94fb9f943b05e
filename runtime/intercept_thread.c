/* intercept_thread.c: thread creation, start, end, join and detach.
 *
 * pthread_create picks the child's slot and releases the parent's clock
 * into it before the OS thread exists (start edge); the child starts in
 * thread_trampoline, forgets the history of its stack and TLS memory (it
 * may be a dead thread's, reused by glibc without any edge we could see),
 * runs the user's function and ends with rw_thread_finish, whose clock
 * pthread_join acquires (end edge).  The end comes from a thread-specific
 * data destructor, whichever way the thread leaves (return, pthread_exit,
 * cancellation): after its cleanup handlers and other destructors ran
 * (see thread_end).  pthread_t values map to their threads in a small
 * table. */
#include "runtime/rt.h"

#include <errno.h>
#include <limits.h>
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
RW_DECLARE_REAL(int, pthread_cancel, pthread_t);

/* --- pthread_t -> thread ------------------------------------------------ */

#define NHANDLES 4096
struct handle {
    pthread_t tid;
    rw_thread_info *info;
    int joined;          /* joined already: a second join is misuse */
    uint32_t done_thread; /* who joined or detached it, */
    uint32_t done_stack;  /* and where (a depot stack; 0: neither yet) */
    struct handle *next;
};
static struct handle *handles[NHANDLES] RW_LARGE_BSS;
static rw_spin handles_lock = RW_SPIN_INIT;
/* Set once a thread was made that the table may not know (by an
 * unwatched thread, or with no memory for its entry): from then on an
 * unknown pthread_t is not proof of misuse. */
static int handles_incomplete;

static unsigned handle_bucket(pthread_t tid)
{
    return (unsigned)(((uint64_t)tid * UINT64_C(0x9E3779B97F4A7C15)) >> 52) & (NHANDLES - 1);
}

static void handle_add(pthread_t tid, rw_thread_info *info)
{
    struct handle *h = rw_malloc(sizeof *h);
    if (!h) {
        __atomic_store_n(&handles_incomplete, 1, __ATOMIC_RELAXED);
        return;
    }
    h->tid = tid;
    h->info = info;
    h->joined = 0;
    h->done_thread = h->done_stack = 0;
    unsigned b = handle_bucket(tid);
    rw_spin_lock(&handles_lock);
    /* glibc reuses a joined thread's pthread_t: the new thread replaces it.
     * (The child and its creator both add it: the first one stays.) */
    for (struct handle **l = &handles[b]; *l; l = &(*l)->next) {
        if ((*l)->tid == tid && (*l)->info == info) {
            rw_spin_unlock(&handles_lock);
            rw_free(h);
            return;
        }
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

/* Find the thread of a pthread_t (and say through *was_joined whether it
 * was joined). */
static rw_thread_info *handle_lookup(pthread_t tid, int *was_joined)
{
    unsigned b = handle_bucket(tid);
    rw_thread_info *info = NULL;
    rw_spin_lock(&handles_lock);
    for (struct handle *h = handles[b]; h; h = h->next) {
        if (h->tid == tid) {
            info = h->info;
            if (was_joined)
                *was_joined = h->joined;
            break;
        }
    }
    rw_spin_unlock(&handles_lock);
    return info;
}

/* Note on info's entry for tid (if the table still has it) that it was
 * joined (mark_joined) and, the first time, by whom and where. */
static void handle_note_done(pthread_t tid, rw_thread_info *info, int mark_joined, uint32_t thread,
                             uint32_t stack)
{
    unsigned b = handle_bucket(tid);
    rw_spin_lock(&handles_lock);
    for (struct handle *h = handles[b]; h; h = h->next) {
        if (h->tid == tid && h->info == info) {
            if (mark_joined)
                h->joined = 1;
            if (!h->done_stack) {
                h->done_thread = thread;
                h->done_stack = stack;
            }
            break;
        }
    }
    rw_spin_unlock(&handles_lock);
}

static void handle_done(pthread_t tid, uint32_t *thread, uint32_t *stack)
{
    unsigned b = handle_bucket(tid);
    *thread = *stack = 0;
    rw_spin_lock(&handles_lock);
    for (struct handle *h = handles[b]; h; h = h->next) {
        if (h->tid == tid) {
            *thread = h->done_thread;
            *stack = h->done_stack;
            break;
        }
    }
    rw_spin_unlock(&handles_lock);
}

/* The caller's stack at pc, walked (joins and detaches are rare). */
static uint32_t walked_stack(rw_thread *t, uintptr_t pc)
{
    rw_report_stack s;
    rw_capture_stack(t, pc, &s);
    return rw_stack_put(s.pcs, (uint32_t)s.n);
}

static rw_thread_info *handle_find(pthread_t tid)
{
    return handle_lookup(tid, NULL);
}

/* The thread a join or detach of tid ends, looked up BEFORE the call:
 * once glibc has reaped a thread (a join returned, or a detach of a
 * thread that had finished), its pthread_t may be a new thread's at any
 * moment, and the table then names the new one.  Looked up after the
 * call, a join once marked the new thread joined and left the reaped one
 * a false "THREAD LEAK" (a join of the new thread was then a false
 * "already joined" misuse): several threads creating and joining in a
 * loop while another forks (the fork handlers hold the table's lock, so
 * a joiner waits right there) did it in most runs
 * (tests/programs/fork_churn_clean.c).  The entry looked up before is
 * that thread's (a pthread_t is reused only after the thread is reaped,
 * which only this call does), unless there was none yet: a thread whose
 * creator has not returned from pthread_create nor has the thread itself
 * started; then the one after the call, which the reaped thread added
 * when it started. */
static rw_thread_info *ending_thread(pthread_t tid, rw_thread_info *before)
{
    return before ? before : handle_find(tid);
}

void rw_thread_handles_lock(void)
{
    rw_spin_lock(&handles_lock);
}

void rw_thread_handles_unlock(void)
{
    rw_spin_unlock(&handles_lock);
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

/* [stack_lo, stack_hi) of thread th from pthread_getattr_np. */
static void stack_bounds_of(pthread_t th, rw_thread_info *in)
{
    pthread_attr_t attr;
    if (pthread_getattr_np(th, &attr) == 0) {
        void *addr;
        size_t size;
        if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
            in->stack_lo = (uintptr_t)addr;
            in->stack_hi = (uintptr_t)addr + size;
        }
        pthread_attr_destroy(&attr);
    }
}

/* The main thread's stack bounds are found on first use, not at start:
 * for the initial thread pthread_getattr_np reads /proc/self/maps
 * (an open, seven reads and a scan: 0.2 ms of every process's start,
 * while only a report's location needs them).  0 nothing pending, 1
 * pending, 2 being found, 3 done. */
static int main_stack_state;
static pthread_t main_stack_thread;
static rw_thread_info *main_stack_info;

void rw_thread_main_stack_bounds_later(rw_thread_info *in)
{
    main_stack_thread = pthread_self();
    main_stack_info = in;
    __atomic_store_n(&main_stack_state, 1, __ATOMIC_RELEASE);
    rw_thread_tls_bounds(in);
}

void rw_thread_main_stack_bounds_settle(void)
{
    int state = __atomic_load_n(&main_stack_state, __ATOMIC_ACQUIRE);
    if (state == 0 || state == 3)
        return;
    if (state == 1 && __atomic_compare_exchange_n(&main_stack_state, &state, 2, 0,
                                                  __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
        if (!main_stack_info->finished)
            stack_bounds_of(main_stack_thread, main_stack_info);
        __atomic_store_n(&main_stack_state, 3, __ATOMIC_RELEASE);
        return;
    }
    while (__atomic_load_n(&main_stack_state, __ATOMIC_ACQUIRE) != 3)
        sched_yield();
}

void rw_thread_stack_bounds(rw_thread_info *in)
{
    stack_bounds_of(pthread_self(), in);
    rw_thread_tls_bounds(in);
}

void rw_thread_tls_bounds(rw_thread_info *in)
{
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

/* A thread's real end: after the function returned or pthread_exit or
 * cancellation unwound it, after its cleanup handlers (which may unlock
 * mutexes) and its C++ thread_local and thread-specific data destructors
 * (which may still touch memory and locks).  glibc runs thread-specific
 * data destructors in rounds, up to PTHREAD_DESTRUCTOR_ITERATIONS, for as
 * long as destructors set new values: our key's destructor sets itself
 * again until the last round, so it runs after every destructor of the
 * earlier rounds.  (ThreadSanitizer ends its threads the same way.) */
static pthread_key_t end_key;
static int end_key_made;

static void thread_end(void)
{
    rw_thread *t = rw_cur;
    if (!t)
        return;
    rw_in_rt = 1;
    if (t->pend_base)
        rw_pending_write_store(t); /* its last copies (pending_write.c) */
    if (t->info && t->info->number == 1) {
        /* Main leaves by pthread_exit; the process ends with its last
         * thread: the threads running now are not leaked
         * (report_thread_leak.c). */
        rw_thread_leaks_exempt_running();
    }
    if (rw_compared_pending)
        rw_compared_pending_store(); /* its last compare's reads */
    rw_locks_at_thread_end(t);
    rw_thread_info *in = t->info;
    rw_thread_finish(t);
    rw_set_current_thread(NULL);
    rw_range_seen_thread_end();
    rw_waiter_end(in);
    rw_in_rt = 0;
}

static void end_key_destructor(void *rounds_left)
{
    uintptr_t left = (uintptr_t)rounds_left;
    if (left > 1 && pthread_setspecific(end_key, (void *)(left - 1)) == 0)
        return;
    thread_end();
}

/* Arm the calling thread's end (its first round's value). */
static void arm_thread_end(void)
{
    if (end_key_made)
        pthread_setspecific(end_key, (void *)(uintptr_t)PTHREAD_DESTRUCTOR_ITERATIONS);
}

void rw_thread_register_self(rw_thread_info *in)
{
    if (!end_key_made)
        end_key_made = pthread_key_create(&end_key, end_key_destructor) == 0;
    arm_thread_end();
    handle_add(pthread_self(), in);
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
        rw_range_seen_forget_all(); /* runtime/range_seen.h */
        rw_set_current_thread(a.t);
        rw_waiter_start(in);
        rw_waiter_started();
        arm_thread_end();
        /* Known by its pthread_t before it can hand it out (its creator
         * adds it too, after pthread_create returns). */
        handle_add(pthread_self(), in);
        rw_in_rt = 0;
    }
    void *ret = a.fn(a.arg);
    if (!end_key_made)
        thread_end(); /* no key: the end of the function is the best we know */
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
        /* libdw and its reals, found before the first thread we start (rt.h) */
        rw_reports_prepare();
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
        int state;
        if (a->t && attr && pthread_attr_getdetachstate(attr, &state) == 0 &&
            state == PTHREAD_CREATE_DETACHED)
            a->t->info->detached = 1;
        rw_leave();
    }
    rw_thread *child = a->t;
    if (child)
        rw_waiter_expect_start();
    int r = RW_RESOLVE(pthread_create)(th, attr, thread_trampoline, a);
    if (r != 0) {
        if (child) {
            rw_waiter_started(); /* it never will */
            rw_in_rt = 1;
            child->info->leak_exempt = 1; /* it never existed */
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
    } else {
        __atomic_store_n(&handles_incomplete, 1, __ATOMIC_RELAXED);
    }
    return r;
}

/* The joiner acquires the thread's final clock. */
static void joined(pthread_t th, rw_thread_info *before, uintptr_t pc)
{
    rw_thread *t = rw_enter();
    rw_thread_info *in = ending_thread(th, before);
    if (in) {
        in->joined = 1;
        uint32_t by = 0, stack = 0;
        if (t) {
            uint64_t own = t->pos;
            rw_vclock_join(&t->vc, &in->exit_vc);
            rw_vclock_set(&t->vc, t->slot, own);
            rw_vclock_free(&in->exit_vc);
            by = t->info ? t->info->number : 0;
            stack = walked_stack(t, pc);
        }
        handle_note_done(th, in, 1, by, stack);
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
    rw_thread_info *in = handle_find(th);
    rw_in_rt = 0;
    if (!in || __atomic_load_n(&in->finished, __ATOMIC_ACQUIRE))
        return 0;
    return rw_block_begin(RW_WAIT_JOIN, "pthread_join", &in->waiter, NULL, pc);
}

/* Joining a thread twice, or a detached one, or a pthread_t no thread
 * ever had, is undefined behaviour (a hang or a crash in glibc): report
 * it and fail instead, with EINVAL (ESRCH for an unknown thread).  A
 * pthread_t that glibc reused for a new thread is that thread's: the
 * table keeps the newest. */
static int join_misuse(pthread_t th, const char *call, uintptr_t pc)
{
    rw_thread *t = rw_enter();
    if (!t)
        return 0;
    int was_joined = 0;
    rw_thread_info *in = handle_lookup(th, &was_joined);
    int bad = 0;
    char line[128], title[96];
    rw_misuse_previous prev = { NULL, 0, 0 };
    char prev_line[96];
    if (in && (was_joined || in->detached)) {
        bad = EINVAL;
        handle_done(th, &prev.thread, &prev.stack);
        snprintf(prev_line, sizeof prev_line, "Previous %s of thread %u",
                 was_joined ? "pthread_join" : "pthread_detach", in->number);
        prev.line = prev_line;
        snprintf(line, sizeof line, "Thread %u (pthread_t %#lx) %s", in->number,
                 (unsigned long)th, strcmp(call, "pthread_join") == 0 ? "joined" : "detached");
        snprintf(title, sizeof title, "%s of a thread that was already %s", call,
                 was_joined ? "joined" : "detached");
        if (!was_joined && strcmp(call, "pthread_join") == 0)
            snprintf(title, sizeof title, "pthread_join of a detached thread");
    } else if (!in && rw_ready && !__atomic_load_n(&handles_incomplete, __ATOMIC_RELAXED)) {
        bad = ESRCH;
        snprintf(line, sizeof line, "pthread_t %#lx, which no thread of this process has,",
                 (unsigned long)th);
        snprintf(title, sizeof title, "%s of a thread that does not exist", call);
    }
    if (bad)
        rw_report_misuse_previous(t, title, line, pc, 0, &prev);
    rw_leave();
    return bad;
}

/* A thread cancelled in a registered join: its wait is over. */
static void join_cancelled(void *unused)
{
    (void)unused;
    rw_block_end(RW_WAIT_JOIN, NULL);
}

RW_EXPORT int pthread_join(pthread_t th, void **ret)
{
    int misuse = join_misuse(th, "pthread_join", RW_CALLER_PC());
    if (misuse)
        return misuse;
    rw_thread_info *ending = handle_find(th);
    /* A timed join first: only a join still waiting after it is
     * registered with the deadlock checks. */
    int r = EBUSY;
    if (rw_cur && !pthread_equal(th, pthread_self())) {
        struct timespec ts = rw_grace_deadline();
        r = RW_RESOLVE(pthread_clockjoin_np)(th, ret, CLOCK_MONOTONIC, &ts);
    }
    if (r == EBUSY || r == ETIMEDOUT) {
        int blocked = join_begin(th, RW_CALLER_PC());
        if (blocked) {
            pthread_cleanup_push(join_cancelled, NULL);
            r = RW_RESOLVE(pthread_join)(th, ret);
            pthread_cleanup_pop(0);
            rw_block_end(RW_WAIT_JOIN, NULL);
        } else {
            r = RW_RESOLVE(pthread_join)(th, ret);
        }
    }
    rw_block_reason_unused();
    if (r == 0)
        joined(th, ending, RW_CALLER_PC());
    return r;
}

RW_EXPORT int pthread_tryjoin_np(pthread_t th, void **ret)
{
    rw_thread_info *ending = handle_find(th);
    int r = RW_RESOLVE(pthread_tryjoin_np)(th, ret);
    if (r == 0)
        joined(th, ending, RW_CALLER_PC());
    return r;
}

RW_EXPORT int pthread_timedjoin_np(pthread_t th, void **ret, const struct timespec *abstime)
{
    rw_thread_info *ending = handle_find(th);
    int r = RW_RESOLVE(pthread_timedjoin_np)(th, ret, abstime);
    if (r == 0)
        joined(th, ending, RW_CALLER_PC());
    return r;
}

RW_EXPORT int pthread_clockjoin_np(pthread_t th, void **ret, clockid_t clock,
                                   const struct timespec *abstime)
{
    rw_thread_info *ending = handle_find(th);
    int r = RW_RESOLVE(pthread_clockjoin_np)(th, ret, clock, abstime);
    if (r == 0)
        joined(th, ending, RW_CALLER_PC());
    return r;
}

RW_EXPORT int pthread_detach(pthread_t th)
{
    int misuse = join_misuse(th, "pthread_detach", RW_CALLER_PC());
    if (misuse)
        return misuse;
    rw_thread_info *ending = handle_find(th);
    int r = RW_RESOLVE(pthread_detach)(th);
    if (r == 0) {
        rw_thread *t = rw_cur;
        rw_in_rt++;
        rw_thread_info *in = ending_thread(th, ending);
        if (in)
            in->detached = 1;
        if (in && t)
            handle_note_done(th, in, 0, t->info ? t->info->number : 0,
                             walked_stack(t, RW_CALLER_PC()));
        rw_in_rt--;
    }
    return r;
}

/* A cancelled thread is marked before the request is made: asleep in a
 * wait it looks unchanged until it runs again and unwinds, and no verdict
 * may count on it meanwhile. */
RW_EXPORT int pthread_cancel(pthread_t th)
{
    if (rw_cur && !rw_in_rt) {
        rw_in_rt = 1;
        rw_thread_info *in = handle_find(th);
        if (in && !__atomic_load_n(&in->finished, __ATOMIC_ACQUIRE))
            rw_waiter_cancel_requested(in);
        rw_in_rt = 0;
    }
    return RW_RESOLVE(pthread_cancel)(th);
}
