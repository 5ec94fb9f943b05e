/* intercept_mutex.c: mutexes, spinlocks, read-write locks and condition
 * variables.
 *
 * Every successful lock acquires the object's clock; every unlock releases
 * into it *before* the real unlock, so the next owner cannot acquire an
 * older clock.  A read-write lock keeps two clocks: write-unlocks go to
 * every later lock, read-unlocks only to later write-locks.  A condition
 * wait is an unlock and a lock of its mutex; signal and broadcast need no
 * edge of their own (shared/spec/semantics.md). */
#include "runtime/rt.h"
#include "runtime/wait_context.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "detector/syncvar.h"
#include "detector/lockgraph.h"
#include "detector/waitfor.h"

__thread int rw_ignore_sync RW_TLS;

RW_EXPORT void __racewatch_ignore_sync_begin(void)
{
    rw_ignore_sync++;
}

RW_EXPORT void __racewatch_ignore_sync_end(void)
{
    if (rw_ignore_sync > 0)
        rw_ignore_sync--;
}

RW_DECLARE_REAL(int, pthread_mutex_init, pthread_mutex_t *, const pthread_mutexattr_t *);
RW_DECLARE_REAL(int, pthread_mutex_destroy, pthread_mutex_t *);
RW_DECLARE_REAL(int, pthread_mutex_lock, pthread_mutex_t *);
RW_DECLARE_REAL(int, pthread_mutex_trylock, pthread_mutex_t *);
RW_DECLARE_REAL(int, pthread_mutex_timedlock, pthread_mutex_t *, const struct timespec *);
RW_DECLARE_REAL(int, pthread_mutex_clocklock, pthread_mutex_t *, clockid_t, const struct timespec *);
RW_DECLARE_REAL(int, pthread_mutex_unlock, pthread_mutex_t *);
RW_DECLARE_REAL(int, pthread_spin_init, pthread_spinlock_t *, int);
RW_DECLARE_REAL(int, pthread_spin_destroy, pthread_spinlock_t *);
RW_DECLARE_REAL(int, pthread_spin_lock, pthread_spinlock_t *);
RW_DECLARE_REAL(int, pthread_spin_trylock, pthread_spinlock_t *);
RW_DECLARE_REAL(int, pthread_spin_unlock, pthread_spinlock_t *);
RW_DECLARE_REAL(int, pthread_rwlock_init, pthread_rwlock_t *, const pthread_rwlockattr_t *);
RW_DECLARE_REAL(int, pthread_rwlock_destroy, pthread_rwlock_t *);
RW_DECLARE_REAL(int, pthread_rwlock_rdlock, pthread_rwlock_t *);
RW_DECLARE_REAL(int, pthread_rwlock_tryrdlock, pthread_rwlock_t *);
RW_DECLARE_REAL(int, pthread_rwlock_timedrdlock, pthread_rwlock_t *, const struct timespec *);
RW_DECLARE_REAL(int, pthread_rwlock_clockrdlock, pthread_rwlock_t *, clockid_t, const struct timespec *);
RW_DECLARE_REAL(int, pthread_rwlock_wrlock, pthread_rwlock_t *);
RW_DECLARE_REAL(int, pthread_rwlock_trywrlock, pthread_rwlock_t *);
RW_DECLARE_REAL(int, pthread_rwlock_timedwrlock, pthread_rwlock_t *, const struct timespec *);
RW_DECLARE_REAL(int, pthread_rwlock_clockwrlock, pthread_rwlock_t *, clockid_t, const struct timespec *);
RW_DECLARE_REAL(int, pthread_rwlock_unlock, pthread_rwlock_t *);
RW_DECLARE_REAL(int, pthread_cond_wait, pthread_cond_t *, pthread_mutex_t *);
RW_DECLARE_REAL(int, pthread_cond_timedwait, pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
RW_DECLARE_REAL(int, pthread_cond_clockwait, pthread_cond_t *, pthread_mutex_t *, clockid_t, const struct timespec *);
RW_DECLARE_REAL(int, pthread_cond_signal, pthread_cond_t *);
RW_DECLARE_REAL(int, pthread_cond_destroy, pthread_cond_t *);
RW_DECLARE_REAL(int, pthread_cond_init, pthread_cond_t *, const pthread_condattr_t *);
RW_DECLARE_REAL(int, pthread_cond_broadcast, pthread_cond_t *);

#define GLIBC_COND "GLIBC_2.3.2"

/* glibc's mutex kinds (nptl's __kind, without the process-shared and
 * elision bits): the type in the low 2 bits, then the robust,
 * priority-inheritance and priority-protection flags. */
#define GLIBC_MUTEX_TYPE_MASK 3
#define GLIBC_MUTEX_ROBUST 0x10
#define GLIBC_MUTEX_PI 0x20
#define GLIBC_FUTEX_TID_MASK 0x3fffffff

/* --- the edges ---------------------------------------------------------- */

/* holder_may_skip_spin: a mutex's or spinlock's clock is read by each
 * lock right after the program's lock returned and written by each unlock
 * right before the program's unlock, so the program's lock itself orders
 * every holder's use of it with the next one's (its unlock releases, its
 * lock acquires).  The object's spinlock adds nothing there, and its
 * atomic exchange on a line another core wrote last waited for that line
 * at every lock and unlock (barnes: 2048 cell locks taken around single
 * loads by every thread, 9% of the run in the two exchanges).  It is
 * skipped while the clock lives in the object's own line and a join
 * cannot move it (rw_sync_clock_inline): then nothing is allocated or
 * freed under a reader, so a program that breaks the lock's rules (an
 * unlock by a thread that does not hold it takes the spinlock; an init
 * or destroy of a held lock) can at worst leave a clock entry stale,
 * never touch freed memory.  Everything else on the object (rwlocks,
 * condition state, misuse records, resets) keeps the spinlock. */

/* own_release_skip: most locks of a program with many locks are taken
 * again by the thread that released them last (barnes: 96% of its 2.1M
 * cell locks).  Such a lock has nothing to acquire: the object's clock is
 * the clock that thread released, which its own clock still holds.  A
 * sync object names that clock (clock_of, detector/syncvar.h): set by a
 * lock here once the object's clock was acquired, kept by the holder's
 * own release, cleared by any other thread's release into it and by a
 * reset; a thread's clock_id changes whenever its clock is set afresh (a
 * new thread in the slot, a fiber).  A stale clock_of could only cost an
 * edge (a report too many), never hide a race: the skip adds nothing.
 * The unlock of such a lock copies the clock instead of joining it (the
 * join of a clock into one it holds is a copy), without first reading
 * the object's entries, a line that another core may hold. */

/* A successful lock: acquire the object's clock; then the lock order
 * (a try-lock adds no edge into the lock, it cannot block) and the
 * thread's held set. */
static inline __attribute__((always_inline)) void
lock_acquired(const volatile void *obj, int trylock, int robust, uintptr_t pc)
{
    if (rw_ignore_sync)
        return;
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_sync *s = rw_sync_get((uintptr_t)obj, 1);
    if (s) {
        /* We hold the program's lock: the last holder's release into s
         * happened before (see holder_may_skip_spin).  When our own
         * clock holds s's (clock_of: we released it last, or acquired it
         * and nobody released since), there is nothing to acquire: see
         * own_release_skip. */
        uint64_t uid;
        if (__atomic_load_n(&s->clock_of, __ATOMIC_RELAXED) == t->clock_id) {
            uid = s->uid;
        } else {
            int spin = !rw_sync_clock_inline(s, 0);
            if (spin)
                rw_spin_lock(&s->lock);
            rw_sync_acquire(t, s);
            __atomic_store_n(&s->clock_of, t->clock_id, __ATOMIC_RELAXED);
            uid = s->uid;
            if (spin)
                rw_spin_unlock(&s->lock);
        }
        if (!trylock && t->held.n > 0 && rw_lockgraph_is_new(&t->held, uid)) {
            /* A new edge: now the stacks are worth making. */
            for (uint32_t i = 0; i < t->held.n; i++)
                rw_held_stack(t, &t->held.items[i]);
            rw_lock_cycle cycle;
            if (rw_lockgraph_acquire(&t->held, uid, (uintptr_t)obj, rw_capture_stack_id(t, pc),
                                     t->info ? t->info->number : 0, &cycle))
                rw_report_lock_cycle(&cycle);
        }
        /* The acquisition's stack is kept as a trace position: rebuilt
         * only if this lock ever starts a lock-order edge. */
        rw_thread_event(t, RW_EV_ACCESS, pc);
        rw_sync_use(t, s, obj, pc);
        rw_held_push_full(&t->held, uid, (uintptr_t)obj, t->pos, pc, robust, s);
    }
    rw_leave();
}
/* lock_acquired out of line, for every lock but pthread_mutex_lock's,
 * which has it inline (its 2.1M calls in barnes paid for a call that
 * saved and restored six registers). */
static void on_lock_at(const volatile void *obj, int trylock, int robust, uintptr_t pc)
{
    lock_acquired(obj, trylock, robust, pc);
}
#define on_lock(obj) on_lock_at((obj), 0, 0, RW_CALLER_PC())

static int mutex_robust(const pthread_mutex_t *m)
{
    return (__atomic_load_n(&m->__data.__kind, __ATOMIC_RELAXED) & GLIBC_MUTEX_ROBUST) != 0;
}

static void on_mutex_lock(pthread_mutex_t *m, int trylock, uintptr_t pc)
{
    on_lock_at(m, trylock, mutex_robust(m), pc);
}

/* The sync object of a lock t holds at obj, as its lock found it (an
 * address has one sync object for good), else NULL: an unlock then needs
 * no look-up in the table, whose bucket is a cache miss when a program
 * uses thousands of locks. */
static rw_sync *held_sync(const rw_thread *t, const volatile void *obj)
{
    for (uint32_t i = t->held.n; i > 0; i--)
        if (t->held.items[i - 1].addr == (uintptr_t)obj)
            return t->held.items[i - 1].sync;
    return NULL;
}

/* The usual unlock of a program whose locks are held around a few loads
 * (barnes: 2.1M cell lock pairs): the lock t took last, whose clock t
 * released last or acquired (clock_of names t's clock: own_release_skip),
 * with the clock in the object's own line (holder_may_skip_spin).  Then
 * the held set's top entry is both the object and the entry to remove:
 * no search of the set for the object and again for its uid (14 of the
 * 112 instructions of barnes' unlocks).  The work is on_unlock's for this case
 * (the same object, release, removal); returns 0, having done nothing,
 * in any other case. */
static inline int unlock_own_top(rw_thread *t, const volatile void *obj)
{
    uint32_t n = t->held.n;
    if (n == 0)
        return 0;
    const rw_held *top = &t->held.items[n - 1];
    rw_sync *s = top->sync;
    if (top->addr != (uintptr_t)obj || !s || top->uid != s->uid ||
        __atomic_load_n(&s->clock_of, __ATOMIC_RELAXED) != t->clock_id ||
        !rw_sync_clock_inline(s, t->vc.size))
        return 0;
    rw_thread_prepare_release(t);
    rw_vclock_assign(&s->vc, &t->vc);
    t->held.n = n - 1;
    return 1;
}

/* on_unlock's general case, inside the runtime (rw_enter). */
static __attribute__((noinline)) void unlock_entered(rw_thread *t, const volatile void *obj)
{
    rw_sync *s = held_sync(t, obj);
    /* An unlock by the holder (a lock of ours recorded it) needs no
     * spinlock while the clock stays in s's own line: see
     * holder_may_skip_spin. */
    int spin = !s || !rw_sync_clock_inline(s, t->vc.size);
    if (!s)
        s = rw_sync_get((uintptr_t)obj, 1);
    if (s) {
        if (spin)
            rw_spin_lock(&s->lock);
        if (__atomic_load_n(&s->clock_of, __ATOMIC_RELAXED) == t->clock_id) {
            /* s's clock is at most ours: the join is a copy, made
             * without reading s's entries first (own_release_skip). */
            rw_thread_prepare_release(t);
            rw_vclock_assign(&s->vc, &t->vc);
        } else {
            rw_sync_release(t, s);
        }
        uint64_t uid = s->uid;
        if (spin)
            rw_spin_unlock(&s->lock);
        rw_held_remove(&t->held, uid);
    }
}

/* Before a real unlock: release into the object's clock, leave the held
 * set. */
static void on_unlock(const volatile void *obj)
{
    if (rw_ignore_sync)
        return;
    rw_thread *t = rw_enter();
    if (!t)
        return;
    if (!unlock_own_top(t, obj))
        unlock_entered(t, obj);
    rw_leave();
}

/* The locks a thread still holds at its real end (after its cleanup
 * handlers and thread-specific data destructors ran, which may unlock
 * them).  A robust mutex is handed on by the kernel: the next locker gets
 * EOWNERDEAD and owns it, a protocol rather than a mistake, so everything
 * the dead owner did is released into the mutex for that locker to
 * acquire.  Any other lock left held is a misuse warning. */
void rw_locks_at_thread_end(rw_thread *t)
{
    uint32_t kept = 0;
    for (uint32_t i = 0; i < t->held.n; i++) {
        rw_held *h = &t->held.items[i];
        if (!h->robust) {
            t->held.items[kept++] = *h;
            continue;
        }
        rw_sync *s = rw_sync_get(h->addr, 1);
        if (s) {
            rw_spin_lock(&s->lock);
            rw_sync_release(t, s);
            rw_spin_unlock(&s->lock);
        }
    }
    t->held.n = kept;
    if (t->held.n == 0)
        return;
    char line[160];
    rw_held *last = &t->held.items[t->held.n - 1];
    snprintf(line, sizeof line, "%u mutex(es) held at thread exit; mutex %p, acquired here,",
             t->held.n, (void *)last->addr);
    rw_report_misuse(t, "thread exited while holding mutexes", line, 0, rw_held_stack(t, last));
}

/* A misuse warning about a mutex another thread holds ("Mutex 0x.., held
 * by thread 2, destroyed"), the holder named by glibc's owner field. */
static void report_held_mutex(rw_thread *t, pthread_mutex_t *m, const char *title,
                              const char *done, uintptr_t pc)
{
    char line[160];
    int owner = m->__data.__owner;
    int number = rw_thread_number_by_tid(owner);
    if (number >= 0)
        snprintf(line, sizeof line, "Mutex %p, held by thread %d, %s", (void *)m, number, done);
    else
        snprintf(line, sizeof line, "Mutex %p, held by thread id %d (not watched), %s",
                 (void *)m, owner, done);
    rw_in_rt = 1;
    rw_report_misuse(t, title, line, pc, 0);
    rw_in_rt = 0;
}

/* glibc's kind bits a mutex may have: the type, robust, priority
 * inheritance and protection, process-shared, elision; a
 * priority-protected one keeps its ceiling in the high bits. */
#define GLIBC_MUTEX_KIND_BITS 0x3f3
#define GLIBC_MUTEX_PP 0x40
#define GLIBC_MUTEX_CEILING_MASK 0xfff80000u
#define GLIBC_MUTEX_DESTROYED (-1) /* pthread_mutex_destroy's mark */

/* A lock call failed with EINVAL: on a destroyed mutex (glibc marks its
 * kind) or one never initialised (a kind no mutex has; a zeroed one is
 * PTHREAD_MUTEX_INITIALIZER, legal), a warning.  (EINVAL for a bad
 * deadline on a good mutex says nothing.)  Only failed calls come here:
 * the uncontended lock pays nothing. */
static void lock_refused(pthread_mutex_t *m, uintptr_t pc)
{
    rw_thread *t = rw_cur;
    if (!t || rw_in_rt || rw_ignore_sync)
        return;
    int kind = __atomic_load_n(&m->__data.__kind, __ATOMIC_RELAXED);
    unsigned valid = GLIBC_MUTEX_KIND_BITS | ((kind & GLIBC_MUTEX_PP) ? GLIBC_MUTEX_CEILING_MASK : 0);
    if (kind != GLIBC_MUTEX_DESTROYED && !((unsigned)kind & ~valid))
        return;
    char line[128], prev_line[64];
    snprintf(line, sizeof line, "Mutex %p (kind %#x) locked", (void *)m, (unsigned)kind);
    rw_in_rt = 1;
    rw_misuse_previous prev = { prev_line, 0, 0 };
    rw_sync *s = rw_sync_get((uintptr_t)m, 0);
    if (s && kind == GLIBC_MUTEX_DESTROYED) {
        rw_spin_lock(&s->lock);
        prev.thread = s->destroy_thread;
        prev.stack = s->destroy_stack;
        rw_spin_unlock(&s->lock);
        snprintf(prev_line, sizeof prev_line, "Previous pthread_mutex_destroy of mutex %p",
                 (void *)m);
    }
    rw_report_misuse_previous(t, kind == GLIBC_MUTEX_DESTROYED ? "lock of a destroyed mutex"
                                                               : "lock of an uninitialised mutex",
                              line, pc, 0, &prev);
    rw_in_rt = 0;
}

/* Unlocking a mutex that is not locked is fatal, as in Go.  Unlocking
 * one that another thread holds is undefined for a POSIX mutex (Go allows
 * it for sync.Mutex), so it is a warning naming the holder.  glibc's
 * owner field says who holds it (a kernel thread id; the runtime maps it
 * to a thread, aliases of a forking thread included). */
static void check_unlock(pthread_mutex_t *m, uintptr_t pc)
{
    rw_thread *t = rw_cur;
    if (!t || rw_in_rt || rw_ignore_sync || !t->info)
        return;
    int kind = m->__data.__kind;
    if (kind & GLIBC_MUTEX_ROBUST) /* robust mutexes have their own rules */
        return;
    int owner = m->__data.__owner;
    if (owner == t->info->waiter.tid)
        return;
    if (owner == 0) {
        rw_report_fatal(t, "fatal error", "sync: unlock of unlocked mutex", pc);
        return;
    }
    /* In a fork child the forking thread's mutexes still carry its kernel
     * id in the parent: they are its own. */
    if (rw_thread_number_by_tid(owner) == (int)t->info->number)
        return;
    report_held_mutex(t, m, "unlock of a mutex held by another thread", "unlocked", pc);
}

/* A lock call that returns holding the mutex: success, or EOWNERDEAD (a
 * robust mutex whose owner died: the caller now owns it and is expected
 * to make it consistent). */
static inline int lock_taken(int r)
{
    return r == 0 || r == EOWNERDEAD;
}

/* Would glibc's unlock of m by the calling thread fail at once with EPERM?
 * So it does when m checks its owner (error-checking, recursive, robust,
 * priority-inheritance) and the caller does not hold it; a condition wait
 * on such a mutex then returns EPERM without unlocking, waiting or
 * relocking.  Exact: no other thread can make m's owner our thread id.
 * (Robust and PI mutexes keep the owner's id in the lock word.) */
static int unlock_refused(const pthread_mutex_t *m)
{
    rw_thread *t = rw_cur;
    if (!t || !t->info)
        return 0;
    int kind = __atomic_load_n(&m->__data.__kind, __ATOMIC_RELAXED);
    int type = kind & GLIBC_MUTEX_TYPE_MASK;
    int robust_or_pi = kind & (GLIBC_MUTEX_ROBUST | GLIBC_MUTEX_PI);
    if (!robust_or_pi && type != PTHREAD_MUTEX_RECURSIVE && type != PTHREAD_MUTEX_ERRORCHECK)
        return 0; /* normal and adaptive mutexes unlock for anyone */
    int owner = robust_or_pi
                    ? (int)(__atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED) & GLIBC_FUTEX_TID_MASK)
                    : __atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED);
    return owner != t->info->waiter.tid;
}

