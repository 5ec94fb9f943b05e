/* vclock.h: vector clocks, one clock per thread slot.
 *
 * A vector clock maps thread slots to clocks (trace positions).  It is a
 * dense array that grows on demand; a missing entry is 0.  Threads own one
 * (what they know of every other slot); sync objects hold one (what was
 * released into them).  The operations are the three of Lamport / FastTrack:
 * join (pointwise max, for acquire and for accumulating releases), assign
 * (for exclusive releases such as a mutex unlock) and the epoch test
 * "clock of slot s <= vc[s]" that decides happens-before. */
#ifndef RW_VCLOCK_H
#define RW_VCLOCK_H

#include <stdint.h>

typedef struct rw_vclock {
    uint64_t *clk;   /* clk[slot]; NULL when size is 0 */
    uint32_t size;   /* entries in use (slots 0..size-1) */
    uint32_t cap;
} rw_vclock;

/* In cap: the clock's arrays are never freed while it grows (a thread's
 * own clock, read by other threads without a lock). */
#define RW_VCLOCK_RETAIN 0x80000000u
/* In cap: clk is storage the clock does not own (inside the structure
 * that holds it): never freed nor reallocated; outgrown, the entries move
 * to an array of the clock's own. */
#define RW_VCLOCK_BORROWED 0x40000000u
#define RW_VCLOCK_FLAGS (RW_VCLOCK_RETAIN | RW_VCLOCK_BORROWED)

void rw_vclock_init(rw_vclock *v);
/* An empty clock whose first n entries live in storage (zeroed here),
 * which must last as long as the clock. */
void rw_vclock_init_in(rw_vclock *v, uint64_t *storage, uint32_t n);
/* Keep v's old arrays when it grows, so that rw_vclock_get_unlocked may
 * read it while its owner joins. */
void rw_vclock_retain_arrays(rw_vclock *v);
/* Entry slot of a clock that another thread may be growing or raising
 * meanwhile (one retaining its arrays): that value or an older, smaller
 * one. */
uint64_t rw_vclock_get_unlocked(const rw_vclock *v, uint32_t slot);
void rw_vclock_free(rw_vclock *v);
/* Make room for slot (entries up to it read as 0). Returns 0, -1 on OOM. */
int rw_vclock_reserve(rw_vclock *v, uint32_t slot);
static inline uint64_t rw_vclock_get(const rw_vclock *v, uint32_t slot)
{
    return slot < v->size ? v->clk[slot] : 0;
}
/* The operations below are inline where the destination already has
 * the entries (every release and acquire of a program whose threads all
 * exist: atomics, locks), out of line where it grows. */
void rw_vclock_set_grow(rw_vclock *v, uint32_t slot, uint64_t clock);
int rw_vclock_join_grow(rw_vclock *dst, const rw_vclock *src);
void rw_vclock_assign_grow(rw_vclock *dst, const rw_vclock *src);

static inline void rw_vclock_set(rw_vclock *v, uint32_t slot, uint64_t clock)
{
    if (__builtin_expect(slot < v->size, 1))
        v->clk[slot] = clock;
    else
        rw_vclock_set_grow(v, slot, clock);
}

/* dst = max(dst, src) pointwise; returns 1 if dst changed.  Only
 * entries that grow are written (a thread's own clock is read by
 * others without a lock). */
static inline int rw_vclock_join(rw_vclock *dst, const rw_vclock *src)
{
    uint32_t n = src->size;
    if (__builtin_expect(n > dst->size, 0))
        return rw_vclock_join_grow(dst, src);
    uint64_t *d = dst->clk;
    const uint64_t *s = src->clk;
    int changed = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (s[i] > d[i]) {
            d[i] = s[i];
            changed = 1;
        }
    }
    return changed;
}

/* dst = src. */
static inline void rw_vclock_assign(rw_vclock *dst, const rw_vclock *src)
{
    uint32_t n = src->size, have = dst->size;
    if (__builtin_expect(n == 0 || n > have, 0)) {
        rw_vclock_assign_grow(dst, src);
        return;
    }
    uint64_t *d = dst->clk;
    const uint64_t *s = src->clk;
    for (uint32_t i = 0; i < n; i++)
        d[i] = s[i];
    for (uint32_t i = n; i < have; i++)
        d[i] = 0;
}
/* Reset to all zero (keeps memory). */
void rw_vclock_clear(rw_vclock *v);
/* 1 if every entry of a is <= the one of b. */
int rw_vclock_leq(const rw_vclock *a, const rw_vclock *b);

#endif
