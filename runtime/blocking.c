/* blocking.c: the runtime's side of the deadlock checks.
 *
 * Interceptors call rw_block_begin before a wait without timeout that may
 * sleep and rw_block_end after it; thread start and end add and remove the
 * thread's waiter record.  This file also answers the detector's
 * questions about the objects threads wait on (rw_wait_model):
 *   mutex      glibc's own owner field (__data.__owner, the owner's kernel
 *              tid), so the answer is exact even for uncontended locks we
 *              never slowed down to track;
 *   rwlock     the writer / reader state our interceptors keep;
 *   condition  waiters and signals not yet consumed, counted here: a
 *              signal with no waiter is lost, as in POSIX;
 *   semaphore  sem_getvalue; process-shared ones, and any semaphore once
 *              the program has installed a signal handler (which may post
 *              it), are never judged;
 *   barrier    the round a waiter arrived in, against rounds completed
 *              (an OpenMP team's barriers too: their party count is set
 *              by the first arrival, rw_barrier_count_once);
 *   lock       a lock whose holder our interceptors record (OpenMP's
 *              omp_lock_t has no owner field): free, or held by whom;
 *   idle       a thread of libgomp's pool between regions: it can go on
 *              only while a region started and not all its workers
 *              have arrived (handed-out jobs not yet taken);
 *   join       whether the thread has finished.
 * A verdict is printed in Go's form and the process exits with status 2.
 *
 * Lock, join and semaphore waits first wait RW_GRACE_MS with a timeout
 * (clocklock, clockjoin, clockwait) and register only if still blocked:
 * short contended waits never touch the global state, and a deadlock is
 * still reported within RW_GRACE_MS plus the check. */
#include "runtime/rt.h"
#include "detector/alloc.h"

#include <dirent.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "detector/report_json.h"
#include "detector/syncvar.h"
#include "detector/waitfor.h"
#include "runtime/symbolize.h"
#include "runtime/wait_context.h"

int rw_signal_handlers_installed;

__thread unw_context_t rw_wait_context RW_TLS;

__thread const char *rw_block_reason RW_TLS;

