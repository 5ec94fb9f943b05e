/* range_seen.h: skip the race check of a range an interceptor already
 * checked for this thread since its last release.
 *
 * Why: under LD_PRELOAD the interceptors' ranges (memset, strlen, strcmp,
 * memcpy...) are the only accesses checked, and programs make the same
 * calls over and over on the same bytes (a buffer cleared for every line,
 * strlen in a loop condition, the binary search of a sorted word list).
 * Checking such a range again cannot find anything new: every access of
 * another thread that conflicts with it also conflicts with our earlier
 * one, whose cell is in the shadow and was checked, or checks itself,
 * against it; and nothing we did since can be ordered before another
 * thread's access, since ordering needs a release (which ends the epoch).
 * It is the argument of the race check's own fast path (race_check.h),
 * made once per call instead of once per granule.
 *
 * Two tests, both only for what was stored for this thread in its current
 * epoch (t->last_release):
 *  1. for long ranges, a small per-thread table of the last ones checked
 *     (exact bounds,
 *     kind): the same range, or one inside it, at most as strong; a range
 *     that only overlaps an entry (a memmove that grows by an element each
 *     time) has only its parts outside the entry checked, and the entry
 *     grows to the union;
 *  2. for short ranges (a strcmp's), the shadow itself, which is cheaper
 *     than the table for a granule or two: every granule holds cells of
 *     ours, stored since our last release, not freed, at least as strong,
 *     whose bytes together cover the range's bytes in that granule; a
 *     short range found so is remembered in 8 more entries (exact
 *     bounds, one place per address), which answer a repeated call (strlen in a loop condition)
 *     before the shadow is read.
 * The table is forgotten when this thread frees or unmaps memory (a use
 * after our own free must still be checked), and every table is forgotten
 * when shadow is cleared under other threads' feet (rw_range_seen_gen:
 * munmap, a dead thread's stack), which is rare. */
#ifndef RW_RANGE_SEEN_H
#define RW_RANGE_SEEN_H

#include <stddef.h>
#include <stdint.h>

#include "detector/race_check.h"

#define RW_RANGE_SEEN_SLOTS 8
/* Short ranges found covered in the shadow, remembered exactly. */
#define RW_RANGE_SEEN_SHORT_SLOTS 8
/* Ranges up to this many bytes are also looked up in the shadow. */
#define RW_RANGE_SEEN_SHADOW_MAX 64

typedef struct rw_range_seen_entry {
    uintptr_t lo, hi;   /* [lo, hi) */
    uint64_t epoch;     /* t->last_release when it was checked */
    uint32_t gen;       /* rw_range_seen_gen then */
    uint32_t kind;      /* RW_WRITE_BIT / RW_ATOMIC_BIT as in a cell, >> 62 */
} rw_range_seen_entry;

typedef struct rw_range_seen_table {
    rw_range_seen_entry e[RW_RANGE_SEEN_SLOTS];
    unsigned next;      /* the entry to replace next (round robin) */
    unsigned last_hit;  /* the entry that answered last */
    /* Test 2's answers: a short range the shadow said was covered (a
     * strlen in a loop condition, the keys a search compares against)
     * is answered by a few compares next time, not 4 cell loads per
     * granule; same validity as the long entries. */
    rw_range_seen_entry shortr[RW_RANGE_SEEN_SHORT_SLOTS]; /* by address */
} rw_range_seen_table;

extern __thread rw_range_seen_table rw_range_seen_tab __attribute__((tls_model("initial-exec")));
extern uint32_t rw_range_seen_gen;

static inline uint32_t rw_range_kind(int write, int atomic)
{
    return (write ? 1u : 0u) | (atomic ? 2u : 0u);
}

/* "a is at least as strong as b", as rw_cell_dominates. */
static inline int rw_range_kind_dominates(uint32_t a, uint32_t b)
{
    return ((a & 1) || !(b & 1)) && (!(a & 2) || (b & 2));
}

/* Test 2: our own cells since the last release cover [addr, addr+size). */
static inline int rw_range_seen_in_shadow(const rw_thread *t, uintptr_t addr, size_t size,
                                          uint32_t kind)
{
    rw_cell want = rw_cell_make(t->slot, 0, 0, 0, kind & 1, (kind >> 1) & 1);
    uintptr_t end = addr + size;
    while (addr < end) {
        uintptr_t gend = (addr | 7) + 1;
        unsigned lo = (unsigned)(addr & 7);
        unsigned hi = gend > end ? (unsigned)(end & 7) : 8;
        unsigned need = ((1u << hi) - 1) & ~((1u << lo) - 1);
        rw_cell *cells = rw_shadow_cells(addr);
        if (!cells)
            return 0;
        unsigned have = 0;
        for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
            rw_cell c = __atomic_load_n(&cells[i], __ATOMIC_RELAXED);
            if (c != 0 && !rw_cell_is_freed(c) && rw_cell_slot(c) == t->slot &&
                rw_cell_clock(c) > t->last_release && rw_cell_dominates(c, want))
                have |= rw_cell_mask(c);
        }
        if ((have & need) != need)
            return 0;
        addr = gend;
    }
    return 1;
}

