/* vclock.c: dense vector clocks (see vclock.h).  Entries are plain loads
 * and stores: a vector clock is only touched by its owning thread or under
 * its sync object's lock, but for a thread's own clock, which others read
 * without a lock (rw_vclock_get_unlocked, for detector/hb_floor.c). */
#include "detector/vclock.h"

#include "detector/alloc.h"

void rw_vclock_init(rw_vclock *v)
{
    v->clk = 0;
    v->size = 0;
    v->cap = 0;
}

void rw_vclock_init_in(rw_vclock *v, uint64_t *storage, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        storage[i] = 0;
    v->clk = storage;
    v->size = 0;
    v->cap = n | RW_VCLOCK_BORROWED;
}

void rw_vclock_retain_arrays(rw_vclock *v)
{
    v->cap |= RW_VCLOCK_RETAIN;
}

uint64_t rw_vclock_get_unlocked(const rw_vclock *v, uint32_t slot)
{
    uint32_t size = __atomic_load_n(&v->size, __ATOMIC_ACQUIRE);
    const uint64_t *clk = __atomic_load_n(&v->clk, __ATOMIC_ACQUIRE);
    return slot < size ? __atomic_load_n(&clk[slot], __ATOMIC_RELAXED) : 0;
}

void rw_vclock_free(rw_vclock *v)
{
    if (!(v->cap & RW_VCLOCK_BORROWED))
        rw_free(v->clk);
    rw_vclock_init(v);
}

int rw_vclock_reserve(rw_vclock *v, uint32_t slot)
{
    if (slot < v->size)
        return 0;
    uint32_t retain = v->cap & RW_VCLOCK_RETAIN, have = v->cap & ~RW_VCLOCK_FLAGS;
    if (slot >= have) {
        uint32_t cap = have ? have : 8;
        while (cap <= slot)
            cap *= 2;
        uint64_t *n;
        if (retain || (v->cap & RW_VCLOCK_BORROWED)) {
            /* Readers without our lock may hold the old array: it stays
             * (a thread's clock grows a few times in its life); borrowed
             * storage is not ours to reallocate. */
            n = rw_malloc((size_t)cap * sizeof *n);
            if (n)
                for (uint32_t i = 0; i < v->size; i++)
                    n[i] = v->clk[i];
        } else {
            n = rw_realloc(v->clk, (size_t)cap * sizeof *n);
        }
        if (!n)
            return -1;
        __atomic_store_n(&v->clk, n, __ATOMIC_RELEASE);
        v->cap = cap | retain;
    }
    for (uint32_t i = v->size; i <= slot; i++)
        v->clk[i] = 0;
    __atomic_store_n(&v->size, slot + 1, __ATOMIC_RELEASE);
    return 0;
}

void rw_vclock_set_grow(rw_vclock *v, uint32_t slot, uint64_t clock)
{
    if (rw_vclock_reserve(v, slot) == 0)
        v->clk[slot] = clock;
}

int rw_vclock_join_grow(rw_vclock *dst, const rw_vclock *src)
{
    int changed = 0;
    if (src->size == 0)
        return 0;
    if (rw_vclock_reserve(dst, src->size - 1) != 0)
        return 0;
    for (uint32_t i = 0; i < src->size; i++) {
        if (src->clk[i] > dst->clk[i]) {
            dst->clk[i] = src->clk[i];
            changed = 1;
        }
    }
    return changed;
}

void rw_vclock_assign_grow(rw_vclock *dst, const rw_vclock *src)
{
    if (src->size == 0) {
        rw_vclock_clear(dst);
        return;
    }
    if (rw_vclock_reserve(dst, src->size - 1) != 0)
        return;
    for (uint32_t i = 0; i < src->size; i++)
        dst->clk[i] = src->clk[i];
    for (uint32_t i = src->size; i < dst->size; i++)
        dst->clk[i] = 0;
}

void rw_vclock_clear(rw_vclock *v)
{
    for (uint32_t i = 0; i < v->size; i++)
        v->clk[i] = 0;
}

int rw_vclock_leq(const rw_vclock *a, const rw_vclock *b)
{
    for (uint32_t i = 0; i < a->size; i++)
        if (a->clk[i] > rw_vclock_get(b, i))
            return 0;
    return 1;
}
