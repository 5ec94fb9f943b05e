/* pending_write.c: a thread's short copies from one call site into a
 * window of 128 bytes (a decoder writing its dictionary: xz -d's
 * memcpy of each 2-64 byte match), checked against the cells at once but
 * stored later, once per run of bytes instead of once per copy.
 *
 * Each copy's granules are read, not stored: every cell in them must be
 * empty, ours, or another slot's that happens before us (else the copy
 * takes the general check at once, which reports with its own stack).
 * The window's bytes are stored (rw_intercepted_range_checked, the
 * ordinary check: it also finds what another thread stored meanwhile)
 * when the window moves past them, when a copy from another call site or
 * outside the window comes, when the thread reads them partly, and at
 * the thread's next interceptor of any other kind (rw_enter): every
 * release and acquire, free, thread start, end and exit goes through one.
 *
 * Exact for races: until the store, the thread neither releases nor
 * acquires, so its clock is the one of the copies.  Another thread's
 * access unordered with a copy either was stored before the copy looked
 * (found then), or after it (found by the store, since the thread has
 * acquired nothing meanwhile: the same clock test).  An access of
 * another thread that looks before the store does not see the copy, but
 * the copy's store sees it.  The cost is in such a report only: it is
 * made at the store, with the copies' call site alone as its stack
 * (rw_stack_pc_only, as for a pending compared read).
 *
 * Only when no instrumented code is loaded (rw_touched_valid): then every
 * release and acquire is an interceptor's (or, OMPT callbacks and
 * fibers, one of detector/thread.h's helpers, which store the window
 * through rw_pending_write_hook); instrumented atomics are not. */
#include "runtime/rt.h"

typedef unsigned __int128 window_bits;

static inline unsigned bits_ctz(window_bits m)
{
    uint64_t lo = (uint64_t)m;
    return lo ? (unsigned)__builtin_ctzll(lo) : 64u + (unsigned)__builtin_ctzll((uint64_t)(m >> 64));
}

static inline window_bits window_of(const rw_thread *t)
{
    return (window_bits)t->pend_mask[1] << 64 | t->pend_mask[0];
}

static inline void window_set(rw_thread *t, window_bits m)
{
    t->pend_mask[0] = (uint64_t)m;
    t->pend_mask[1] = (uint64_t)(m >> 64);
}

/* Bytes [lo, hi) of a window, 0 <= lo < hi <= 128, hi - lo <= 64. */
static inline window_bits window_run(unsigned lo, unsigned hi)
{
    return ((window_bits)(~(uint64_t)0 >> (64 - (hi - lo)))) << lo;
}

/* Each run of set bits of m (bytes from base) stored as a plain write. */
static void store_runs(rw_thread *t, uintptr_t base, window_bits m, uintptr_t pc)
{
    rw_stack_pc_only = 1; /* made by calls that have returned (rt.h) */
    while (m) {
        unsigned skip = bits_ctz(m);
        m >>= skip;
        base += skip;
        unsigned len = ~m == 0 ? 128 : bits_ctz(~m);
        rw_intercepted_range_checked(t, base, len, 1, 0, pc);
        m = len >= 128 ? 0 : m >> len;
        base += len;
    }
    rw_stack_pc_only = 0;
}

void rw_pending_write_store(rw_thread *t)
{
    uintptr_t base = t->pend_base;
    if (!base)
        return;
    window_bits m = window_of(t);
    t->pend_base = 0;
    store_runs(t, base, m, t->pend_pc);
}

/* No cell in the granules of [addr, end) that a write by t could race
 * with or that needs the general check (a free, an extension's marker),
 * and every granule's shadow mapped: only empty cells, t's own, and other
 * slots' that happen before t. */
static inline int others_before(const rw_thread *t, uintptr_t addr, uintptr_t end)
{
    for (uintptr_t g = addr & ~(uintptr_t)7; g < end; g += 8) {
        const rw_cell *cells = rw_shadow_cells(g);
        if (!cells)
            return 0;
        rw_cell snap[RW_CELLS_PER_GRANULE];
        rw_cells_load_all(cells, snap, __ATOMIC_RELAXED);
        for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
            rw_cell c = snap[i];
            if (c == 0)
                continue;
            if (rw_cell_is_freed(c))
                return 0;
            unsigned slot = rw_cell_slot(c);
            if (slot != t->slot && rw_cell_clock(c) > rw_vclock_get(&t->vc, slot))
                return 0;
        }
    }
    return 1;
}