void rw_note_destroy(const void *obj, uintptr_t pc)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_sync *s = rw_sync_get((uintptr_t)obj, 1);
    if (s) {
        /* cheap: the shadow stack, or the call's pc alone */
        uint32_t stack = rw_capture_stack_id(t, pc);
        rw_spin_lock(&s->lock);
        s->destroy_thread = t->info ? t->info->number : 0;
        s->destroy_stack = stack;
        rw_spin_unlock(&s->lock);
    }
    rw_leave();
}

static void on_reset(const volatile void *obj)
{
    rw_thread *t = rw_enter();
    rw_sync_reset((uintptr_t)obj);
    if (t)
        rw_leave();
}

/* Read-write locks: the owner field tells a write unlock from a read one. */
static void on_rwlock(const void *obj, int write, uintptr_t pc)
{
    if (rw_ignore_sync)
        return;
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_sync *s = rw_sync_get((uintptr_t)obj, 1);
    if (s) {
        rw_spin_lock(&s->lock);
        rw_sync_acquire(t, s);
        if (write) {
            uint64_t own = t->pos;
            rw_vclock_join(&t->vc, &s->read_vc);
            rw_vclock_set(&t->vc, t->slot, own);
            s->owner = t->info ? t->info->number : 1;
        } else {
            s->readers++;
        }
        rw_spin_unlock(&s->lock);
        rw_thread_event(t, RW_EV_ACCESS, pc);
        rw_sync_use(t, s, obj, pc);
    }
    rw_leave();
}

