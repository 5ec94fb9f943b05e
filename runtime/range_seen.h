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
 *  2. for short ranges (a strcmp's, a strlen's), a per-thread cache of
 *     granules (direct-mapped by address, 512 entries): for each granule
 *     the bytes this thread's checks covered since its last release, for
 *     reads (plain read or write cells) and for writes (plain write
 *     cells).  A range whose every granule is in it is answered by one
 *     compare per granule, with no shadow load; else the shadow itself:
 *     every granule holds cells of ours, stored since our last release,
 *     not freed, at least as strong, whose bytes together cover the
 *     range's bytes in that granule.  A range found covered there enters
 *     the cache (one just checked is not entered: a call repeated in the
 *     epoch finds it in the shadow, and the many that are not repeated,
 *     a decoder's small copies, pay nothing for it).  The whole cache is forgotten at once by
 *     a new era (the era is part of each entry's key): when the thread
 *     releases, frees, changes (a fiber on the same OS thread) or the
 *     generation below moves.
 *     In front of the granules, 32768 exact entries (hashed by the
 *     range's start, mapped at the thread's first note) remember whole
 *     short ranges found covered in this era: a call repeated on the
 *     same bytes (strlen in a loop condition, one word compared with
 *     several keys, the words of a sorted list that a binary search
 *     visits) is answered by one compare instead of one shadow load per
 *     granule.  An entry holds the start, the length and whether it was
 *     covered for writes; its key carries the era, so it is
 *     forgotten with the granule cache it was derived from.
 * The table is forgotten when this thread frees or unmaps memory (a use
 * after our own free must still be checked), and every table is forgotten
 * when shadow is cleared under other threads' feet (rw_range_seen_gen:
 * munmap, a dead thread's stack), which is rare. */
#ifndef RW_RANGE_SEEN_H
#define RW_RANGE_SEEN_H

#include <stddef.h>
#include <stdint.h>

#include "detector/race_check.h"
#include "runtime/touched_pages.h"

#define RW_RANGE_SEEN_SLOTS 8
/* Test 2's granule cache (a power of two). */
#define RW_RANGE_SEEN_GRANULES 512
/* Ranges up to this many bytes take test 2. */
#define RW_RANGE_SEEN_SHADOW_MAX 64
/* Test 2's exact-range entries in front of the granules (a power of two):
 * 512 KiB per thread, mapped at the thread's first note and unmapped at
 * its end; only the pages written cost memory (a thread that notes a few
 * hundred ranges, one page each).  With 16384, word_count's keys (17,190
 * distinct words per thread, plus an entry for every searched word) found
 * another string's entry in their slot 858K times in 636K searches and
 * took the shadow test instead; with 65536 (1 MiB), xz's short copies,
 * noted all over the table, cost xz -0 3.5% and xz -d 3% of CPU time in
 * misses (docs/design.md, December 7, wcount and "The whole suite after
 * the seventh session"). */
#define RW_RANGE_SEEN_EXACT 32768
/* The era's place in a granule entry's key (above any user address). */
#define RW_RANGE_SEEN_ERA_SHIFT 48
#define RW_RANGE_SEEN_EXACT_BITS 15
_Static_assert(RW_RANGE_SEEN_EXACT == 1 << RW_RANGE_SEEN_EXACT_BITS, "exact entries");

typedef struct rw_range_seen_entry {
    uintptr_t lo, hi;   /* [lo, hi) */
    uint64_t epoch;     /* t->last_release when it was checked */
    uint32_t gen;       /* rw_range_seen_gen then */
    uint32_t kind;      /* RW_WRITE_BIT / RW_ATOMIC_BIT as in a cell, >> 62 */
} rw_range_seen_entry;

/* Test 2: one granule's bytes covered in the current era. */
typedef struct rw_range_seen_granule {
    uint64_t key;       /* granule address | era << RW_RANGE_SEEN_ERA_SHIFT */
    uint8_t read_mask;  /* bytes covered for a plain read */
    uint8_t write_mask; /* bytes covered for a plain write */
} rw_range_seen_granule;

/* Test 2: a whole short range found covered in the current era. */
typedef struct rw_range_seen_exact {
    uint64_t key;       /* start address | era << RW_RANGE_SEEN_ERA_SHIFT */
    uint32_t len;       /* covered up to start + len (at most SHADOW_MAX,
                           not wrapping around: rw_range_seen_exact_fits) */
    uint32_t write;     /* covered for a plain write too */
} rw_range_seen_exact;

typedef struct rw_range_seen_table {
    rw_range_seen_entry e[RW_RANGE_SEEN_SLOTS];
    unsigned next;      /* the entry to replace next (round robin) */
    unsigned last_hit;  /* the entry that answered last */
    /* What the granule cache's era stands for; any change is a new era.
     * The thread's last release + 1 when the era started (0: none, or
     * forgotten: a free of ours, another thread or fiber made current on
     * this OS thread), so that one compare with t->last_release + 1 asks
     * "no release, free or switch since", and one more the generation. */
    uint64_t era_release1;
    uint32_t era_gen;
    uint64_t era;       /* 1..0xffff; 0 = never started */
    rw_range_seen_exact *x; /* RW_RANGE_SEEN_EXACT entries; NULL until needed */
    uintptr_t write_end; /* the end of this thread's last short plain write range */
    /* The exact entry that answered the last strlen (intercept_string.c),
     * NULL for none; asked as any entry is (its key holds the era).  A
     * pointer, one store: a copy of key and length could be torn by a
     * signal handler's strlen between the two stores. */
    rw_range_seen_exact *strlen_x;
    rw_range_seen_granule g[RW_RANGE_SEEN_GRANULES];
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
    /* A page with no cell (touched_pages.h): not covered, and its shadow
     * is not read (the first range check of each fresh heap page, a read()
     * into a new buffer, asked this before storing: a page fault each). */
    if (size && (rw_touched_page_clean(addr) || rw_touched_page_clean(addr + size - 1)))
        return 0;
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
            rw_cell c = rw_cell_load(cells, i, __ATOMIC_RELAXED);
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

/* A new era of the granule cache: every entry is forgotten. */
void rw_range_seen_new_era(rw_range_seen_table *tab);

/* The table's era is t's current one (no release, free, switch of the
 * current thread or generation move since it started): two compares of
 * stamps (era_release1 above).  Before, four fields of the table, t and
 * the generation were compared on every answered strlen and twice per
 * strcmp (string_match: 47M of its 396M instructions, callgrind). */
static inline int rw_range_seen_era_current(const rw_range_seen_table *tab, const rw_thread *t)
{
    return tab->era_release1 == t->last_release + 1 &&
           tab->era_gen == __atomic_load_n(&rw_range_seen_gen, __ATOMIC_RELAXED);
}

/* The granule cache's key of granule for t, starting a new era first if
 * t, its last release or the generation changed. */
static inline uint64_t rw_range_seen_era_key(rw_range_seen_table *tab, const rw_thread *t)
{
    if (__builtin_expect(!rw_range_seen_era_current(tab, t), 0)) {
        rw_range_seen_new_era(tab);
        tab->era_release1 = t->last_release + 1;
        tab->era_gen = __atomic_load_n(&rw_range_seen_gen, __ATOMIC_RELAXED);
    }
    return tab->era << RW_RANGE_SEEN_ERA_SHIFT;
}

/* Another thread (or fiber) becomes current on this OS thread: the era
 * stamp holds no thread, so the era is ended here (set rw_cur through
 * rw_set_current_thread, rt.h). */
static inline void rw_range_seen_thread_switched(void)
{
    rw_range_seen_tab.era_release1 = 0;
}

static inline rw_range_seen_granule *rw_range_seen_slot(rw_range_seen_table *tab,
                                                        uintptr_t granule)
{
    return &tab->g[(granule >> 3) & (RW_RANGE_SEEN_GRANULES - 1)];
}

/* The bytes [lo, hi) of a granule (0 <= lo < hi <= 8) as a mask. */
static inline unsigned rw_range_seen_bytes(unsigned lo, unsigned hi)
{
    return (0xffu >> (8 - hi)) & (0xffu << lo);
}

/* Test 2 from the cache alone: every granule of the short plain range
 * [addr, end) is there with its bytes, for this kind. */
static inline int rw_range_seen_cached(rw_range_seen_table *tab, uint64_t era_key,
                                       uintptr_t addr, uintptr_t end, int write)
{
    while (addr < end) {
        uintptr_t granule = addr & ~(uintptr_t)7;
        uintptr_t gend = granule + 8;
        unsigned need = rw_range_seen_bytes((unsigned)(addr & 7),
                                            gend > end ? (unsigned)(end & 7) : 8);
        const rw_range_seen_granule *g = rw_range_seen_slot(tab, granule);
        unsigned have = write ? g->write_mask : g->read_mask;
        if (g->key != (granule | era_key) || (need & ~have) != 0)
            return 0;
        addr = gend;
    }
    return 1;
}

/* The short plain range [addr, end) is covered for t in this era: each
 * granule enters the cache (or gains the bytes). */
static inline void rw_range_seen_cache(rw_range_seen_table *tab, uint64_t era_key, uintptr_t addr,
                                       uintptr_t end, int write)
{
    while (addr < end) {
        uintptr_t granule = addr & ~(uintptr_t)7;
        uintptr_t gend = granule + 8;
        unsigned bytes = rw_range_seen_bytes((unsigned)(addr & 7),
                                             gend > end ? (unsigned)(end & 7) : 8);
        rw_range_seen_granule *g = rw_range_seen_slot(tab, granule);
        if (g->key != (granule | era_key)) {
            g->key = granule | era_key;
            g->read_mask = g->write_mask = 0;
        }
        g->read_mask |= (uint8_t)bytes;
        if (write)
            g->write_mask |= (uint8_t)bytes;
        addr = gend;
    }
}

/* The exact entry of a range starting at addr (a multiplicative hash:
 * words start at any byte), or NULL while the thread has no entries. */
static inline rw_range_seen_exact *rw_range_seen_exact_slot(const rw_range_seen_table *tab,
                                                             uintptr_t addr)
{
    if (!tab->x)
        return NULL;
    return &tab->x[(addr * UINT64_C(0x9e3779b97f4a7c15)) >> (64 - RW_RANGE_SEEN_EXACT_BITS)];
}

/* x (possibly NULL) holds [addr, addr+size) for this era's key, for a
 * write too if write. */
static inline int rw_range_seen_exact_covers(const rw_range_seen_exact *x, uint64_t era_key,
                                             uintptr_t addr, size_t size, int write)
{
    return x && x->key == (addr | era_key) && size <= x->len && x->write >= (uint32_t)write;
}

/* Map the thread's exact entries (1, or 0 when no memory: none are kept). */
int rw_range_seen_exact_map(rw_range_seen_table *tab);
/* The thread ends: its exact entries are unmapped. */
void rw_range_seen_thread_end(void);

/* The short plain range [addr, end) was found covered in this era: its
 * exact entry holds it (grown to the longer end if it held the same start
 * and kind). */
static inline void rw_range_seen_exact_note(rw_range_seen_table *tab, uint64_t era_key,
                                            uintptr_t addr, uintptr_t end, int write)
{
    rw_range_seen_exact *x = rw_range_seen_exact_slot(tab, addr);
    if (!x) {
        if (!rw_range_seen_exact_map(tab))
            return;
        x = rw_range_seen_exact_slot(tab, addr);
    }
    uint32_t len = (uint32_t)(end - addr);
    if (x->key == (addr | era_key) && x->write == (uint32_t)write) {
        if (len > x->len)
            x->len = len;
        return;
    }
    x->key = addr | era_key;
    x->len = len;
    x->write = (uint32_t)write;
}

/* This era's key for t's exact entries, or 0 when the table's era is not
 * t's current one (nothing it holds may answer then; an era is never 0). */
static inline uint64_t rw_range_seen_current_key(const rw_thread *t)
{
    const rw_range_seen_table *tab = &rw_range_seen_tab;
    return rw_range_seen_era_current(tab, t) ? tab->era << RW_RANGE_SEEN_ERA_SHIFT : 0;
}

/* A short range [addr, addr+size) that exact entries may hold (not past
 * RW_RANGE_SEEN_SHADOW_MAX, not wrapping around), under era key (0: none). */
static inline int rw_range_seen_exact_fits(uint64_t key, uintptr_t addr, size_t size)
{
    return key && size <= RW_RANGE_SEEN_SHADOW_MAX && addr + size >= addr;
}

/* The short plain range [addr, addr+size) was just checked and stored for
 * t: if its start's exact entry holds a shorter range of the same kind
 * from this era, it grows to this one (a string compared again and again
 * with keys of growing common prefix, as a binary search does: each
 * longer compare is checked once, and the shorter ones after it are then
 * answered inline instead of by the shadow).  A start with no entry gets
 * none: most ranges checked once are never repeated (a decoder's small
 * copies), and a new entry would cost each a store to a cold line. */
static inline void rw_range_seen_exact_extend(const rw_thread *t, uintptr_t addr, size_t size,
                                              int write)
{
    uint64_t key = rw_range_seen_current_key(t);
    if (!rw_range_seen_exact_fits(key, addr, size))
        return;
    rw_range_seen_exact *x = rw_range_seen_exact_slot(&rw_range_seen_tab, addr);
    if (x && x->key == (addr | key) && x->write == (uint32_t)write && size > x->len)
        x->len = (uint32_t)size;
}

/* x (possibly NULL, from rw_range_seen_exact_slot) holds the short plain
 * range [addr, addr+size) for key's era (0: none), for a write too if
 * write. */
static inline int rw_range_seen_exact_held(const rw_range_seen_exact *x, uint64_t key,
                                           uintptr_t addr, size_t size, int write)
{
    /* No rw_range_seen_exact_fits: an entry only ever holds a range that
     * fits (every note and growth asks it first), so size <= x->len
     * implies it. */
    return key && rw_range_seen_exact_covers(x, key, addr, size, write);
}

/* Test 2's exact entry alone, small enough to be inlined in every
 * interceptor: 1 if the short plain range [addr, addr+size) lies in this
 * era's exact entry of its start (a repeated strlen or strcmp of the same
 * string).  0 sends the range to rw_range_seen, which asks the same and
 * more; so this only saves the call and its frame when it answers. */
static inline int rw_range_seen_exact_hit(const rw_thread *t, uintptr_t addr, size_t size,
                                          int write)
{
    uint64_t key = rw_range_seen_current_key(t);
    return key && rw_range_seen_exact_held(rw_range_seen_exact_slot(&rw_range_seen_tab, addr), key,
                                           addr, size, write);
}

/* The bytes of the short plain range [addr, addr+size) that this era's
 * exact entry of addr already holds, when it holds a shorter range of at
 * least this kind (a word compared again with a key of longer common
 * prefix); 0 otherwise.  Only [addr + result, addr + size) then needs
 * the check: the held prefix adds nothing, by the argument at the top. */
static inline size_t rw_range_seen_exact_prefix(const rw_thread *t, uintptr_t addr, size_t size,
                                                int write)
{
    uint64_t key = rw_range_seen_current_key(t);
    if (!rw_range_seen_exact_fits(key, addr, size))
        return 0;
    const rw_range_seen_exact *x = rw_range_seen_exact_slot(&rw_range_seen_tab, addr);
    if (!x || x->key != (addr | key) || x->write < (uint32_t)write || x->len >= size)
        return 0;
    return x->len;
}

/* x (possibly NULL) is an entry of this era (key != 0) for a range that
 * starts at addr. */
static inline int rw_range_seen_exact_starts(const rw_range_seen_exact *x, uint64_t key,
                                             uintptr_t addr)
{
    return key && x && x->key == (addr | key);
}

/* Bytes past the end of the last short write within which the next one
 * is taken for a continuation (a decoder's literals between two copies). */
#define RW_RANGE_SEEN_WRITE_GAP 64

/* The short plain write [addr, addr+size) starts at, or a little past,
 * the end of this thread's last one: a sequential writer's next bytes (a
 * decoder's window, a buffer filled piece by piece), which none of the
 * tests above will find covered (xz -d: 2.9 million copies, none of their
 * destinations covered; the exact entry's line and the shadow test of
 * each were a miss).  Only a guess that the range is new: the caller then
 * checks it without asking, which is always right, only slower if wrong.
 * Notes the range's end for the next write either way. */
static inline int rw_range_seen_write_continues(uintptr_t addr, size_t size)
{
    rw_range_seen_table *tab = &rw_range_seen_tab;
    int continues = addr - tab->write_end < RW_RANGE_SEEN_WRITE_GAP;
    tab->write_end = addr + size;
    return continues;
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
        if (atomic)
            return rw_range_seen_in_shadow(t, addr, size, kind);
        uint64_t era_key = rw_range_seen_era_key(tab, t);
        if (rw_range_seen_exact_covers(rw_range_seen_exact_slot(tab, addr), era_key, addr, size,
                                       write))
            return 1;
        if (rw_range_seen_cached(tab, era_key, addr, end, write)) {
            rw_range_seen_exact_note(tab, era_key, addr, end, write);
            return 1;
        }
        if (!rw_range_seen_in_shadow(t, addr, size, kind))
            return 0;
        rw_range_seen_cache(tab, era_key, addr, end, write);
        rw_range_seen_exact_note(tab, era_key, addr, end, write);
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

/* rw_range_seen of a short plain range without its shadow test: the exact
 * entry of its start, then the granule cache.  The caller's check answers
 * the shadow test (rw_check_range_covered) and, when it found the range
 * covered, calls rw_range_seen_found_covered. */
static inline int rw_range_seen_cached_only(const rw_thread *t, uintptr_t addr, size_t size,
                                            int write)
{
    uintptr_t end = addr + size;
    if (end < addr)
        return 0;
    rw_range_seen_table *tab = &rw_range_seen_tab;
    uint64_t era_key = rw_range_seen_era_key(tab, t);
    if (rw_range_seen_exact_covers(rw_range_seen_exact_slot(tab, addr), era_key, addr, size,
                                   write))
        return 1;
    if (rw_range_seen_cached(tab, era_key, addr, end, write)) {
        rw_range_seen_exact_note(tab, era_key, addr, end, write);
        return 1;
    }
    return 0;
}

/* The short plain range was found covered by our own cells of this era:
 * the granule cache and the exact entry hold it (as rw_range_seen notes a
 * range its shadow test found covered). */
static inline void rw_range_seen_found_covered(const rw_thread *t, uintptr_t addr, size_t size,
                                               int write)
{
    uintptr_t end = addr + size;
    if (end < addr)
        return;
    rw_range_seen_table *tab = &rw_range_seen_tab;
    uint64_t era_key = rw_range_seen_era_key(tab, t);
    rw_range_seen_cache(tab, era_key, addr, end, write);
    rw_range_seen_exact_note(tab, era_key, addr, end, write);
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
    rw_range_seen_tab.era_release1 = 0; /* a new era at the next look */
}

/* Shadow was cleared where other threads' checks may lie: forget every
 * thread's table. */
static inline void rw_range_seen_forget_all(void)
{
    __atomic_fetch_add(&rw_range_seen_gen, 1, __ATOMIC_RELAXED);
}

#endif
