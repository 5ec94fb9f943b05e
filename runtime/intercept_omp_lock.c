/* intercept_omp_lock.c: OpenMP's lock API under libgomp: omp_init_lock,
 * omp_destroy_lock, omp_set_lock, omp_unset_lock, omp_test_lock and their
 * _nest_lock forms.
 *
 * A lock is a mutex to the detector: the set (or a test that succeeds)
 * acquires the lock's clock, the unset releases into it before the real
 * unset.  libgomp's omp_lock_t is a bare futex word with no owner, so
 * the holder (thread number) is kept in the lock's sync object, for the
 * deadlock checks (RW_WAIT_LOCK: free, or held by whom) and a nest
 * lock's depth.  A set first tries the lock and, when it is taken,
 * registers the wait and calls the real set: a lock never unset, or a
 * set by its own holder, is reported instead of hanging.
 *
 * The functions exist in libgomp in two versions (OMP_1.0, where the lock
 * may hold a pointer, and OMP_3.0, the default that gcc links against);
 * ours are unversioned, which satisfies both, and call OMP_3.0's. */
#include "runtime/rt.h"

#include <time.h>

#include "detector/syncvar.h"
#include "detector/waitfor.h"

typedef void omp_lock; /* omp_lock_t / omp_nest_lock_t: opaque here */

#define OMP_V "OMP_3.0"
RW_DECLARE_REAL(void, omp_init_lock, omp_lock *);
RW_DECLARE_REAL(void, omp_destroy_lock, omp_lock *);
RW_DECLARE_REAL(void, omp_set_lock, omp_lock *);
RW_DECLARE_REAL(void, omp_unset_lock, omp_lock *);
RW_DECLARE_REAL(int, omp_test_lock, omp_lock *);
RW_DECLARE_REAL(void, omp_init_nest_lock, omp_lock *);
RW_DECLARE_REAL(void, omp_destroy_nest_lock, omp_lock *);
RW_DECLARE_REAL(void, omp_set_nest_lock, omp_lock *);
RW_DECLARE_REAL(void, omp_unset_nest_lock, omp_lock *);
RW_DECLARE_REAL(int, omp_test_nest_lock, omp_lock *);

static uint32_t my_number(rw_thread *t)
{
    return t->info ? t->info->number : 1;
}

/* Acquired (the first time, for a nest lock). */
static void lock_acquired(omp_lock *l)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_sync *s = rw_sync_get((uintptr_t)l, 1);
    if (s) {
        rw_spin_lock(&s->lock);
        if (!rw_ignore_sync)
            rw_sync_acquire(t, s);
        s->recursion = 1;
        __atomic_store_n(&s->owner, my_number(t), __ATOMIC_RELEASE);
        rw_spin_unlock(&s->lock);
    }
    rw_leave();
}

/* About to be unset (the last time, for a nest lock). */
static void lock_releasing(omp_lock *l)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_sync *s = rw_sync_get((uintptr_t)l, 1);
    if (s) {
        rw_spin_lock(&s->lock);
        if (!rw_ignore_sync)
            rw_sync_release_store(t, s);
        s->recursion = 0;
        __atomic_store_n(&s->owner, 0, __ATOMIC_RELEASE);
        rw_spin_unlock(&s->lock);
    }
    rw_leave();
}

static void lock_reset(omp_lock *l)
{
    rw_thread *t = rw_enter();
    rw_sync_reset((uintptr_t)l);
    if (t)
        rw_leave();
}

/* The lock is taken: wait registered, in the real set.  Not a retry
 * loop of tests: libomp's locks queue their waiters (FIFO), and a waiter
 * that polls loses the lock to a holder that unsets and sets it again,
 * a schedule the program never sees natively (DataRaceBench's DRB189
 * then deadlocks). */
static void contended_set(omp_lock *l, void (*set)(omp_lock *), const char *reason, uintptr_t pc)
{
    int blocked = rw_block_begin(RW_WAIT_LOCK, reason, l, NULL, pc);
    set(l);
    if (blocked)
        rw_block_end(RW_WAIT_LOCK, l);
}

/* The two kinds share one implementation: a plain lock's test returns 1
 * when it took the lock, a nest lock's the new depth, so a plain lock is
 * a nest lock that never goes deeper than 1. */
enum lock_kind { PLAIN, NEST };