static void on_rwunlock(const void *obj)
{
    if (rw_ignore_sync)
        return;
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_sync *s = rw_sync_get((uintptr_t)obj, 1);
    if (s) {
        rw_spin_lock(&s->lock);
        uint32_t me = t->info ? t->info->number : 1;
        if (s->owner == me) {
            rw_sync_release(t, s);
            rw_vclock_clear(&s->read_vc);
            s->owner = 0;
        } else {
            rw_thread_prepare_release(t);
            rw_vclock_join(&s->read_vc, &t->vc);
            if (s->readers > 0)
                s->readers--;
        }
        rw_spin_unlock(&s->lock);
    }
    rw_leave();
}

/* --- locks that may sleep ------------------------------------------------ */

/* How to take one kind of lock: without waiting, with a deadline, and
 * waiting for as long as it takes. */
struct lock_ops {
    int (*try_lock)(void *obj);
    int (*timed_lock)(void *obj, const struct timespec *deadline);
    int (*lock)(void *obj);
    int kind;               /* enum rw_wait_kind */
    const char *reason;     /* the deadlock report's name for the wait */
};

/* Uncontended: one try.  Contended: a timed wait first (CLOCK_MONOTONIC,
 * RW_GRACE_MS); only a lock still blocked after it is registered with the
 * deadlock checks.  (An error-checking relock fails at once with EDEADLK
 * from the timed call instead.) */
