/* syncvar.h: the detector's state for each synchronization object the
 * program uses (mutex, rwlock, semaphore, barrier, once, condition
 * variable, atomic variable used with release/acquire), found by address.
 *
 * A hash table of 64K buckets, each a chain that lookups walk without a
 * lock and insertions extend under one of 64 striped spinlocks; a sync object is
 * created on first use.  Objects are never freed (a racing
 * thread may hold a pointer); pthread_*_init and _destroy reset them, so a
 * lock whose memory is reused starts afresh. */
#ifndef RW_SYNCVAR_H
#define RW_SYNCVAR_H

#include <stdint.h>

#include "detector/spinlock.h"
#include "detector/thread.h"
#include "detector/vclock.h"

/* Clock entries kept inside a sync object (a cache line of them). */
#define RW_SYNC_INLINE_CLOCKS 8

typedef struct rw_sync {
    /* --- hot: read or written by every lock and unlock; with the object
     * 64-byte aligned, these are its first cache line and the clock's
     * first entries its second (a lock with a clock array of its own
     * took one more miss per lock and per unlock: barnes' 2048 cell
     * locks, each used by every thread). --- */
    uintptr_t addr;
    struct rw_sync *next;
    rw_spin lock;           /* guards everything below */
    /* The clock_id of a thread whose clock holds vc (every entry of vc
     * at most that clock's, which only grows while its id stays), 0 for
     * none known: that thread's mutex lock has nothing to acquire
     * (runtime/intercept_mutex.c).  Every write into vc keeps it right
     * (rw_sync_vc_joined, the release functions below, resets); relaxed
     * atomics. */
    uint32_t clock_of;
    uint64_t uid;           /* changes on reset: a reused lock is a new lock */
    /* The object as memory (runtime/sync_memory.c), as epochs
     * (rw_cell_make(slot, clock, ...)), 0 for none; relaxed atomics. */
    uint64_t last_use;      /* its latest lock, wait or post since init */
    uint64_t write_to_check;/* an init or destroy that later uses are
                               checked against, until the object's clock
                               covers it */
    rw_vclock vc;           /* what releases put in; its entries are in
                               vc_inline until the slots outgrow it */
    uint64_t vc_inline[RW_SYNC_INLINE_CLOCKS];
    /* --- the rest --- */
    rw_vclock read_vc;      /* rwlock: what read-unlocks put in */
    uint32_t owner;         /* thread number holding it (mutexes), 0 = none */
    uint32_t recursion;
    uint32_t readers;
    uint32_t create_stack;
    /* Wait state for the deadlock checks, guarded by the waitfor lock. */
    uint32_t waiters;       /* condition: threads inside a wait */
    uint32_t pending;       /* condition: signals not yet consumed */
    uint32_t count;         /* barrier: threads per round */
    uint32_t arrived;       /* barrier: arrivals in this round */
    uint64_t round;         /* barrier: completed rounds */
    int pshared;            /* process-shared: never judged */
    uint64_t init_write;    /* its latest init */
    /* Misuse checks (runtime/intercept_mutex.c, intercept_sem.c), guarded
     * by lock; cleared by a reset. */
    uintptr_t cond_mutex;       /* condition: the mutex its waiters use now */
    uint32_t cond_mutex_users;  /* condition: waiters inside with it */
    uint32_t cond_mutex_thread; /* condition: the thread number of one of them */
    uint32_t cond_mutex_stack;  /* condition: where it waits (a depot stack) */
    uint32_t destroyed;         /* semaphore: destroyed and not initialised since */
    uint32_t destroy_thread;    /* mutex, semaphore: who destroyed it last, */
    uint32_t destroy_stack;     /* and where (0: not destroyed since its init) */
    /* Barrier: the round arrivals join now (runtime/intercept_barrier.c),
     * guarded by lock; a reset forgets it (its departures free it). */
    void *barrier_round;
} rw_sync;

/* The table's buckets (syncvar.c), for the inline look-up below. */
#define RW_SYNC_BUCKET_BITS 16
extern rw_sync *rw_sync_buckets[1u << RW_SYNC_BUCKET_BITS];

static inline rw_sync **rw_sync_bucket_of(uintptr_t addr)
{
    uint64_t h = (uint64_t)addr * UINT64_C(0x9E3779B97F4A7C15);
    return &rw_sync_buckets[h >> (64 - RW_SYNC_BUCKET_BITS)];
}

