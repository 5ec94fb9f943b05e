/* tsan_atomic.c: the atomic half of the ThreadSanitizer ABI: every
 * __tsan_atomicN_{load,store,exchange,fetch_*,compare_exchange_*} for N =
 * 8..128 bits, and the fences.
 *
 * Each operation is performed for real (sequentially consistent, which is
 * at least as strong as what was asked, except that a store asked to be
 * relaxed or a release is a release store: a sequentially consistent
 * one is a locked exchange on x86, which the program did not ask for)
 * and recorded twice: as an atomic
 * access in the shadow (atomics never race with each other, but do with
 * plain accesses) and, by its memory order, as edges on the sync object
 * at its address: a release store replaces the object's clock, a release
 * read-modify-write joins into it (it continues a release sequence), an
 * acquire reads it.  A releasing operation holds the object's lock across
 * the memory operation and the release, and an acquiring one takes the
 * lock after its load, so whoever reads a released value also finds the
 * release.  Fences follow C11: a release fence makes later relaxed stores
 * release the clock it had; an acquire fence acquires what the relaxed
 * reads since the previous one could have seen.
 *
 * 128-bit operations use cmpxchg16b (__sync builtins with -mcx16). */
#include "runtime/rt.h"

#include "detector/syncvar.h"

typedef unsigned char a8;
typedef unsigned short a16;
typedef unsigned int a32;
typedef unsigned long long a64;
typedef unsigned __int128 a128;
typedef int morder;

enum { MO_RELAXED, MO_CONSUME, MO_ACQUIRE, MO_RELEASE, MO_ACQ_REL, MO_SEQ_CST };

static inline int acquires(morder mo)
{
    mo &= 0xff;
    return mo == MO_CONSUME || mo == MO_ACQUIRE || mo == MO_ACQ_REL || mo == MO_SEQ_CST;
}

static inline int releases(morder mo)
{
    mo &= 0xff;
    return mo == MO_RELEASE || mo == MO_ACQ_REL || mo == MO_SEQ_CST;
}

static inline void shadow_access(rw_thread *t, uintptr_t a, unsigned size, int write, uintptr_t pc)
{
    if (t->ignore)
        return;
    if (size <= 8 && (a & 7) + size <= 8) {
        rw_check_atomic(t, a, (unsigned)__builtin_ctz(size), write, pc);
    } else {
        rw_check_range(t, a, size, write, 1, pc);
    }
}

/* The sync objects of this thread's recent atomics, by address: a
 * direct-mapped cache in front of the table's hashed chains.  Sync
 * objects are never freed and never change address (a reset keeps the
 * object), so an entry never goes stale; only objects that exist are
 * kept. */
#define SYNC_CACHE 16
static __thread struct sync_cache_entry {
    uintptr_t addr;
    rw_sync *s;
} sync_cache[SYNC_CACHE] __attribute__((tls_model("initial-exec")));

static inline rw_sync *sync_of(uintptr_t a, int create)
{
    struct sync_cache_entry *e = &sync_cache[(a >> 3) & (SYNC_CACHE - 1)];
    if (__builtin_expect(e->addr == a && e->s != NULL, 1))
        return e->s;
    rw_sync *s = rw_sync_get(a, create);
    if (s) {
        e->addr = a;
        e->s = s;
    }
    return s;
}

/* Acquire the clock released at a (rw_sync_acquire_at, through the cache). */
static void acquire_at(rw_thread *t, uintptr_t a)
{
    rw_sync *s = sync_of(a, 0);
    if (!s)
        return;
    rw_spin_lock(&s->lock);
    rw_sync_acquire(t, s);
    rw_spin_unlock(&s->lock);
}

static void note_relaxed_read(rw_thread *t, uintptr_t a)
{
    t->relaxed_reads[t->nrelaxed_reads++ & 15] = a;
}

/* Before a store-like operation: lock the object it may release into. */
static inline __attribute__((always_inline)) rw_sync *begin_write(rw_thread *t, uintptr_t a,
                                                                  morder mo)
{
    if (!releases(mo) && !t->has_fence_release && !acquires(mo))
        return NULL;
    rw_sync *s = sync_of(a, 1);
    if (s)
        rw_spin_lock(&s->lock);
    return s;
}