static int lock_contended(void *obj, const struct lock_ops *ops, uintptr_t pc);

static int lock_watched(void *obj, const struct lock_ops *ops, uintptr_t pc)
{
    int r = ops->try_lock(obj);
    if (r != EBUSY) {
        rw_block_reason_unused();
        return r;
    }
    return lock_contended(obj, ops, pc);
}

/* After a try that found the lock taken. */
static int lock_contended(void *obj, const struct lock_ops *ops, uintptr_t pc)
{
    int r;
    if (!rw_cur)
        return ops->lock(obj);
    struct timespec ts = rw_grace_deadline();
    r = ops->timed_lock(obj, &ts);
    if (r != ETIMEDOUT) {
        rw_block_reason_unused();
        return r;
    }
    int blocked = rw_block_begin(ops->kind, ops->reason, obj, NULL, pc);
    r = ops->lock(obj);
    if (blocked)
        rw_block_end(ops->kind, obj);
    return r;
}

static int mutex_try(void *m) { return RW_RESOLVE(pthread_mutex_trylock)(m); }
static int mutex_lock(void *m) { return RW_RESOLVE(pthread_mutex_lock)(m); }
static int mutex_timed(void *m, const struct timespec *ts)
{
    return RW_RESOLVE(pthread_mutex_clocklock)(m, CLOCK_MONOTONIC, ts);
}
static const struct lock_ops mutex_ops = {
    mutex_try, mutex_timed, mutex_lock, RW_WAIT_MUTEX, "pthread_mutex_lock",
};