static inline int rw_range_seen_entry_covers(const rw_range_seen_entry *e, const rw_thread *t,
                                             uintptr_t addr, uintptr_t end, uint32_t kind,
                                             uint32_t gen)
{
    return e->lo <= addr && end <= e->hi && e->epoch == t->last_release && e->gen == gen &&
           rw_range_kind_dominates(e->kind, kind);
}

/* The range was just checked and stored for t (or found covered). */
static inline void rw_range_seen_note(const rw_thread *t, uintptr_t addr, size_t size, int write,
                                      int atomic)
{
    rw_range_seen_table *tab = &rw_range_seen_tab;
    unsigned at = tab->next++ % RW_RANGE_SEEN_SLOTS;
    rw_range_seen_entry *e = &tab->e[at];
    e->lo = addr;
    e->hi = addr + size < addr ? UINTPTR_MAX : addr + size;
    e->epoch = t->last_release;
    e->gen = __atomic_load_n(&rw_range_seen_gen, __ATOMIC_RELAXED);
    e->kind = rw_range_kind(write, atomic);
    tab->last_hit = at;
}

/* 1 if checking [addr, addr+size) for t adds nothing (see the top). */
static inline int rw_range_seen(const rw_thread *t, uintptr_t addr, size_t size, int write,
                                int atomic)
{
    uint32_t kind = rw_range_kind(write, atomic);
    uint32_t gen = __atomic_load_n(&rw_range_seen_gen, __ATOMIC_RELAXED);
    uintptr_t end = addr + size;
    if (end < addr)
        return 0;
    rw_range_seen_table *tab = &rw_range_seen_tab;
    if (size <= RW_RANGE_SEEN_SHADOW_MAX) {
        rw_range_seen_entry *e = &tab->shortr[((addr >> 3) ^ (addr >> 7)) &
                                              (RW_RANGE_SEEN_SHORT_SLOTS - 1)];
        if (rw_range_seen_entry_covers(e, t, addr, end, kind, gen))
            return 1;
        if (!rw_range_seen_in_shadow(t, addr, size, kind))
            return 0;
        e->lo = addr;
        e->hi = end;
        e->epoch = t->last_release;
        e->gen = gen;
        e->kind = kind;
        return 1;
    }
    /* The entry that answered last time first: loops repeat one call. */
    if (rw_range_seen_entry_covers(&tab->e[tab->last_hit], t, addr, end, kind, gen))
        return 1;
    for (unsigned i = 0; i < RW_RANGE_SEEN_SLOTS; i++) {
        if (rw_range_seen_entry_covers(&tab->e[i], t, addr, end, kind, gen)) {
            tab->last_hit = i;
            return 1;
        }
    }
    return 0;
}

/* An entry of the table that overlaps (or touches) [addr, addr+size) and
 * is at least as strong, or NULL: the caller checks only the rest. */
static inline rw_range_seen_entry *rw_range_seen_overlap(const rw_thread *t, uintptr_t addr,
                                                         size_t size, int write, int atomic)
{
    uint32_t kind = rw_range_kind(write, atomic);
    uint32_t gen = __atomic_load_n(&rw_range_seen_gen, __ATOMIC_RELAXED);
    uintptr_t end = addr + size;
    if (end < addr)
        return NULL;
    for (unsigned i = 0; i < RW_RANGE_SEEN_SLOTS; i++) {
        rw_range_seen_entry *e = &rw_range_seen_tab.e[i];
        if (e->lo <= end && addr <= e->hi && e->hi > e->lo && e->epoch == t->last_release &&
            e->gen == gen && rw_range_kind_dominates(e->kind, kind))
            return e;
    }
    return NULL;
}

/* The rest of [addr, addr+size) beside e was just checked: e becomes the
 * union, of the new range's kind (the weaker). */
static inline void rw_range_seen_widen(rw_range_seen_entry *e, uintptr_t addr, size_t size,
                                       int write, int atomic)
{
    if (addr < e->lo)
        e->lo = addr;
    if (addr + size > e->hi)
        e->hi = addr + size;
    e->kind = rw_range_kind(write, atomic);
    rw_range_seen_tab.last_hit = (unsigned)(e - rw_range_seen_tab.e);
}

/* This thread freed or unmapped memory: forget its table. */
static inline void rw_range_seen_forget(void)
{
    for (int i = 0; i < RW_RANGE_SEEN_SLOTS; i++)
        rw_range_seen_tab.e[i].hi = 0;
    for (int i = 0; i < RW_RANGE_SEEN_SHORT_SLOTS; i++)
        rw_range_seen_tab.shortr[i].hi = 0;
}

/* Shadow was cleared where other threads' checks may lie: forget every
 * thread's table. */
static inline void rw_range_seen_forget_all(void)
{
    __atomic_fetch_add(&rw_range_seen_gen, 1, __ATOMIC_RELAXED);
}

#endif