typedef struct lock_api {
    void (*init)(omp_lock *);
    void (*destroy)(omp_lock *);
    void (*set)(omp_lock *);
    void (*unset)(omp_lock *);
    int (*test)(omp_lock *);
    const char *set_name;        /* the wait's reason in deadlock reports */
} lock_api;

static lock_api apis[2];

static const lock_api *api_of(enum lock_kind kind)
{
    lock_api *a = &apis[kind];
    if (RW_UNLIKELY(a->test == NULL)) {
        if (kind == PLAIN) {
            a->init = RW_RESOLVE_V(omp_init_lock, OMP_V);
            a->destroy = RW_RESOLVE_V(omp_destroy_lock, OMP_V);
            a->set = RW_RESOLVE_V(omp_set_lock, OMP_V);
            a->unset = RW_RESOLVE_V(omp_unset_lock, OMP_V);
            a->set_name = "omp_set_lock";
            __atomic_store_n(&a->test, RW_RESOLVE_V(omp_test_lock, OMP_V), __ATOMIC_RELEASE);
        } else {
            a->init = RW_RESOLVE_V(omp_init_nest_lock, OMP_V);
            a->destroy = RW_RESOLVE_V(omp_destroy_nest_lock, OMP_V);
            a->set = RW_RESOLVE_V(omp_set_nest_lock, OMP_V);
            a->unset = RW_RESOLVE_V(omp_unset_nest_lock, OMP_V);
            a->set_name = "omp_set_nest_lock";
            __atomic_store_n(&a->test, RW_RESOLVE_V(omp_test_nest_lock, OMP_V),
                             __ATOMIC_RELEASE);
        }
    }
    return a;
}

/* The real test returned depth (0: not acquired). */
static void acquired_at_depth(omp_lock *l, int depth)
{
    if (depth == 1) {
        lock_acquired(l);
    } else if (depth > 1) {
        rw_sync *s = rw_sync_get((uintptr_t)l, 0);
        if (s)
            s->recursion = (uint32_t)depth;
    }
}

static void lock_init(omp_lock *l, enum lock_kind kind)
{
    api_of(kind)->init(l);
    lock_reset(l);
}

static void lock_destroy(omp_lock *l, enum lock_kind kind)
{
    lock_reset(l);
    api_of(kind)->destroy(l);
}

static void lock_set(omp_lock *l, enum lock_kind kind, uintptr_t pc)
{
    const lock_api *a = api_of(kind);
    int depth = a->test(l);
    if (depth == 0) {
        contended_set(l, a->set, a->set_name, pc);
        depth = 1; /* a set that had to wait is the first level */
    }
    acquired_at_depth(l, depth);
}

static void lock_unset(omp_lock *l, enum lock_kind kind)
{
    rw_sync *s = rw_sync_get((uintptr_t)l, 0);
    /* Our depth count mirrors libgomp's: the last unset releases. */
    if (!s || s->recursion <= 1)
        lock_releasing(l);
    else
        s->recursion--;
    api_of(kind)->unset(l);
}

static int lock_test(omp_lock *l, enum lock_kind kind)
{
    int depth = api_of(kind)->test(l);
    acquired_at_depth(l, depth);
    return depth;
}

RW_EXPORT void omp_init_lock(omp_lock *l) { lock_init(l, PLAIN); }
RW_EXPORT void omp_destroy_lock(omp_lock *l) { lock_destroy(l, PLAIN); }
RW_EXPORT void omp_set_lock(omp_lock *l) { lock_set(l, PLAIN, RW_CALLER_PC()); }
RW_EXPORT void omp_unset_lock(omp_lock *l) { lock_unset(l, PLAIN); }
RW_EXPORT int omp_test_lock(omp_lock *l) { return lock_test(l, PLAIN); }

RW_EXPORT void omp_init_nest_lock(omp_lock *l) { lock_init(l, NEST); }
RW_EXPORT void omp_destroy_nest_lock(omp_lock *l) { lock_destroy(l, NEST); }
RW_EXPORT void omp_set_nest_lock(omp_lock *l) { lock_set(l, NEST, RW_CALLER_PC()); }
RW_EXPORT void omp_unset_nest_lock(omp_lock *l) { lock_unset(l, NEST); }
RW_EXPORT int omp_test_nest_lock(omp_lock *l) { return lock_test(l, NEST); }