static int rd_try(void *l) { return RW_RESOLVE(pthread_rwlock_tryrdlock)(l); }
static int rd_lock(void *l) { return RW_RESOLVE(pthread_rwlock_rdlock)(l); }
static int rd_timed(void *l, const struct timespec *ts)
{
    return RW_RESOLVE(pthread_rwlock_clockrdlock)(l, CLOCK_MONOTONIC, ts);
}
static const struct lock_ops rdlock_ops = {
    rd_try, rd_timed, rd_lock, RW_WAIT_RDLOCK, "pthread_rwlock_rdlock",
};

static int wr_try(void *l) { return RW_RESOLVE(pthread_rwlock_trywrlock)(l); }
static int wr_lock(void *l) { return RW_RESOLVE(pthread_rwlock_wrlock)(l); }
static int wr_timed(void *l, const struct timespec *ts)
{
    return RW_RESOLVE(pthread_rwlock_clockwrlock)(l, CLOCK_MONOTONIC, ts);
}
static const struct lock_ops wrlock_ops = {
    wr_try, wr_timed, wr_lock, RW_WAIT_WRLOCK, "pthread_rwlock_wrlock",
};

/* --- mutexes ------------------------------------------------------------ */

/* Was the object at obj used since its last init or destroy? */
static int seen_in_use(const void *obj)
{
    rw_sync *s = rw_sync_get((uintptr_t)obj, 0);
    return s && __atomic_load_n(&s->last_use, __ATOMIC_RELAXED) != 0;
}

RW_EXPORT int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
    /* Re-initialising a mutex a live thread holds (glibc's owner field,
     * and a lock we saw since the last init: not stale memory). */
    if (rw_cur && !rw_in_rt && !rw_ignore_sync && rw_cur->info) {
        int owner = __atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED);
        int kind = __atomic_load_n(&m->__data.__kind, __ATOMIC_RELAXED);
        if (owner != 0 && kind != GLIBC_MUTEX_DESTROYED && rw_thread_number_by_tid(owner) >= 0 &&
            seen_in_use(m))
            report_held_mutex(rw_cur, m, "re-initialisation of a locked mutex", "re-initialised",
                              RW_CALLER_PC());
        if (owner == rw_cur->info->waiter.tid)
            on_unlock(m); /* the caller's lock is gone: no longer held */
    }
    rw_sync_object_write(m, 1, RW_CALLER_PC());
    on_reset(m);
    return RW_RESOLVE(pthread_mutex_init)(m, a);
}

RW_EXPORT int pthread_mutex_destroy(pthread_mutex_t *m)
{
    if (m->__data.__owner != 0 && rw_cur && !rw_in_rt) {
        report_held_mutex(rw_cur, m, "destroy of a locked mutex", "destroyed", RW_CALLER_PC());
    }
    rw_sync_object_write(m, 0, RW_CALLER_PC());
    int r = RW_RESOLVE(pthread_mutex_destroy)(m);
    if (r == 0) {
        on_reset(m);
        rw_note_destroy(m, RW_CALLER_PC());
    }
    return r;
}

RW_EXPORT int pthread_mutex_lock(pthread_mutex_t *m)
{
    rw_signal_unsafe_call("pthread_mutex_lock", RW_CALLER_PC());
    rw_sync_prefetch((uintptr_t)m);
    /* lock_watched, with the try called directly (not through the
     * table): the uncontended lock is most of a program's locks. */
    int r = RW_RESOLVE(pthread_mutex_trylock)(m);
    if (r != EBUSY)
        rw_block_reason_unused();
    else
        r = lock_contended(m, &mutex_ops, RW_CALLER_PC());
    if (lock_taken(r))
        lock_acquired(m, 0, mutex_robust(m), RW_CALLER_PC());
    else if (r == EINVAL)
        lock_refused(m, RW_CALLER_PC());
    return r;
}

RW_EXPORT int pthread_mutex_trylock(pthread_mutex_t *m)
{
    rw_sync_prefetch((uintptr_t)m);
    int r = RW_RESOLVE(pthread_mutex_trylock)(m);
    if (lock_taken(r))
        on_mutex_lock(m, 1, RW_CALLER_PC());
    else if (r == EINVAL)
        lock_refused(m, RW_CALLER_PC());
    return r;
}

RW_EXPORT int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *ts)
{
    int r = RW_RESOLVE(pthread_mutex_timedlock)(m, ts);
    if (lock_taken(r))
        on_mutex_lock(m, 0, RW_CALLER_PC());
    else if (r == EINVAL)
        lock_refused(m, RW_CALLER_PC());
    return r;
}

RW_EXPORT int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t c, const struct timespec *ts)
{
    int r = RW_RESOLVE(pthread_mutex_clocklock)(m, c, ts);
    if (lock_taken(r))
        on_mutex_lock(m, 0, RW_CALLER_PC());
    else if (r == EINVAL)
        lock_refused(m, RW_CALLER_PC());
    return r;
}

/* The unlock of a (not robust) mutex by the thread glibc names as its
 * owner: check_unlock's silent case. */