struct timespec rw_grace_deadline(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_nsec += RW_GRACE_MS * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* The channel library names its waits ("chan send"...). */
RW_EXPORT void __racewatch_block_reason(const char *reason)
{
    rw_block_reason = reason;
}

/* The kernel ids a thread had in the processes this one was forked from:
 * glibc's mutex owner fields keep the id the forking thread had in the
 * parent, and that thread, under its new id here, still holds them. */
#define FORK_ALIASES 64
static struct fork_alias {
    int tid;
    rw_waiter *w;
} fork_aliases[FORK_ALIASES];
static unsigned nfork_aliases;

static rw_waiter *waiter_by_tid(int tid)
{
    for (rw_waiter *w = rw_waitfor_first(); w; w = w->next)
        if (w->tid == tid)
            return w;
    for (unsigned i = 0; i < nfork_aliases && i < FORK_ALIASES; i++)
        if (fork_aliases[i].tid == tid && fork_aliases[i].w->live)
            return fork_aliases[i].w;
    return NULL;
}

int rw_thread_number_by_tid(int tid)
{
    rw_waitfor_lock();
    rw_waiter *w = waiter_by_tid(tid);
    int number = w ? (int)w->number : -1;
    rw_waitfor_unlock();
    return number;
}

static int mutex_owner_tid(const void *m)
{
    return __atomic_load_n(&((const pthread_mutex_t *)m)->__data.__owner, __ATOMIC_ACQUIRE);
}

static int finished_recently(int tid);

/* glibc's marks of a process-shared object (nptl's internal layout, stable
 * since glibc 2.25): PTHREAD_MUTEX_PSHARED_BIT in a mutex's kind, a
 * rwlock's __shared, bit 0 of a condition's __wrefs, a semaphore's
 * private word. */
#define GLIBC_MUTEX_PSHARED_BIT 128

static int mutex_pshared(const void *m)
{
    return (((const pthread_mutex_t *)m)->__data.__kind & GLIBC_MUTEX_PSHARED_BIT) != 0;
}

/* Another process may end a wait on a process-shared object, so such a
 * wait is never judged (semantics.md).  Besides glibc's marks, an object
 * initialized with a process-shared attribute is marked here at init, and
 * a barrier this process never saw initialized (set up by another
 * process) is treated the same way. */
static int process_shared(const rw_waiter *w)
{
    rw_sync *s = rw_sync_get((uintptr_t)w->obj, 0);
    if (s && s->pshared)
        return 1;
    switch (w->kind) {
    case RW_WAIT_MUTEX:
        return mutex_pshared(w->obj);
    case RW_WAIT_RDLOCK:
    case RW_WAIT_WRLOCK:
        return ((const pthread_rwlock_t *)w->obj)->__data.__shared != 0;
    case RW_WAIT_COND:
        return (((const pthread_cond_t *)w->obj)->__data.__wrefs & 1) != 0 ||
               (w->obj2 && mutex_pshared(w->obj2));
    case RW_WAIT_SEM:
        /* nptl's new_sem on 64-bit: a 64-bit value, then `private`:
         * 0 (LLL_PRIVATE), or 128 (LLL_SHARED) for a process-shared one. */
        return sizeof(void *) == 8 && ((const int *)w->obj)[2] != 0;
    case RW_WAIT_BARRIER:
        return !s || s->count == 0;
    }
    return 0;
}

/* Jobs handed out to the idle pool and not yet taken (may go below zero
 * for a moment: a worker may start before its master counts it). */
static long pool_jobs_untaken;

static int can_end(const rw_waiter *w)
{
    rw_sync *s;
    /* A cancelled thread leaves its wait as soon as it runs again (or
     * never was in a cancellable one): nothing about it is certain. */
    if (w->cancel_requested)
        return 1;
    if (w->kind != RW_WAIT_JOIN && w->kind != RW_WAIT_FOREVER && w->kind != RW_WAIT_IDLE &&
        process_shared(w))
        return 1;
    switch (w->kind) {
    case RW_WAIT_MUTEX: {
        /* Free, or already ours (the lock call is about to return), or
         * held by a thread entering a condition wait on it, which is
         * about to release it. */
        int owner = mutex_owner_tid(w->obj);
        if (owner == 0 || (owner == w->tid && !w->ticket))
            return 1;
        rw_waiter *o = waiter_by_tid(owner);
        /* An owner that is no thread of ours, alive or finished, is a
         * thread we cannot see (another process, an unwatched thread). */
        if (!o)
            return !finished_recently(owner);
        return o->kind == RW_WAIT_COND && o->obj2 == w->obj;
    }
    case RW_WAIT_RDLOCK:
        s = rw_sync_get((uintptr_t)w->obj, 0);
        return !s || __atomic_load_n(&s->owner, __ATOMIC_ACQUIRE) == 0;
    case RW_WAIT_WRLOCK:
        s = rw_sync_get((uintptr_t)w->obj, 0);
        return !s || (__atomic_load_n(&s->owner, __ATOMIC_ACQUIRE) == 0 &&
                      __atomic_load_n(&s->readers, __ATOMIC_ACQUIRE) == 0);
    case RW_WAIT_COND:
        s = rw_sync_get((uintptr_t)w->obj, 0);
        return !s || s->pending > 0;
    case RW_WAIT_JOIN:
        return !((const rw_waiter *)w->obj)->live;
    case RW_WAIT_SEM: {
        s = rw_sync_get((uintptr_t)w->obj, 0);
        if (rw_signal_handlers_installed)
            return 1;
        /* A post that a waiter has not yet come back from counts too: the
         * kernel may already have handed it over (value back to 0). */
        if (s && s->pending > 0)
            return 1;
        int value = 0;
        sem_getvalue((sem_t *)w->obj, &value);
        return value > 0;
    }
    case RW_WAIT_BARRIER:
        s = rw_sync_get((uintptr_t)w->obj, 0);
        return !s || s->round > w->ticket;
    case RW_WAIT_FOREVER:
        return 0;
    case RW_WAIT_LOCK:
        s = rw_sync_get((uintptr_t)w->obj, 0);
        return !s || __atomic_load_n(&s->owner, __ATOMIC_ACQUIRE) == 0;
    case RW_WAIT_IDLE:
        return pool_jobs_untaken > 0;
    }
    return 1;
}

static rw_waiter *waiter_by_number(uint32_t number)
{
    for (rw_waiter *w = rw_waitfor_first(); w; w = w->next)
        if (w->number == number)
            return w;
    return NULL;
}

static rw_waiter *holder(const rw_waiter *w)
{
    if (w->kind == RW_WAIT_MUTEX)
        return waiter_by_tid(mutex_owner_tid(w->obj));
    if (w->kind == RW_WAIT_JOIN)
        return (rw_waiter *)w->obj;
    if (w->kind == RW_WAIT_LOCK) {
        rw_sync *s = rw_sync_get((uintptr_t)w->obj, 0);
        uint32_t owner = s ? __atomic_load_n(&s->owner, __ATOMIC_ACQUIRE) : 0;
        return owner ? waiter_by_number(owner) : NULL;
    }
    return NULL;
}

/* Kernel ids of threads that finished recently: such a thread may still
 * be listed in /proc for a moment after its last event. */
#define FINISHED_RING 4096
static int finished_tids[FINISHED_RING] RW_LARGE_BSS;
static unsigned finished_next;

static int finished_recently(int tid)
{
    for (unsigned i = 0; i < FINISHED_RING; i++)
        if (finished_tids[i] == tid)
            return 1;
    return 0;
}

/* Threads made by our pthread_create that have not yet run
 * rw_waiter_start: such a thread is running (or about to), but is in no
 * waiter list yet.  /proc/self/task lists it from the moment clone
 * returns, but its kernel id may be one a finished thread of ours had
 * (pid_max is 32768 here, and other processes' threads go through ids
 * fast), and finished_recently then takes it for that thread's last
 * moment: tests/robust/dlopen.c once got a false "all threads are
 * asleep" from main's condition wait while a worker was starting. */
static int threads_starting;

void rw_waiter_expect_start(void)
{
    __atomic_add_fetch(&threads_starting, 1, __ATOMIC_SEQ_CST);
}

/* Threads of this process that racewatch does not watch (made before it
 * started, or by clone) or does not watch yet (starting): then nobody can
 * say all are asleep. */
static int unwatched_threads(int nlive)
{
    (void)nlive;
    if (__atomic_load_n(&threads_starting, __ATOMIC_SEQ_CST) > 0)
        return 1;
    DIR *d = opendir("/proc/self/task");
    if (!d)
        return 1;
    int unknown = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && !unknown) {
        if (e->d_name[0] == '.')
            continue;
        int tid = atoi(e->d_name);
        if (!waiter_by_tid(tid) && !finished_recently(tid))
            unknown = 1;
    }
    closedir(d);
    return unknown;
}