int rw_pending_write_add(rw_thread *t, uintptr_t addr, size_t size, uintptr_t pc)
{
    uintptr_t end = addr + size;
    uintptr_t base = t->pend_base;
    if (base && (pc != t->pend_pc || addr < base || addr >= base + 192 || end < addr)) {
        rw_pending_write_store(t);
        base = 0;
    }
    if (end < addr || !others_before(t, addr, end)) {
        if (base)
            rw_pending_write_store(t);
        return 0;
    }
    window_bits m;
    if (!base) {
        if (RW_UNLIKELY(!rw_pending_write_hook))
            rw_pending_write_hook = rw_pending_write_store;
        t->pend_base = base = addr & ~(uintptr_t)7;
        t->pend_pc = pc;
        m = 0;
    } else {
        m = window_of(t);
        if (end > base + 128) {
            /* The window moves on: the bytes it leaves are stored. */
            uintptr_t moved = ((end - 128 + 7) & ~(uintptr_t)7) - base;
            if (moved >= 128) {
                store_runs(t, base, m, pc);
                m = 0;
            } else {
                store_runs(t, base, m & ((((window_bits)1) << moved) - 1), pc);
                m >>= moved;
            }
            t->pend_base = base += moved;
        }
    }
    window_set(t, m | window_run((unsigned)(addr - base), (unsigned)(end - base)));
    return 1;
}

/* A read by t of [addr, addr+size) while its window is open: 1 if the
 * window's bytes hold all of it (our write of this epoch covers the
 * read); else the window is stored first when the read touches it. */
int rw_pending_write_read(rw_thread *t, uintptr_t addr, size_t size)
{
    uintptr_t base = t->pend_base, end = addr + size;
    if (addr >= base && end <= base + 128 && end > addr) {
        window_bits want = size <= 64 ? window_run((unsigned)(addr - base), (unsigned)(end - base))
                                      : 0;
        if (want && (window_of(t) & want) == want)
            return 1;
    }
    if (end > base && addr < base + 128)
        rw_pending_write_store(t);
    return 0;
}

/* At exit, the pending copies of the threads the exit will end (they have
 * called nothing since, and will never store them): each cell in their
 * windows' granules of another slot that does not happen before the
 * copier, over a byte it copied, was stored after the copy looked (it
 * found none such), and races with it: reported on the copier's behalf,
 * as the open reads are (rw_open_reads_check_at_exit).  Best effort: the
 * copier runs on meanwhile. */
void rw_pending_writes_check_at_exit(rw_thread *self)
{
    if (!rw_race_handler)
        return;
    rw_thread *t;
    for (uint32_t slot = 0; (t = rw_thread_next_other_idle(self, &slot));) {
        uintptr_t base = __atomic_load_n(&t->pend_base, __ATOMIC_ACQUIRE);
        if (!base)
            continue;
        window_bits m = window_of(t);
        int found = 0;
        for (unsigned g = 0; g < 128 && !found; g += 8) {
            unsigned bytes = (unsigned)(m >> g) & 0xffu;
            const rw_cell *cells = bytes ? rw_shadow_cells_mapped(base + g) : NULL;
            for (int i = 0; cells && i < RW_CELLS_PER_GRANULE && !found; i++) {
                rw_cell v = rw_cell_load(cells, i, __ATOMIC_SEQ_CST);
                unsigned both = v ? rw_cell_mask(v) & bytes : 0;
                if (!both || rw_cell_slot(v) == t->slot || rw_cell_slot(v) == 0 ||
                    rw_cell_clock(v) <= rw_vclock_get(&t->vc, rw_cell_slot(v)))
                    continue;
                unsigned at = (unsigned)__builtin_ctz(both);
                rw_report_deferred_race(t, base + g + at,
                                        rw_cell_make(t->slot, t->pos, at, 0, 1, 0), v, t->pend_pc);
                found = 1;
            }
        }
    }
}
