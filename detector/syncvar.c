/* syncvar.c: the sync object table and the release/acquire operations
 * (see syncvar.h). */
#include "detector/syncvar.h"

#include <stddef.h>

#include "detector/alloc.h"

_Static_assert(offsetof(rw_sync, vc_inline) == 64, "a sync object's hot fields fill one line");

#define NBUCKETS (1u << RW_SYNC_BUCKET_BITS)
/* Insertions take one of a few locks, not one per bucket: the fork
 * handlers hold them all around fork(), and writing a lock in each of 64K
 * buckets (1 MiB) copied every page of the table twice per fork (parent
 * and child, copy on write at the unlock): 1.5 ms of CPU per fork, most
 * of a short libuv test's cost (its runner forks per test).  Insertions
 * only happen at an object's first use, so a few stripes are enough. */
#define NINSERT_LOCKS 64u

rw_sync *rw_sync_buckets[NBUCKETS] RW_LARGE_BSS;
static rw_spin insert_locks[NINSERT_LOCKS];
/* One bit per bucket that holds objects (set under its insertion lock):
 * a fork child visits those buckets only, not all 64K heads. */
static uint64_t used_buckets[NBUCKETS / 64] RW_LARGE_BSS;
static uint64_t next_uid = 1;


/* Sync objects are never freed: they are cut from zeroed slabs, each on
 * its own cache lines (syncvar.h: the hot fields in the first, the
 * clock's entries in the second), with no allocator header between
 * them.  A slab is a reserved mapping (untouched pages cost nothing)
 * whose pages are mapped 64 KiB at a time, in one call, as
 * objects reach them: barnes makes 16,000 objects (a condition variable
 * per tree cell), and a fault per page cost about 17 us against 10.
 * Called under an insertion lock (so never while the fork handlers hold
 * them all); the slab's own lock orders the stripes. */
#define SYNC_SIZE ((sizeof(rw_sync) + 63) & ~(size_t)63)
static rw_spin slab_lock;
static rw_slab sync_slab;

static rw_sync *new_sync(void)
{
    rw_spin_lock(&slab_lock);
    rw_sync *s = rw_slab_take(&sync_slab, SYNC_SIZE);
    rw_spin_unlock(&slab_lock);
    return s;
}

rw_sync *rw_sync_create(uintptr_t addr)
{
    rw_sync **b = rw_sync_bucket_of(addr);
    rw_spin *lock = &insert_locks[(unsigned)(b - rw_sync_buckets) % NINSERT_LOCKS];
    rw_spin_lock(lock);
    rw_sync *s = *b;
    while (s && s->addr != addr)
        s = s->next;
    if (!s) {
        s = new_sync();
        if (s) {
            s->addr = addr;
            rw_vclock_init_in(&s->vc, s->vc_inline, RW_SYNC_INLINE_CLOCKS);
            rw_vclock_init(&s->read_vc);
            s->uid = __atomic_fetch_add(&next_uid, 1, __ATOMIC_RELAXED);
            s->next = *b;
            __atomic_store_n(b, s, __ATOMIC_RELEASE);
            unsigned i = (unsigned)(b - rw_sync_buckets);
            __atomic_fetch_or(&used_buckets[i / 64], UINT64_C(1) << (i % 64), __ATOMIC_RELAXED);
        }
    }
    rw_spin_unlock(lock);
    return s;
}

void rw_sync_reset(uintptr_t addr)
{
    rw_sync *s = rw_sync_get(addr, 0);
    if (!s)
        return;
    rw_spin_lock(&s->lock);
    rw_vclock_clear(&s->vc);
    __atomic_store_n(&s->clock_of, 0, __ATOMIC_RELAXED);
    rw_vclock_clear(&s->read_vc);
    s->owner = 0;
    s->recursion = 0;
    s->readers = 0;
    s->cond_mutex = 0;
    s->cond_mutex_users = 0;
    s->cond_mutex_thread = 0;
    s->cond_mutex_stack = 0;
    s->destroyed = 0;
    s->destroy_thread = 0;
    s->destroy_stack = 0;
    s->barrier_round = NULL;
    s->uid = __atomic_fetch_add(&next_uid, 1, __ATOMIC_RELAXED);
    rw_spin_unlock(&s->lock);
}

void rw_sync_release_at(rw_thread *t, uintptr_t addr)
{
    rw_sync *s = rw_sync_get(addr, 1);
    if (!s)
        return;
    rw_spin_lock(&s->lock);
    rw_sync_release(t, s);
    rw_spin_unlock(&s->lock);
}

void rw_sync_release_store_at(rw_thread *t, uintptr_t addr)
{
    rw_sync *s = rw_sync_get(addr, 1);
    if (!s)
        return;
    rw_spin_lock(&s->lock);
    rw_sync_release_store(t, s);
    rw_spin_unlock(&s->lock);
}

void rw_sync_acquire_at(rw_thread *t, uintptr_t addr)
{
    rw_sync *s = rw_sync_get(addr, 0);
    if (!s)
        return;
    rw_spin_lock(&s->lock);
    rw_sync_acquire(t, s);
    rw_spin_unlock(&s->lock);
}

void rw_syncs_lock_all(void)
{
    for (unsigned i = 0; i < NINSERT_LOCKS; i++)
        rw_spin_lock(&insert_locks[i]);
}

void rw_syncs_unlock_all(void)
{
    for (unsigned i = 0; i < NINSERT_LOCKS; i++)
        rw_spin_unlock(&insert_locks[i]);
}

/* In the child: an object whose lock was held is unlocked, its clocks
 * emptied. */
static void reset_held(rw_sync *s)
{
    /* Only read unless held: writing every object would copy every page
     * of the table into the child. */
    if (__atomic_load_n(&s->lock.v, __ATOMIC_RELAXED) == 0)
        return;
    s->lock.v = 0;
    /* Its clocks may be half updated (an array being grown): start them
     * empty, without freeing.  Nothing is lost: the child's only thread
     * already holds every clock of the parent. */
    rw_vclock_init_in(&s->vc, s->vc_inline, RW_SYNC_INLINE_CLOCKS);
    s->clock_of = 0;
    rw_vclock_init(&s->read_vc);
}

void rw_syncs_after_fork(void)
{
    for (unsigned w = 0; w < NBUCKETS / 64; w++) {
        for (uint64_t bits = used_buckets[w]; bits; bits &= bits - 1) {
            unsigned i = w * 64 + (unsigned)__builtin_ctzll(bits);
            for (rw_sync *s = rw_sync_buckets[i]; s; s = s->next)
                reset_held(s);
        }
    }
}