static const rw_wait_model model = { can_end, holder, unwatched_threads };

void rw_blocking_init(void)
{
    rw_waitfor_set_model(&model);
}

void rw_waiter_start(rw_thread_info *in)
{
    rw_waiter *w = &in->waiter;
    w->number = in->number;
    w->parent = in->parent;
    w->create_stack = in->create_stack;
    w->tid = (int)syscall(SYS_gettid);
    rw_waitfor_add(w);
}

/* A thread made by pthread_create, after its rw_waiter_start: that add
 * took the checks' lock, so a check sees the waiter or the count. */
void rw_waiter_started(void)
{
    __atomic_sub_fetch(&threads_starting, 1, __ATOMIC_SEQ_CST);
}

/* Flush stdout and stderr before a fatal report, each only if its lock is
 * free: a deadlocked thread may hold it for ever (flockfile, or asleep in
 * the middle of a printf on a blocked pipe), and the report must come out
 * regardless.  Other streams are left alone, as a crash leaves them. */
void rw_flush_stdio_nowait(void)
{
    FILE *streams[2] = { stdout, stderr };
    for (int i = 0; i < 2; i++) {
        if (ftrylockfile(streams[i]) == 0) {
            fflush_unlocked(streams[i]);
            funlockfile(streams[i]);
        }
    }
}

/* The stack of w's wait (lock held), walked from the registers it saved
 * if it has not been yet. */