/* An acquire-release read-modify-write's release (join) and acquire in
 * one pass over the clocks: each entry becomes the larger of the two in
 * both (our own entry is our clock, which no object holds a larger value
 * of).  The two calls where the sizes differ. */
static inline void release_acquire(rw_thread *t, rw_sync *s)
{
    rw_thread_prepare_release(t);
    uint32_t n = t->vc.size;
    if (__builtin_expect(s->vc.size != n, 0)) {
        rw_sync_release(t, s);
        rw_sync_acquire(t, s);
        return;
    }
    rw_sync_vc_joined(s, t);
    uint64_t *mine = t->vc.clk, *theirs = s->vc.clk;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t m = mine[i], o = theirs[i];
        if (m > o)
            theirs[i] = m;
        else if (o > m)
            mine[i] = o;
    }
}

/* After it: the release (store: replace; rmw: join) and the acquire. */
static inline __attribute__((always_inline)) void end_write(rw_thread *t, rw_sync *s, morder mo,
                                                            int rmw, int done)
{
    if (!s)
        return;
    if (done) {
        if (releases(mo)) {
            if (!rmw)
                rw_sync_release_store(t, s);
            else if (acquires(mo))
                release_acquire(t, s);
            else
                rw_sync_release(t, s);
        } else {
            if (t->has_fence_release) {
                rw_sync_vc_joined(s, t);
                rw_vclock_join(&s->vc, &t->fence_release);
            }
            if (acquires(mo) && rmw)
                rw_sync_acquire(t, s);
        }
    }
    rw_spin_unlock(&s->lock);
}

static void after_read(rw_thread *t, uintptr_t a, morder mo)
{
    if (acquires(mo))
        acquire_at(t, a);
    else
        note_relaxed_read(t, a);
}