/* Make the sync object at addr (or find it, made meanwhile); NULL if out
 * of memory. */
rw_sync *rw_sync_create(uintptr_t addr);

/* The sync object at addr; created when create != 0 (else NULL if none).
 * Returned unlocked.  Inline: a lock and its unlock each look an object
 * up (barnes: 2.1M pairs), and the call cost as much as the walk. */
static inline rw_sync *rw_sync_get(uintptr_t addr, int create)
{
    /* Objects are only ever pushed at a chain's head, with a release
     * store, and never freed: a lookup walks the chain without a lock. */
    rw_sync *s = __atomic_load_n(rw_sync_bucket_of(addr), __ATOMIC_ACQUIRE);
    while (s && s->addr != addr)
        s = s->next;
    if (s || !create)
        return s;
    return rw_sync_create(addr);
}

/* s's release clock still lives in its own line (vc_inline), and a clock
 * of `entries` entries joined into it stays there: no allocation can
 * happen.  A mutex's holder may then acquire and release without s's
 * spinlock (runtime/intercept_mutex.c): the program's lock orders the
 * holders, and the storage is never freed under a reader. */
static inline int rw_sync_clock_inline(const rw_sync *s, uint32_t entries)
{
    return (__atomic_load_n(&s->vc.cap, __ATOMIC_RELAXED) & RW_VCLOCK_BORROWED) &&
           entries <= RW_SYNC_INLINE_CLOCKS;
}

/* Ask for the line of addr's bucket in the table, before a lock call
 * whose own miss on the lock's line it then overlaps (a hint only). */
static inline void rw_sync_prefetch(uintptr_t addr)
{
    __builtin_prefetch(rw_sync_bucket_of(addr), 0, 3);
}

/* Forget the history of the object at addr (init / destroy). */
void rw_sync_reset(uintptr_t addr);

/* Release t's clock into s (join: accumulating, for semaphores, barriers,
 * RMW atomics); s must be locked.  (Inline, as the clock operations are
 * where the clocks have their entries: an atomic's release and acquire
 * cost their calls more than their loops.) */
/* Before a clock that t's own holds (its clock, its last release
 * fence's) is joined into s->vc: the clock named by clock_of still holds
 * vc afterwards only if it is t's. */
static inline void rw_sync_vc_joined(rw_sync *s, const rw_thread *t)
{
    uint32_t of = __atomic_load_n(&s->clock_of, __ATOMIC_RELAXED);
    if (of != 0 && of != t->clock_id)
        __atomic_store_n(&s->clock_of, 0, __ATOMIC_RELAXED);
}

static inline void rw_sync_release(rw_thread *t, rw_sync *s)
{
    rw_thread_prepare_release(t);
    rw_sync_vc_joined(s, t);
    rw_vclock_join(&s->vc, &t->vc);
}

/* Release t's clock into s, replacing it (mutex unlock, atomic store). */
static inline void rw_sync_release_store(rw_thread *t, rw_sync *s)
{
    rw_thread_prepare_release(t);
    rw_vclock_assign(&s->vc, &t->vc);
    __atomic_store_n(&s->clock_of, t->clock_id, __ATOMIC_RELAXED);
}

/* Acquire s's clock into t; s must be locked. */
static inline void rw_sync_acquire(rw_thread *t, rw_sync *s)
{
    rw_open_read_flush(t); /* (done by rw_enter already, as a rule) */
    rw_pending_write_flush(t);
    uint64_t own = t->pos;
    rw_vclock_join(&t->vc, &s->vc);
    /* A slot's own entry is its clock; an object may hold an older value. */
    rw_vclock_set(&t->vc, t->slot, own);
}

/* Convenience: lock, release / acquire, unlock. */
void rw_sync_release_at(rw_thread *t, uintptr_t addr);
void rw_sync_release_store_at(rw_thread *t, uintptr_t addr);
void rw_sync_acquire_at(rw_thread *t, uintptr_t addr);

/* The insertion locks, held by the fork handlers around fork(). */
void rw_syncs_lock_all(void);
void rw_syncs_unlock_all(void);

/* In a fork child, after rw_threads_after_fork: an object whose lock a
 * vanished thread held at the fork is unlocked, its clocks emptied. */
void rw_syncs_after_fork(void);

#endif