static void stack_from_context(rw_waiter *w)
{
    if (!w->wait_context)
        return;
    rw_report_stack where;
    rw_capture_program_stack_saved(w->wait_context, w->wait_pc, w->wait_api_caller, &where);
    w->stack = rw_stack_put(where.pcs, (uint32_t)where.n);
    w->wait_context = NULL;
}

/* Print the verdict (lock held) and end the process like Go: status 2. */
static void deadlock(rw_deadlock_report *r) __attribute__((noreturn));
static void deadlock(rw_deadlock_report *r)
{
    rw_in_rt = 1;
    /* The stacks of waits that saved their registers (wait_context.h):
     * each of these threads is still inside its wait, which it cannot
     * leave without the lock held here. */
    for (int i = 0; i < r->n; i++)
        stack_from_context(r->threads[i]);
    rw_symbolize_names_only_for_libc();
    rw_buf text;
    rw_buf_init(&text);
    rw_format_deadlock(&text, r, rw_symbolize_pc);
    rw_flush_stdio_nowait();
    rw_sink_lock();
    rw_sink_write(text.data, text.len);
    if (rw_json_enabled()) {
        rw_buf json;
        rw_buf_init(&json);
        rw_json_context jc = rw_json_here();
        const char *title = r->verdict == RW_CYCLE ? "fatal error: deadlock!"
                                                   : "fatal error: all threads are asleep - deadlock!";
        rw_json_deadlock(&json, &jc, r, title, text.data, rw_symbolize_pc);
        rw_sink_json(json.data, json.len);
        rw_buf_free(&json);
    }
    rw_sink_unlock();
    rw_buf_free(&text);
    rw_note_fatal(RW_FATAL_DEADLOCK);
    rw_exit_now(2);
}

static void waiter_leaves(rw_waiter *w);

void rw_blocking_after_fork(rw_thread_info *survivor)
{
    /* The other threads are gone: finished, and no longer inside any
     * condition or semaphore wait (a destroy of one is not "with
     * waiters", a signal is not taken by them).  Barrier arrivals stay:
     * they are in the barrier's own memory, which the child inherits. */
    for (rw_waiter *w = rw_waitfor_first(); w; w = w->next) {
        if (survivor && w == &survivor->waiter)
            continue;
        finished_tids[finished_next++ % FINISHED_RING] = w->tid;
        if (w->counted_in)
            waiter_leaves(w);
    }
    if (survivor) {
        rw_waiter *me = &survivor->waiter;
        int tid = (int)syscall(SYS_gettid);
        if (me->tid != tid) {
            fork_aliases[nfork_aliases++ % FORK_ALIASES] = (struct fork_alias){ me->tid, me };
            me->tid = tid;
        }
    }
    /* A thread another thread was making at the fork is not in the child. */
    __atomic_store_n(&threads_starting, 0, __ATOMIC_SEQ_CST);
    rw_waitfor_reset_after_fork(survivor ? &survivor->waiter : NULL);
}

/* pthread_cancel of a watched thread: from now on its waits can end. */
void rw_waiter_cancel_requested(rw_thread_info *in)
{
    rw_waitfor_lock();
    in->waiter.cancel_requested = 1;
    rw_waitfor_unlock();
}

void rw_waiter_end(rw_thread_info *in)
{
    rw_waitfor_lock();
    finished_tids[finished_next++ % FINISHED_RING] = in->waiter.tid;
    for (unsigned i = 0; i < nfork_aliases && i < FORK_ALIASES; i++)
        if (fork_aliases[i].w == &in->waiter)
            finished_tids[finished_next++ % FINISHED_RING] = fork_aliases[i].tid;
    rw_waitfor_unlock();
    rw_deadlock_report r;
    if (rw_waitfor_remove(&in->waiter, &r) != RW_NO_DEADLOCK)
        deadlock(&r);
}

static const char *take_reason(const char *dflt)
{
    const char *r = rw_block_reason;
    rw_block_reason = NULL;
    return r ? r : dflt;
}

static void waiter_arrives(rw_waiter *w, const void *obj);

static int block_begin(rw_thread *t, int kind, const char *reason, const void *obj,
                       const void *obj2, uint32_t stack, const void *context, uintptr_t pc);