static inline int unlock_by_owner(const rw_thread *t, const pthread_mutex_t *m)
{
    return !(m->__data.__kind & GLIBC_MUTEX_ROBUST) && m->__data.__owner == t->info->waiter.tid;
}

RW_EXPORT int pthread_mutex_unlock(pthread_mutex_t *m)
{
    /* check_unlock and on_unlock in one pass when the check has nothing
     * to say (their entry tests, made once). */
    rw_thread *t = rw_cur;
    if (t && !rw_in_rt && !rw_ignore_sync && t->info && unlock_by_owner(t, m) &&
        (t = rw_enter()) != NULL) {
        if (!unlock_own_top(t, m))
            unlock_entered(t, m);
        rw_leave();
    } else {
        check_unlock(m, RW_CALLER_PC());
        on_unlock(m);
    }
    return RW_RESOLVE(pthread_mutex_unlock)(m);
}

/* --- spinlocks ---------------------------------------------------------- */

RW_EXPORT int pthread_spin_init(pthread_spinlock_t *l, int pshared)
{
    rw_sync_object_write(l, 1, RW_CALLER_PC());
    on_reset(l);
    return RW_RESOLVE(pthread_spin_init)(l, pshared);
}

RW_EXPORT int pthread_spin_destroy(pthread_spinlock_t *l)
{
    rw_sync_object_write(l, 0, RW_CALLER_PC());
    on_reset(l);
    return RW_RESOLVE(pthread_spin_destroy)(l);
}

RW_EXPORT int pthread_spin_lock(pthread_spinlock_t *l)
{
    rw_sync_prefetch((uintptr_t)l);
    int r = RW_RESOLVE(pthread_spin_lock)(l);
    if (r == 0)
        on_lock(l);
    return r;
}

RW_EXPORT int pthread_spin_trylock(pthread_spinlock_t *l)
{
    int r = RW_RESOLVE(pthread_spin_trylock)(l);
    if (r == 0)
        on_lock_at(l, 1, 0, RW_CALLER_PC());
    return r;
}

RW_EXPORT int pthread_spin_unlock(pthread_spinlock_t *l)
{
    on_unlock(l);
    return RW_RESOLVE(pthread_spin_unlock)(l);
}

/* --- read-write locks --------------------------------------------------- */

RW_EXPORT int pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a)
{
    rw_sync_object_write(l, 1, RW_CALLER_PC());
    on_reset(l);
    return RW_RESOLVE(pthread_rwlock_init)(l, a);
}

RW_EXPORT int pthread_rwlock_destroy(pthread_rwlock_t *l)
{
    rw_sync_object_write(l, 0, RW_CALLER_PC());
    int r = RW_RESOLVE(pthread_rwlock_destroy)(l);
    if (r == 0)
        on_reset(l);
    return r;
}

/* A lock of a rwlock the caller write-holds: glibc refuses it with
 * EDEADLK (a failed call: nothing on the lock's fast path). */
static void rwlock_relock(pthread_rwlock_t *l, int write, uintptr_t pc)
{
    rw_thread *t = rw_cur;
    if (!t || rw_in_rt || rw_ignore_sync)
        return;
    char line[128];
    snprintf(line, sizeof line, "Rwlock %p, write-locked by this thread, %s-locked again",
             (void *)l, write ? "write" : "read");
    rw_in_rt = 1;
    rw_report_misuse(t, write ? "second write lock of a rwlock by its holder"
                              : "read lock of a rwlock by its write holder",
                     line, pc, 0);
    rw_in_rt = 0;
}

#define RWLOCK_WRAPPER(name, write, params, args)       \
    RW_EXPORT int name params                           \
    {                                                   \
        int r = RW_RESOLVE(name) args;                  \
        if (r == 0)                                     \
            on_rwlock(l, write, RW_CALLER_PC());        \
        else if (r == EDEADLK)                          \
            rwlock_relock(l, write, RW_CALLER_PC());    \
        return r;                                       \
    }

RWLOCK_WRAPPER(pthread_rwlock_tryrdlock, 0, (pthread_rwlock_t *l), (l))
RWLOCK_WRAPPER(pthread_rwlock_timedrdlock, 0, (pthread_rwlock_t *l, const struct timespec *ts), (l, ts))
RWLOCK_WRAPPER(pthread_rwlock_clockrdlock, 0, (pthread_rwlock_t *l, clockid_t c, const struct timespec *ts), (l, c, ts))
RWLOCK_WRAPPER(pthread_rwlock_trywrlock, 1, (pthread_rwlock_t *l), (l))
RWLOCK_WRAPPER(pthread_rwlock_timedwrlock, 1, (pthread_rwlock_t *l, const struct timespec *ts), (l, ts))
RWLOCK_WRAPPER(pthread_rwlock_clockwrlock, 1, (pthread_rwlock_t *l, clockid_t c, const struct timespec *ts), (l, c, ts))

RW_EXPORT int pthread_rwlock_rdlock(pthread_rwlock_t *l)
{
    int r = lock_watched(l, &rdlock_ops, RW_CALLER_PC());
    if (r == 0)
        on_rwlock(l, 0, RW_CALLER_PC());
    else if (r == EDEADLK)
        rwlock_relock(l, 0, RW_CALLER_PC());
    return r;
}

RW_EXPORT int pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
    int r = lock_watched(l, &wrlock_ops, RW_CALLER_PC());
    if (r == 0)
        on_rwlock(l, 1, RW_CALLER_PC());
    else if (r == EDEADLK)
        rwlock_relock(l, 1, RW_CALLER_PC());
    return r;
}

/* glibc's rwlock state word (__readers): bit 1 write-locked, the count
 * of read holders from bit 3. */
#define GLIBC_RWLOCK_WRLOCKED 2u
#define GLIBC_RWLOCK_READER_SHIFT 3

/* Unlocking a rwlock that nobody holds is fatal, as Go's "sync: Unlock
 * of unlocked RWMutex": glibc would take it for a read unlock and wrap
 * the reader count, breaking the lock for every later user. */
