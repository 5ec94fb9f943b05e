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

/* --- the edges ---------------------------------------------------------- */

/* A successful lock: acquire the object's clock; then the lock order
 * (a try-lock adds no edge into the lock, it cannot block) and the
 * thread's held set. */
static void on_lock_at(const volatile void *obj, int trylock, uintptr_t pc)
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
        uint64_t uid = s->uid;
        rw_spin_unlock(&s->lock);
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
        rw_held *h = rw_held_push(&t->held, uid, (uintptr_t)obj, 0);
        if (h) {
            h->pos = t->pos;
            h->pc = pc;
        }
    }
    rw_leave();
}
#define on_lock(obj) on_lock_at((obj), 0, RW_CALLER_PC())

/* Before a real unlock: release into the object's clock, leave the held
 * set. */
static void on_unlock(const volatile void *obj)
{
    if (rw_ignore_sync)
        return;
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_sync *s = rw_sync_get((uintptr_t)obj, 1);
    if (s) {
        rw_spin_lock(&s->lock);
        rw_sync_release(t, s);
        uint64_t uid = s->uid;
        rw_spin_unlock(&s->lock);
        rw_held_remove(&t->held, uid);
    }
    rw_leave();
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

/* Unlocking a mutex that is not locked is fatal, as in Go.  Unlocking
 * one that another thread holds is undefined for a POSIX mutex (Go allows
 * it for sync.Mutex), so it is a warning naming the holder.  glibc's
 * owner field says who holds it. */
static void check_unlock(pthread_mutex_t *m, uintptr_t pc)
{
    rw_thread *t = rw_cur;
    if (!t || rw_in_rt || rw_ignore_sync || !t->info)
        return;
    int kind = m->__data.__kind;
    if (kind & 0x10) /* robust mutexes have their own rules */
        return;
    int owner = m->__data.__owner;
    if (owner == t->info->waiter.tid)
        return;
    if (owner == 0) {
        rw_report_fatal(t, "fatal error", "sync: unlock of unlocked mutex", pc);
        return;
    }
    report_held_mutex(t, m, "unlock of a mutex held by another thread", "unlocked", pc);
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
static int lock_watched(void *obj, const struct lock_ops *ops, uintptr_t pc)
{
    int r = ops->try_lock(obj);
    if (r != EBUSY) {
        rw_block_reason_unused();
        return r;
    }
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

RW_EXPORT int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
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
    if (r == 0)
        on_reset(m);
    return r;
}

RW_EXPORT int pthread_mutex_lock(pthread_mutex_t *m)
{
    int r = lock_watched(m, &mutex_ops, RW_CALLER_PC());
    if (r == 0)
        on_lock(m);
    return r;
}

RW_EXPORT int pthread_mutex_trylock(pthread_mutex_t *m)
{
    int r = RW_RESOLVE(pthread_mutex_trylock)(m);
    if (r == 0)
        on_lock_at(m, 1, RW_CALLER_PC());
    return r;
}

RW_EXPORT int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *ts)
{
    int r = RW_RESOLVE(pthread_mutex_timedlock)(m, ts);
    if (r == 0)
        on_lock(m);
    return r;
}

RW_EXPORT int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t c, const struct timespec *ts)
{
    int r = RW_RESOLVE(pthread_mutex_clocklock)(m, c, ts);
    if (r == 0)
        on_lock(m);
    return r;
}

RW_EXPORT int pthread_mutex_unlock(pthread_mutex_t *m)
{
    check_unlock(m, RW_CALLER_PC());
    on_unlock(m);
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
    int r = RW_RESOLVE(pthread_spin_lock)(l);
    if (r == 0)
        on_lock(l);
    return r;
}

RW_EXPORT int pthread_spin_trylock(pthread_spinlock_t *l)
{
    int r = RW_RESOLVE(pthread_spin_trylock)(l);
    if (r == 0)
        on_lock_at(l, 1, RW_CALLER_PC());
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

#define RWLOCK_WRAPPER(name, write, params, args) \
    RW_EXPORT int name params                     \
    {                                             \
        int r = RW_RESOLVE(name) args;            \
        if (r == 0)                               \
            on_rwlock(l, write, RW_CALLER_PC());  \
        return r;                                 \
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
    return r;
}

RW_EXPORT int pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
    int r = lock_watched(l, &wrlock_ops, RW_CALLER_PC());
    if (r == 0)
        on_rwlock(l, 1, RW_CALLER_PC());
    return r;
}

RW_EXPORT int pthread_rwlock_unlock(pthread_rwlock_t *l)
{
    on_rwunlock(l);
    return RW_RESOLVE(pthread_rwlock_unlock)(l);
}

/* --- condition variables ------------------------------------------------ */

RW_EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    rw_sync_use_at(c, RW_CALLER_PC());
    on_unlock(m);
    int blocked = rw_block_begin(RW_WAIT_COND, "pthread_cond_wait", c, m, RW_CALLER_PC());
    int r = RW_RESOLVE_V(pthread_cond_wait, GLIBC_COND)(c, m);
    if (blocked)
        rw_block_end(RW_WAIT_COND, c);
    on_lock_at(m, 1, RW_CALLER_PC()); /* the relock adds no lock-order edge */
    return r;
}

RW_EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                                     const struct timespec *ts)
{
    rw_sync_use_at(c, RW_CALLER_PC());
    on_unlock(m);
    rw_cond_timed_begin(c);
    int r = RW_RESOLVE_V(pthread_cond_timedwait, GLIBC_COND)(c, m, ts);
    rw_cond_timed_end(c);
    on_lock_at(m, 1, RW_CALLER_PC());
    return r;
}

RW_EXPORT int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock,
                                     const struct timespec *ts)
{
    rw_sync_use_at(c, RW_CALLER_PC());
    on_unlock(m);
    rw_cond_timed_begin(c);
    int r = RW_RESOLVE(pthread_cond_clockwait)(c, m, clock, ts);
    rw_cond_timed_end(c);
    on_lock_at(m, 1, RW_CALLER_PC());
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

RW_EXPORT int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
    rw_sync_object_write(c, 1, RW_CALLER_PC());
    return RW_RESOLVE_V(pthread_cond_init, GLIBC_COND)(c, a);
}

RW_EXPORT int pthread_cond_destroy(pthread_cond_t *c)
{
    rw_sync_object_write(c, 0, RW_CALLER_PC());
    rw_thread *t = rw_enter();
    if (t) {
        rw_waitfor_lock();
        rw_sync *s = rw_sync_get((uintptr_t)c, 0);
        uint32_t waiters = s ? s->waiters : 0;
        rw_waitfor_unlock();
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