int rw_block_begin(int kind, const char *reason, const void *obj, const void *obj2,
                   uintptr_t pc)
{
    rw_thread *t = rw_enter();
    if (!t)
        return 0;
    rw_report_stack where;
    rw_capture_program_stack(pc, &where);
    return block_begin(t, kind, reason, obj, obj2, rw_stack_put(where.pcs, (uint32_t)where.n),
                       NULL, pc);
}

int rw_block_begin_saved(int kind, const char *reason, const void *obj, const void *obj2,
                         uintptr_t pc)
{
    rw_thread *t = rw_enter();
    if (!t)
        return 0;
    return block_begin(t, kind, reason, obj, obj2, 0, &rw_wait_context, pc);
}

int rw_block_begin_at(int kind, const char *reason, const void *obj, const void *obj2,
                      uintptr_t pc)
{
    rw_thread *t = rw_enter();
    if (!t)
        return 0;
    return block_begin(t, kind, reason, obj, obj2, rw_stack_put(&pc, 1), NULL, pc);
}

/* Register the wait: its stack is stack, or (context not NULL) to be
 * walked from the registers saved there if a report shows it. */
static int block_begin(rw_thread *t, int kind, const char *reason, const void *obj,
                       const void *obj2, uint32_t stack, const void *context, uintptr_t pc)
{
    rw_thread_info *in = t->info;
    const char *why = take_reason(reason);
    rw_deadlock_report r;
    uint64_t ticket = 0;
    /* A mutex we already own when we start waiting (a relock of a normal
     * mutex) is a cycle of one: mark it, it is not "about to return". */
    if (kind == RW_WAIT_MUTEX && mutex_owner_tid(obj) == in->waiter.tid)
        ticket = 1;
    uintptr_t caller = context ? rw_api_caller() : 0;
    rw_waitfor_lock();
    in->waiter.wait_context = context;
    in->waiter.wait_pc = pc;
    in->waiter.wait_api_caller = caller;
    if (kind == RW_WAIT_COND || kind == RW_WAIT_SEM) {
        waiter_arrives(&in->waiter, obj);
    } else if (kind == RW_WAIT_BARRIER) {
        rw_sync *s = rw_sync_get((uintptr_t)obj, 1);
        if (s) {
            ticket = s->round;
            if (s->count && ++s->arrived >= s->count) {
                /* The last arrival completes the round: it does not wait. */
                s->arrived = 0;
                s->round++;
                rw_waitfor_unlock();
                rw_leave();
                return 1;
            }
        }
    }
    if (rw_waitfor_block_locked(&in->waiter, kind, why, obj, obj2, ticket,
                                stack, &r) != RW_NO_DEADLOCK)
        deadlock(&r);
    rw_leave();
    return 1;
}

/* A waiter arrives at / leaves a condition or semaphore (lock held): it
 * is counted while inside, and takes one pending wake-up when it leaves. */
static void waiter_arrives(rw_waiter *w, const void *obj)
{
    rw_sync *s = rw_sync_get((uintptr_t)obj, 1);
    if (s) {
        s->waiters++;
        w->counted_in = obj;
    }
}

static void waiter_leaves(rw_waiter *w)
{
    rw_sync *s = w->counted_in ? rw_sync_get((uintptr_t)w->counted_in, 0) : NULL;
    w->counted_in = NULL;
    if (s) {
        if (s->waiters > 0)
            s->waiters--;
        if (s->pending > 0)
            s->pending--;
    }
}

void rw_block_end(int kind, const void *obj)
{
    (void)obj; /* a condition or semaphore waiter knows what it was counted in */
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_waitfor_lock();
    if (kind == RW_WAIT_COND || kind == RW_WAIT_SEM)
        waiter_leaves(&t->info->waiter);
    rw_waitfor_unblock_locked(&t->info->waiter);
    rw_waitfor_unlock();
    rw_leave();
}

/* A timed condition wait: counted as a waiter (it consumes signals) but
 * never asleep. */
void rw_cond_timed_begin(const void *cond)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_waitfor_lock();
    waiter_arrives(&t->info->waiter, cond);
    rw_waitfor_unlock();
    rw_leave();
}