static void check_rwunlock(pthread_rwlock_t *l, uintptr_t pc)
{
    rw_thread *t = rw_cur;
    if (!t || rw_in_rt || rw_ignore_sync)
        return;
    unsigned state = __atomic_load_n(&l->__data.__readers, __ATOMIC_RELAXED);
    if ((state >> GLIBC_RWLOCK_READER_SHIFT) == 0 && !(state & GLIBC_RWLOCK_WRLOCKED))
        rw_report_fatal(t, "fatal error", "sync: unlock of unlocked rwlock", pc);
}

RW_EXPORT int pthread_rwlock_unlock(pthread_rwlock_t *l)
{
    check_rwunlock(l, RW_CALLER_PC());
    on_rwunlock(l);
    return RW_RESOLVE(pthread_rwlock_unlock)(l);
}

/* --- condition variables ------------------------------------------------ */

/* A condition wait is judged by what it does: on a mutex that refuses
 * the caller's unlock it returns EPERM at once (nothing to model, and
 * certainly not a thread asleep); otherwise it returns holding the mutex
 * (woken, timed out, EOWNERDEAD, or EINVAL for a bad deadline, found
 * before unlocking), unless the relock failed because the robust mutex
 * became unrecoverable. */
static int relocked(int r)
{
    return r != ENOTRECOVERABLE && r != EPERM;
}

/* Cancelled inside a condition wait, the thread leaves it holding the
 * mutex again (glibc re-takes it before the cleanup handlers run, and
 * ours, innermost, runs first): the wait is over, the relock happened. */
struct cond_wait_state {
    pthread_cond_t *c;
    pthread_mutex_t *m;
    int blocked;            /* registered with the deadlock checks */
    int timed;              /* counted as a timed waiter instead */
    uintptr_t pc;
    int counted;            /* counted among the users of c's mutex */
};

/* The thread id of a mutex's owner, as glibc keeps it (robust and
 * priority-inheritance mutexes keep it in the lock word); 0: unlocked. */
static int mutex_owner(const pthread_mutex_t *m)
{
    int kind = __atomic_load_n(&m->__data.__kind, __ATOMIC_RELAXED);
    if (kind & (GLIBC_MUTEX_ROBUST | GLIBC_MUTEX_PI))
        return (int)(__atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED) & GLIBC_FUTEX_TID_MASK);
    return __atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED);
}

/* Before a condition wait: a deadline glibc refuses (EINVAL), a mutex
 * the caller does not hold (error-checking kinds return EPERM; others
 * would unlock it for its holder).  Reported, then the call made: its
 * result is judged as before, never a thread asleep. */
static void cond_wait_checks(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *ts,
                             int timed, uintptr_t pc)
{
    rw_thread *t = rw_cur;
    if (!t || rw_in_rt || rw_ignore_sync || !t->info)
        return;
    char line[160];
    if (timed && ts && (ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L)) {
        snprintf(line, sizeof line,
                 "Deadline {%lld s, %ld ns} (nanoseconds out of range), condition variable %p,",
                 (long long)ts->tv_sec, (long)ts->tv_nsec, (void *)c);
        rw_in_rt = 1;
        rw_report_misuse(t, "condition wait with an invalid deadline", line, pc, 0);
        rw_in_rt = 0;
    }
    int owner = mutex_owner(m);
    if (owner == t->info->waiter.tid)
        return;
    if (owner == 0) {
        snprintf(line, sizeof line, "Mutex %p, not locked, waited with condition variable %p",
                 (void *)m, (void *)c);
        rw_in_rt = 1;
        rw_report_misuse(t, "condition wait with a mutex the caller does not hold", line, pc, 0);
        rw_in_rt = 0;
    } else if (rw_thread_number_by_tid(owner) != (int)t->info->number) {
        report_held_mutex(t, m, "condition wait with a mutex the caller does not hold",
                          "waited with a condition variable", pc);
    }
}

/* Waiters inside one condition variable at once must all use one mutex
 * (POSIX: undefined otherwise).  Counts this waiter among the users of
 * c's mutex, or reports the other one. */
static void cond_mutex_enter(struct cond_wait_state *w)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_sync *s = rw_sync_get((uintptr_t)w->c, 1);
    uintptr_t other = 0;
    uint32_t other_thread = 0, other_stack = 0;
    if (s) {
        rw_spin_lock(&s->lock);
        if (s->cond_mutex_users && s->cond_mutex != (uintptr_t)w->m) {
            other = s->cond_mutex;
            other_thread = s->cond_mutex_thread;
        } else {
            if (s->cond_mutex_users == 0) {
                s->cond_mutex = (uintptr_t)w->m;
                s->cond_mutex_thread = t->info ? t->info->number : 0;
                /* cheap: the shadow stack, or the call's pc alone */
                s->cond_mutex_stack = rw_capture_stack_id(t, w->pc);
            }
            s->cond_mutex_users++;
            w->counted = 1;
        }
        if (other)
            other_stack = s->cond_mutex_stack;
        rw_spin_unlock(&s->lock);
    }
    if (other) {
        char line[200], prev_line[100];
        snprintf(line, sizeof line,
                 "Condition variable %p waited on with mutex %p while thread %u waits on it with mutex %p,",
                 (void *)w->c, (void *)w->m, other_thread, (void *)other);
        snprintf(prev_line, sizeof prev_line, "Previous wait with mutex %p", (void *)other);
        rw_misuse_previous prev = { prev_line, other_thread, other_stack };
        rw_report_misuse_previous(t, "condition variable waited on with two mutexes", line, w->pc,
                                  0, &prev);
    }
    rw_leave();
}