#define DEFINE_ATOMICS(N, T)                                                                     \
    RW_EXPORT T __tsan_atomic##N##_load(const volatile T *a, morder mo)                          \
    {                                                                                            \
        T v = LOAD_##N(a);                                                                       \
        rw_thread *t = rw_enter();                                                               \
        if (t) {                                                                                 \
            shadow_access(t, (uintptr_t)a, sizeof(T), 0, RW_CALLER_PC());                        \
            after_read(t, (uintptr_t)a, mo);                                                     \
            rw_leave();                                                                          \
        }                                                                                        \
        return v;                                                                                \
    }                                                                                            \
    RW_EXPORT void __tsan_atomic##N##_store(volatile T *a, T v, morder mo)                       \
    {                                                                                            \
        rw_thread *t = rw_enter();                                                               \
        if (!t) {                                                                                \
            STORE_##N(a, v, mo);                                                                 \
            return;                                                                              \
        }                                                                                        \
        shadow_access(t, (uintptr_t)a, sizeof(T), 1, RW_CALLER_PC());                            \
        rw_sync *s = begin_write(t, (uintptr_t)a, mo);                                           \
        STORE_##N(a, v, mo);                                                                     \
        end_write(t, s, mo, 0, 1);                                                               \
        rw_leave();                                                                              \
    }                                                                                            \
    static inline T rmw##N(volatile T *a, T v, morder mo, int op, uintptr_t pc)                  \
    {                                                                                            \
        rw_thread *t = rw_enter();                                                               \
        rw_sync *s = NULL;                                                                       \
        if (t) {                                                                                 \
            shadow_access(t, (uintptr_t)a, sizeof(T), 1, pc);                                    \
            s = begin_write(t, (uintptr_t)a, mo);                                                \
        }                                                                                        \
        T old = RMW_##N(a, v, op);                                                               \
        if (t) {                                                                                 \
            if (!acquires(mo))                                                                   \
                note_relaxed_read(t, (uintptr_t)a);                                              \
            end_write(t, s, mo, 1, 1);                                                           \
            rw_leave();                                                                          \
        }                                                                                        \
        return old;                                                                              \
    }                                                                                            \
    RW_EXPORT T __tsan_atomic##N##_exchange(volatile T *a, T v, morder mo)                       \
    { return rmw##N(a, v, mo, OP_XCHG, RW_CALLER_PC()); }                                        \
    RW_EXPORT T __tsan_atomic##N##_fetch_add(volatile T *a, T v, morder mo)                      \
    { return rmw##N(a, v, mo, OP_ADD, RW_CALLER_PC()); }                                         \
    RW_EXPORT T __tsan_atomic##N##_fetch_sub(volatile T *a, T v, morder mo)                      \
    { return rmw##N(a, v, mo, OP_SUB, RW_CALLER_PC()); }                                         \
    RW_EXPORT T __tsan_atomic##N##_fetch_and(volatile T *a, T v, morder mo)                      \
    { return rmw##N(a, v, mo, OP_AND, RW_CALLER_PC()); }                                         \
    RW_EXPORT T __tsan_atomic##N##_fetch_or(volatile T *a, T v, morder mo)                       \
    { return rmw##N(a, v, mo, OP_OR, RW_CALLER_PC()); }                                          \
    RW_EXPORT T __tsan_atomic##N##_fetch_xor(volatile T *a, T v, morder mo)                      \
    { return rmw##N(a, v, mo, OP_XOR, RW_CALLER_PC()); }                                         \
    RW_EXPORT T __tsan_atomic##N##_fetch_nand(volatile T *a, T v, morder mo)                     \
    { return rmw##N(a, v, mo, OP_NAND, RW_CALLER_PC()); }                                        \
    static inline int cas##N(volatile T *a, T *expected, T desired, morder mo, morder fmo,       \
                             uintptr_t pc)                                                       \
    {                                                                                            \
        rw_thread *t = rw_enter();                                                               \
        rw_sync *s = NULL;                                                                       \
        if (t)                                                                                   \
            s = begin_write(t, (uintptr_t)a, mo);                                                \
        int ok = CAS_##N(a, expected, desired);                                                  \
        if (t) {                                                                                 \
            shadow_access(t, (uintptr_t)a, sizeof(T), ok, pc);                                   \
            end_write(t, s, mo, 1, ok);                                                          \
            if (!ok)                                                                             \
                after_read(t, (uintptr_t)a, fmo);                                                \
            else if (!acquires(mo))                                                              \
                note_relaxed_read(t, (uintptr_t)a);                                              \
            rw_leave();                                                                          \
        }                                                                                        \
        return ok;                                                                               \
    }                                                                                            \
    RW_EXPORT int __tsan_atomic##N##_compare_exchange_strong(volatile T *a, T *c, T v,           \
                                                             morder mo, morder fmo)              \
    { return cas##N(a, c, v, mo, fmo, RW_CALLER_PC()); }                                         \
    RW_EXPORT int __tsan_atomic##N##_compare_exchange_weak(volatile T *a, T *c, T v,             \
                                                           morder mo, morder fmo)                \
    { return cas##N(a, c, v, mo, fmo, RW_CALLER_PC()); }                                         \
    RW_EXPORT T __tsan_atomic##N##_compare_exchange_val(volatile T *a, T c, T v, morder mo,      \
                                                        morder fmo)                              \
    {                                                                                            \
        cas##N(a, &c, v, mo, fmo, RW_CALLER_PC());                                               \
        return c;                                                                                \
    }

enum { OP_XCHG, OP_ADD, OP_SUB, OP_AND, OP_OR, OP_XOR, OP_NAND };

/* 8..64 bits: the __atomic builtins. */
#define NATIVE_RMW(a, v, op)                                                    \
    ((op) == OP_XCHG ? __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST)              \
     : (op) == OP_ADD ? __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST)              \
     : (op) == OP_SUB ? __atomic_fetch_sub(a, v, __ATOMIC_SEQ_CST)              \
     : (op) == OP_AND ? __atomic_fetch_and(a, v, __ATOMIC_SEQ_CST)              \
     : (op) == OP_OR ? __atomic_fetch_or(a, v, __ATOMIC_SEQ_CST)                \
     : (op) == OP_XOR ? __atomic_fetch_xor(a, v, __ATOMIC_SEQ_CST)              \
                      : __atomic_fetch_nand(a, v, __ATOMIC_SEQ_CST))
#define NATIVE_CAS(a, e, d) \
    __atomic_compare_exchange_n(a, e, d, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)

#define LOAD_8(a) __atomic_load_n(a, __ATOMIC_SEQ_CST)
#define LOAD_16(a) __atomic_load_n(a, __ATOMIC_SEQ_CST)
#define LOAD_32(a) __atomic_load_n(a, __ATOMIC_SEQ_CST)
#define LOAD_64(a) __atomic_load_n(a, __ATOMIC_SEQ_CST)
/* A store: a release store if a relaxed or a release one was asked for
 * (a plain move on x86), else sequentially consistent. */
#define NATIVE_STORE(a, v, mo)                                      \
    do {                                                            \
        if (((mo) & 0xff) == MO_RELAXED || ((mo) & 0xff) == MO_RELEASE) \
            __atomic_store_n(a, v, __ATOMIC_RELEASE);               \
        else                                                        \
            __atomic_store_n(a, v, __ATOMIC_SEQ_CST);               \
    } while (0)
#define STORE_8 NATIVE_STORE
#define STORE_16 NATIVE_STORE
#define STORE_32 NATIVE_STORE
#define STORE_64 NATIVE_STORE
#define RMW_8 NATIVE_RMW
#define RMW_16 NATIVE_RMW
#define RMW_32 NATIVE_RMW
#define RMW_64 NATIVE_RMW
#define CAS_8 NATIVE_CAS
#define CAS_16 NATIVE_CAS
#define CAS_32 NATIVE_CAS
#define CAS_64 NATIVE_CAS

/* 128 bits: everything through cmpxchg16b. */
static inline a128 cas128_val(volatile a128 *a, a128 expected, a128 desired)
{
    return __sync_val_compare_and_swap(a, expected, desired);
}

static inline a128 load128(const volatile a128 *a)
{
    return cas128_val((volatile a128 *)a, 0, 0);
}

static inline void store128(volatile a128 *a, a128 v)
{
    a128 cur = load128(a);
    for (;;) {
        a128 seen = cas128_val(a, cur, v);
        if (seen == cur)
            return;
        cur = seen;
    }
}

static inline a128 rmw128_op(volatile a128 *a, a128 v, int op)
{
    a128 cur = load128(a);
    for (;;) {
        a128 next;
        switch (op) {
        case OP_XCHG: next = v; break;
        case OP_ADD: next = cur + v; break;
        case OP_SUB: next = cur - v; break;
        case OP_AND: next = cur & v; break;
        case OP_OR: next = cur | v; break;
        case OP_XOR: next = cur ^ v; break;
        default: next = ~(cur & v); break;
        }
        a128 seen = cas128_val(a, cur, next);
        if (seen == cur)
            return cur;
        cur = seen;
    }
}

static inline int cas128_op(volatile a128 *a, a128 *expected, a128 desired)
{
    a128 seen = cas128_val(a, *expected, desired);
    if (seen == *expected)
        return 1;
    *expected = seen;
    return 0;
}

#define LOAD_128(a) load128(a)
#define STORE_128(a, v, mo) store128(a, v)
#define RMW_128 rmw128_op
#define CAS_128 cas128_op

DEFINE_ATOMICS(8, a8)
DEFINE_ATOMICS(16, a16)
DEFINE_ATOMICS(32, a32)
DEFINE_ATOMICS(64, a64)
DEFINE_ATOMICS(128, a128)

RW_EXPORT void __tsan_atomic_thread_fence(morder mo)
{
    rw_thread *t = rw_enter();
    if (t) {
        if (acquires(mo)) {
            uint32_t n = t->nrelaxed_reads < 16 ? t->nrelaxed_reads : 16;
            for (uint32_t i = 0; i < n; i++)
                acquire_at(t, t->relaxed_reads[i]);
            t->nrelaxed_reads = 0;
        }
        if (releases(mo)) {
            rw_thread_prepare_release(t);
            rw_vclock_assign(&t->fence_release, &t->vc);
            t->has_fence_release = 1;
        }
        rw_leave();
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

RW_EXPORT void __tsan_atomic_signal_fence(morder mo)
{
    (void)mo;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}