void rw_cond_timed_end(void)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_waitfor_lock();
    waiter_leaves(&t->info->waiter);
    rw_waitfor_unlock();
    rw_leave();
}

void rw_cond_signalled(const void *cond, int all)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_waitfor_lock();
    rw_sync *s = rw_sync_get((uintptr_t)cond, 0);
    if (s) {
        if (all)
            s->pending = s->waiters;
        else if (s->pending < s->waiters)
            s->pending++;
    }
    rw_waitfor_unlock();
    rw_leave();
}

/* sem_post: one sleeping waiter may now be handed the count. */
void rw_sem_posted(const void *sem)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_waitfor_lock();
    rw_sync *s = rw_sync_get((uintptr_t)sem, 0);
    if (s && s->pending < s->waiters)
        s->pending++;
    rw_waitfor_unlock();
    rw_leave();
}

void rw_barrier_set_count(const void *barrier, unsigned count)
{
    rw_waitfor_lock();
    rw_sync *s = rw_sync_get((uintptr_t)barrier, 1);
    if (s) {
        s->count = count;
        s->arrived = 0;
    }
    rw_waitfor_unlock();
}

/* An OpenMP team's barrier: only its arrivals know the team's size. */
void rw_barrier_count_once(const void *barrier, unsigned count)
{
    rw_sync *s = rw_sync_get((uintptr_t)barrier, 0);
    if (s && __atomic_load_n(&s->count, __ATOMIC_RELAXED) != 0)
        return;
    rw_waitfor_lock();
    s = rw_sync_get((uintptr_t)barrier, 1);
    if (s && s->count == 0)
        s->count = count;
    rw_waitfor_unlock();
}

/* An arrival that does not wait for the round (an OpenMP worker at its
 * region's end: libgomp's wait there is for the master to see). */
void rw_barrier_arrive(const void *barrier)
{
    rw_waitfor_lock();
    rw_sync *s = rw_sync_get((uintptr_t)barrier, 1);
    if (s && s->count && ++s->arrived >= s->count) {
        s->arrived = 0;
        s->round++;
    }
    rw_waitfor_unlock();
}

void rw_pool_handout(unsigned jobs)
{
    if (jobs == 0)
        return;
    rw_waitfor_lock();
    pool_jobs_untaken += jobs;
    rw_waitfor_unlock();
}

void rw_pool_take(void)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_waitfor_lock();
    pool_jobs_untaken--;
    if (t->info->waiter.kind == RW_WAIT_IDLE)
        rw_waitfor_unblock_locked(&t->info->waiter);
    rw_waitfor_unlock();
    rw_leave();
}

int rw_wait_suspend(rw_wait_saved *out)
{
    rw_thread *t = rw_cur;
    if (!t || rw_in_rt || !t->info)
        return 0;
    rw_waiter *w = &t->info->waiter;
    if (__atomic_load_n(&w->kind, __ATOMIC_RELAXED) == RW_WAIT_NONE)
        return 0; /* only this thread sets its own wait */
    rw_in_rt = 1;
    rw_waitfor_lock();
    /* The saved registers are this wait's only until the thread's next
     * one: walk them now (the wait's frames are below this call). */
    stack_from_context(w);
    out->kind = w->kind;
    out->reason = w->reason;
    out->obj = w->obj;
    out->obj2 = w->obj2;
    out->ticket = w->ticket;
    out->stack = w->stack;
    rw_waitfor_unblock_locked(w);
    rw_waitfor_unlock();
    rw_in_rt = 0;
    return 1;
}

void rw_wait_resume(const rw_wait_saved *in)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_deadlock_report r;
    rw_waitfor_lock();
    t->info->waiter.wait_context = NULL;
    if (rw_waitfor_block_locked(&t->info->waiter, in->kind, in->reason, in->obj, in->obj2,
                                in->ticket, in->stack, &r) != RW_NO_DEADLOCK)
        deadlock(&r);
    rw_leave();
}

void rw_mark_pshared(const void *obj)
{
    rw_sync *s = rw_sync_get((uintptr_t)obj, 1);
    if (s)
        s->pshared = 1;
}
