/* spinlock.h: the detector's internal lock.  It cannot be a pthread mutex:
 * the runtime intercepts those.  Test-and-test-and-set with a yield after
 * a short spin; critical sections are short (a vector clock copy, a hash
 * chain walk).  Zero-initialized means unlocked. */
#ifndef RW_SPINLOCK_H
#define RW_SPINLOCK_H

#include <sched.h>

typedef struct rw_spin {
    int v;
} rw_spin;

#define RW_SPIN_INIT { 0 }

static inline void rw_spin_lock(rw_spin *l)
{
    for (unsigned n = 0;; n++) {
        if (__atomic_load_n(&l->v, __ATOMIC_RELAXED) == 0 &&
            !__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE))
            return;
        if (n > 64)
            sched_yield();
        else
            __builtin_ia32_pause();
    }
}

static inline int rw_spin_trylock(rw_spin *l)
{
    return __atomic_load_n(&l->v, __ATOMIC_RELAXED) == 0 &&
           !__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE);
}

static inline void rw_spin_unlock(rw_spin *l)
{
    __atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}

#endif