static void cond_mutex_leave(struct cond_wait_state *w)
{
    if (!w->counted)
        return;
    w->counted = 0;
    rw_thread *t = rw_enter();
    rw_sync *s = rw_sync_get((uintptr_t)w->c, 0);
    if (s) {
        rw_spin_lock(&s->lock);
        if (s->cond_mutex_users > 0 && s->cond_mutex == (uintptr_t)w->m &&
            --s->cond_mutex_users == 0)
            s->cond_mutex = 0;
        rw_spin_unlock(&s->lock);
    }
    if (t)
        rw_leave();
}

static void cond_wait_over(struct cond_wait_state *w, int r)
{
    cond_mutex_leave(w);
    if (w->blocked)
        rw_block_end(RW_WAIT_COND, w->c);
    if (w->timed)
        rw_cond_timed_end();
    if (relocked(r))
        on_mutex_lock(w->m, 1, w->pc); /* the relock adds no lock-order edge */
}

static void cond_wait_cancelled(void *w)
{
    cond_wait_over(w, 0);
}

RW_EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    rw_sync_use_at(c, RW_CALLER_PC());
    cond_wait_checks(c, m, NULL, 0, RW_CALLER_PC());
    if (unlock_refused(m))
        return RW_RESOLVE_V(pthread_cond_wait, GLIBC_COND)(c, m);
    struct cond_wait_state w = { c, m, 0, 0, RW_CALLER_PC(), 0 };
    cond_mutex_enter(&w);
    on_unlock(m);
    /* A runtime library whose waits we model at its API (libomp sleeps
     * its idle threads on condition variables) is not judged here. */
    if (!rw_called_from_ignored_lib(w.pc))
        w.blocked = RW_BLOCK_BEGIN_LAZY(RW_WAIT_COND, "pthread_cond_wait", c, m, w.pc);
    int r;
    pthread_cleanup_push(cond_wait_cancelled, &w);
    r = RW_RESOLVE_V(pthread_cond_wait, GLIBC_COND)(c, m);
    pthread_cleanup_pop(0);
    cond_wait_over(&w, r);
    return r;
}

RW_EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                                     const struct timespec *ts)
{
    rw_sync_use_at(c, RW_CALLER_PC());
    cond_wait_checks(c, m, ts, 1, RW_CALLER_PC());
    if (unlock_refused(m))
        return RW_RESOLVE_V(pthread_cond_timedwait, GLIBC_COND)(c, m, ts);
    struct cond_wait_state w = { c, m, 0, 1, RW_CALLER_PC(), 0 };
    cond_mutex_enter(&w);
    on_unlock(m);
    rw_cond_timed_begin(c);
    int r;
    pthread_cleanup_push(cond_wait_cancelled, &w);
    r = RW_RESOLVE_V(pthread_cond_timedwait, GLIBC_COND)(c, m, ts);
    pthread_cleanup_pop(0);
    cond_wait_over(&w, r);
    return r;
}

RW_EXPORT int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock,
                                     const struct timespec *ts)
{
    rw_sync_use_at(c, RW_CALLER_PC());
    cond_wait_checks(c, m, ts, 1, RW_CALLER_PC());
    if (unlock_refused(m))
        return RW_RESOLVE(pthread_cond_clockwait)(c, m, clock, ts);
    struct cond_wait_state w = { c, m, 0, 1, RW_CALLER_PC(), 0 };
    cond_mutex_enter(&w);
    on_unlock(m);
    rw_cond_timed_begin(c);
    int r;
    pthread_cleanup_push(cond_wait_cancelled, &w);
    r = RW_RESOLVE(pthread_cond_clockwait)(c, m, clock, ts);
    pthread_cleanup_pop(0);
    cond_wait_over(&w, r);
    return r;
}

/* Signals are counted for the deadlock checks: one that finds no waiter
 * is lost, as in POSIX (the lost-wake-up deadlock). */
RW_EXPORT int pthread_cond_signal(pthread_cond_t *c)
{
    rw_sync_use_at(c, RW_CALLER_PC());
    rw_cond_signalled(c, 0);
    return RW_RESOLVE_V(pthread_cond_signal, GLIBC_COND)(c);
}

RW_EXPORT int pthread_cond_broadcast(pthread_cond_t *c)
{
    rw_sync_use_at(c, RW_CALLER_PC());
    rw_cond_signalled(c, 1);
    return RW_RESOLVE_V(pthread_cond_broadcast, GLIBC_COND)(c);
}

/* Threads inside a wait on condition c (the deadlock checks count them). */
static uint32_t cond_waiters(pthread_cond_t *c)
{
    rw_waitfor_lock();
    rw_sync *s = rw_sync_get((uintptr_t)c, 0);
    uint32_t waiters = s ? s->waiters : 0;
    rw_waitfor_unlock();
    return waiters;
}

RW_EXPORT int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
    rw_thread *t = rw_enter();
    if (t) {
        uint32_t waiters = cond_waiters(c);
        if (waiters > 0) {
            char line[128];
            snprintf(line, sizeof line,
                     "Condition variable %p, with %u waiting thread(s), re-initialised", (void *)c,
                     waiters);
            rw_report_misuse(t, "re-initialisation of a condition variable with waiters", line,
                             RW_CALLER_PC(), 0);
        }
        rw_leave();
    }
    rw_sync_object_write(c, 1, RW_CALLER_PC());
    return RW_RESOLVE_V(pthread_cond_init, GLIBC_COND)(c, a);
}

RW_EXPORT int pthread_cond_destroy(pthread_cond_t *c)
{
    rw_sync_object_write(c, 0, RW_CALLER_PC());
    rw_thread *t = rw_enter();
    if (t) {
        uint32_t waiters = cond_waiters(c);
        if (waiters > 0) {
            char line[128];
            snprintf(line, sizeof line, "Condition variable %p, with %u waiting thread(s), destroyed",
                     (void *)c, waiters);
            rw_report_misuse(t, "destroy of a condition variable with waiters", line, RW_CALLER_PC(), 0);
        }
        rw_leave();
    }
    return RW_RESOLVE_V(pthread_cond_destroy, GLIBC_COND)(c);
}
