/* race_check.c: the slow path of the race check and multi-granule
 * accesses (see race_check.h).
 *
 * Overflow: when a granule's 4 cells all hold accesses that must be kept
 * (8 threads each writing their own byte of one word, say), we do not
 * forget one, as ThreadSanitizer does: the granule gets an extension, a
 * growable array of cells in a side table keyed by the granule's address,
 * and one inline cell becomes a marker (slot 0 with the freed bit, a value
 * no access has) that sends later accesses to it.  Only the slow path
 * ever sees a marker; an extension is capped at RW_EXT_MAX cells, past
 * which its oldest cells are evicted (counted in stats).  The inline
 * cells are kept for the threads that access the granule now: an access
 * with no inline room is stored over an inline cell that happens before
 * it, which moves into the extension (stale_inline_cell), and a thread
 * whose cell is inline stores its next epoch's access there without the
 * general check, checking the extension without its lock
 * (store_no_conflict, ext_check_unlocked). */
#include "detector/race_check.h"

#include "detector/alloc.h"
#include "detector/hb_floor.h"
#include "detector/shadow_resident.h"
#include "detector/spinlock.h"

rw_race_handler_fn rw_race_handler;
rw_race_handler_fn rw_use_after_free_handler;
struct rw_stats rw_stats;
__thread uint64_t rw_slow_checks __attribute__((tls_model("initial-exec")));
__thread uint64_t rw_full_checks __attribute__((tls_model("initial-exec")));

#define RW_EXT_MAX 256
#define RW_EXT_INLINE 4
#define EXT_BUCKETS 65536
#define RW_STORE_RETRIES 8
/* Extension records live in pages of EXT_PAGE records, found by index in
 * O(1) without a lock; index 0 is never used. */
#define EXT_PAGE_SHIFT 12
#define EXT_PAGE (1u << EXT_PAGE_SHIFT)
#define EXT_PAGES 65536u

/* One cache line: a check of an extended granule reads the record's
 * granule, count and cells in one miss (records are 64-byte aligned in
 * their page), and SPLASH-3 lu-p4's 360,000 records take 64 bytes each,
 * not the 80 of 64-bit links. */
struct ext {
    uintptr_t granule;
    /* Written under lock; n and cells also read without it by a thread
     * looking for its own cell (ext_own_redundant) or checking the cells
     * (ext_check_unlocked): n is published after the array that holds n
     * cells, and a grown array's predecessor is never freed, so a reader
     * never reads out of bounds. */
    rw_cell *cells;
    uint32_t next;      /* index of the next record in the granule table's
                           bucket, 0 for none */
    uint32_t index;     /* what the granule's marker cell carries */
    rw_spin lock;
    uint16_t n, cap;    /* at most RW_EXT_MAX */
    /* The first RW_EXT_INLINE cells live in the record itself: most
     * extended granules hold a few more cells than four (SPLASH-3 lu at 4
     * threads: 360,000 records), and a separate array of 8 cost each one
     * 80 more bytes of malloc. */
    rw_cell inline_cells[RW_EXT_INLINE];
};
_Static_assert(sizeof(struct ext) == 64, "an extension record is one cache line");
_Static_assert(RW_EXT_MAX < 65536, "n and cap are 16 bits");

/* A marker cell: slot 0 with the freed bit (a value no access has), the
 * clock bits holding its extension's index. */
static inline int is_marker(rw_cell c) { return (c & ~RW_CLOCK_MASK) == RW_FREED_BIT; }
static inline rw_cell marker_of(const struct ext *x) { return RW_FREED_BIT | x->index; }

static struct ext *ext_pages[EXT_PAGES] RW_LARGE_BSS;
static uint64_t ext_next_index = 1;

/* The granule table: used only to make a granule's extension (or find the
 * one it had before a free or clear dropped its marker), so that each
 * granule ever extended has one record; every other lookup goes through
 * the marker's index. */
static struct {
    rw_spin lock;
    uint32_t head;      /* index of the bucket's first record, 0 for none */
} ext_table[EXT_BUCKETS] RW_LARGE_BSS;

/* The record of an index, or NULL. */
static inline struct ext *ext_by_index(uint64_t index)
{
    if (index == 0 || (index >> EXT_PAGE_SHIFT) >= EXT_PAGES)
        return NULL;
    struct ext *page = __atomic_load_n(&ext_pages[index >> EXT_PAGE_SHIFT], __ATOMIC_ACQUIRE);
    return page ? &page[index & (EXT_PAGE - 1)] : NULL;
}

/* The record a marker points to, or NULL. */
static inline struct ext *ext_by_marker(rw_cell marker)
{
    return ext_by_index(rw_cell_clock(marker));
}

/* A fresh zeroed record with its index, or NULL (out of memory/indexes). */
static struct ext *ext_new(void)
{
    uint64_t index = __atomic_fetch_add(&ext_next_index, 1, __ATOMIC_RELAXED);
    uint64_t page_no = index >> EXT_PAGE_SHIFT;
    if (page_no >= EXT_PAGES)
        return NULL;
    struct ext *page = __atomic_load_n(&ext_pages[page_no], __ATOMIC_ACQUIRE);
    if (!page) {
        /* Mapped, so page-aligned and zero; untouched records cost
         * nothing; counted by the memory dump as extension records. */
        struct ext *fresh = rw_map_reserve_as(EXT_PAGE * sizeof *fresh, RW_MAP_EXT);
        if (!fresh)
            return NULL;
        if (__atomic_compare_exchange_n(&ext_pages[page_no], &page, fresh, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            page = fresh;
        else
            rw_map_release(fresh, EXT_PAGE * sizeof *fresh);
    }
    struct ext *x = &page[index & (EXT_PAGE - 1)];
    x->index = (uint32_t)index;
    return x;
}

/* The extension record of a granule, made (empty) if it has none.  A
 * record outlives its marker (a free or a clear drops the marker): whoever
 * makes a new marker empties it first, under its lock. */
static struct ext *ext_make(uintptr_t granule)
{
    unsigned b = (unsigned)((granule >> 3) * UINT64_C(0x9E3779B97F4A7C15) >> 48) & (EXT_BUCKETS - 1);
    rw_spin_lock(&ext_table[b].lock);
    struct ext *x = ext_by_index(ext_table[b].head);
    while (x && x->granule != granule)
        x = ext_by_index(x->next);
    if (!x && (x = ext_new()) != NULL) {
        x->granule = granule;
        x->next = ext_table[b].head;
        ext_table[b].head = x->index;
    }
    rw_spin_unlock(&ext_table[b].lock);
    return x;
}

/* The record of the marker found in granule's cells, or NULL when the
 * marker is not (or no longer) that granule's. */
static inline struct ext *ext_of(rw_cell marker, uintptr_t granule)
{
    struct ext *x = ext_by_marker(marker);
    return x && __atomic_load_n(&x->granule, __ATOMIC_ACQUIRE) == granule ? x : NULL;
}

static int ext_append(struct ext *x, rw_cell c)
{
    if (x->cap == 0) {
        /* A fresh record: its inline cells first (no allocation). */
        __atomic_store_n(&x->cells, x->inline_cells, __ATOMIC_RELEASE);
        x->cap = RW_EXT_INLINE;
    }
    if (x->n == x->cap) {
        if (x->cap >= RW_EXT_MAX) {
            /* Full: drop the oldest cell. */
            for (uint32_t i = 1; i < x->n; i++)
                __atomic_store_n(&x->cells[i - 1], x->cells[i], __ATOMIC_RELAXED);
            __atomic_store_n(&x->n, x->n - 1, __ATOMIC_RELEASE);
            rw_stats.evictions++;
        } else {
            /* Grown by copy; the old array stays (lock-free readers may
             * hold it): at most RW_EXT_MAX cells per record, once. */
            uint32_t cap = x->cap * 2u;
            rw_cell *n = rw_calloc(cap, sizeof *n);
            if (!n)
                return -1;
            for (uint32_t i = 0; i < x->n; i++)
                n[i] = x->cells[i];
            __atomic_store_n(&x->cells, n, __ATOMIC_RELEASE);
            x->cap = (uint16_t)cap;
        }
    }
    __atomic_store_n(&x->cells[x->n], c, __ATOMIC_RELAXED);
    __atomic_store_n(&x->n, x->n + 1, __ATOMIC_RELEASE);
    return 0;
}

/* Without the lock: does the extension hold an own cell, made since our
 * last release, covering the access and at least as strong?  Then the
 * access is redundant, as on the fast path.  Only we store cells of our
 * slot, so a cell of ours seen here was ours; if it is being evicted or
 * moved meanwhile, the check just ran before that. */
static int ext_own_redundant(const rw_thread *t, struct ext *x, rw_cell probe, unsigned mask,
                             uint64_t this_op)
{
    uint32_t n = __atomic_load_n(&x->n, __ATOMIC_ACQUIRE);
    const rw_cell *cells = __atomic_load_n(&x->cells, __ATOMIC_ACQUIRE);
    const uint64_t kind_bits = ((uint64_t)(RW_MAX_SLOTS - 1) << RW_SLOT_SHIFT) | RW_FREED_BIT;
    const uint64_t kind = (uint64_t)t->slot << RW_SLOT_SHIFT;
    for (uint32_t i = 0; i < n; i++) {
        rw_cell c = __atomic_load_n(&cells[i], __ATOMIC_RELAXED);
        if ((c & kind_bits) == kind && (mask & ~rw_cell_mask(c)) == 0 &&
            rw_cell_clock(c) > t->last_release && rw_cell_clock(c) != this_op &&
            rw_cell_dominates(c, probe))
            return 1;
    }
    return 0;
}

struct scan {
    rw_cell probe;
    unsigned mask;
    rw_cell race_old;   /* the first conflicting cell, reported after the
                           granule's locks are released */
    int redundant;      /* an own cell since our last release covers it */
    rw_cell freed_before; /* a free of these bytes that happens before the
                             access: a use after free, reported after */
};

/* Is access cell c (not empty, not a marker) ours or ordered before us? */
static inline __attribute__((always_inline)) int cell_happens_before(const rw_thread *t,
                                                                     rw_cell c)
{
    unsigned slot = rw_cell_slot(c);
    return slot == t->slot || rw_cell_clock(c) <= rw_vclock_get(&t->vc, slot);
}

/* Does cell c race with the access being checked? */
static inline __attribute__((always_inline)) int cell_races(const rw_thread *t, rw_cell c,
                                                            const struct scan *s)
{
    if (c == 0 || is_marker(c) || cell_happens_before(t, c))
        return 0;
    return (rw_cell_mask(c) & s->mask) && (rw_cell_is_write(c) || rw_cell_is_write(s->probe)) &&
           !(rw_cell_is_atomic(c) && rw_cell_is_atomic(s->probe));
}

/* Dead cells of an inline snapshot: a cell is dead when another cell of
 * the same slot, at least as new, covers its bytes and is at least as
 * strong (neither a free).  Every later access that would race with the
 * dead cell races with that one, so a dead cell is as good as empty.
 * Ties (equal clocks) keep the lower index, so of any set of cells that
 * kill each other one stays alive.  Own cells made redundant by our
 * store are left dead instead of being cleared by a second CAS: on a
 * granule that several threads read, every CAS waits for the cache line
 * the other threads' cells share. */
static uint32_t dead_cells(const rw_cell *snap)
{
    uint32_t dead = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell d = snap[i];
        if (d == 0 || is_marker(d) || rw_cell_is_freed(d))
            continue;
        for (int j = 0; j < RW_CELLS_PER_GRANULE; j++) {
            rw_cell e = snap[j];
            if (j == i || e == 0 || is_marker(e) || rw_cell_is_freed(e) ||
                rw_cell_slot(e) != rw_cell_slot(d))
                continue;
            if ((rw_cell_clock(e) > rw_cell_clock(d) ||
                 (rw_cell_clock(e) == rw_cell_clock(d) && j < i)) &&
                (rw_cell_mask(d) & ~rw_cell_mask(e)) == 0 && rw_cell_dominates(e, d)) {
                dead |= 1u << i;
                break;
            }
        }
    }
    return dead;
}

/* Cells of an inline snapshot that can never race again (accesses below
 * the happens-before floor; frees are kept: they find uses after free).
 * The floor is recomputed now and then first (the granule is full). */
static uint32_t below_floor_cells(const rw_cell *snap)
{
    rw_hb_floor_refresh();
    uint32_t below = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell c = snap[i];
        if (c != 0 && !is_marker(c) && !rw_cell_is_freed(c) && rw_hb_floor_covers(c))
            below |= 1u << i;
    }
    return below;
}

/* With shadow planes, where an access would go into an empty cell past
 * plane 0 (a read of data another thread wrote and handed over: Phoenix's
 * and SPLASH-3's workers reading what the main thread wrote before
 * creating them), a cell before it that the happens-before floor covers
 * is taken instead (a free's excepted: it finds uses after free), so that
 * the next plane's page is not given memory.  live: bit i when snap[i] is
 * an access; returns the cell's index, or at. */
static inline int floor_cell_before(const rw_cell *snap, uint32_t live, int at)
{
#if RW_SHADOW_PLANES
    for (uint32_t l = live & ((1u << at) - 1); l; l &= l - 1) {
        int i = __builtin_ctz(l);
        if (!rw_cell_is_freed(snap[i]) && rw_hb_floor_covers(snap[i]))
            return i;
    }
    rw_hb_floor_refresh_for_plane();
#else
    (void)snap;
    (void)live;
#endif
    return at;
}

/* The first dead cell among the snapshot's cells in live (bit i: snap[i]
 * is an access, not empty, a free or a marker), as dead_cells decides, or
 * -1: the store of store_no_conflict into a full granule.  Only pairs of
 * one slot are compared (a granule that pca's two threads read holds two
 * cells of each, and the main thread's initializing write); mask[i] is
 * snap[i]'s byte mask, looked up once by the caller.  Inlined: the call
 * (arguments through memory, the mask array's address taken) cost pca's
 * stored accesses more than the search itself on a third of them. */
static inline __attribute__((always_inline)) int first_dead_cell(const rw_cell *snap,
                                                                 const unsigned *mask,
                                                                 uint32_t live)
{
    /* The pairs of one slot first (bit 4i+j and 4j+i), six compares
     * without branches: each live cell's slot bits, each other cell a
     * value of its own that no slot has (low bits), so that it pairs
     * with none.  A granule that several threads read holds one such
     * pair or none, so the dead-cell test runs on that pair only. */
    const uint64_t slot_bits = (uint64_t)(RW_MAX_SLOTS - 1) << RW_SLOT_SHIFT;
    const uint64_t k0 = (live & 1) ? snap[0] & slot_bits : 1;
    const uint64_t k1 = (live & 2) ? snap[1] & slot_bits : 2;
    const uint64_t k2 = (live & 4) ? snap[2] & slot_bits : 3;
    const uint64_t k3 = (live & 8) ? snap[3] & slot_bits : 4;
    uint32_t pairs = (k0 == k1 ? 0x0012u : 0) | (k0 == k2 ? 0x0104u : 0) |
                     (k0 == k3 ? 0x1008u : 0) | (k1 == k2 ? 0x0240u : 0) |
                     (k1 == k3 ? 0x2080u : 0) | (k2 == k3 ? 0x4800u : 0);
    for (; pairs; pairs &= pairs - 1) {
        int bit = __builtin_ctz(pairs), i = bit >> 2, j = bit & 3;
        rw_cell d = snap[i], e = snap[j];
        if ((mask[i] & ~mask[j]) == 0 &&
            (rw_cell_clock(e) > rw_cell_clock(d) ||
             (rw_cell_clock(e) == rw_cell_clock(d) && j < i)) &&
            rw_cell_dominates(e, d))
            return i;
    }
    return -1;
}

/* Check cells[0..n) against the access; return the index of a cell the
 * access makes redundant, or -1; *empty gets the first empty index.
 * Further redundant cells are marked in *clear (the inline snapshot,
 * cleared after our store) or, with clear == NULL (an extension, whose
 * lock we hold), emptied at once. */
static int scan_cells(rw_thread *t, rw_cell *cells, int n, struct scan *s, int *empty,
                      uint32_t *clear)
{
    int store_at = -1;
    *empty = -1;
    for (int i = 0; i < n; i++) {
        rw_cell c = cells[i];
        if (c == 0) {
            if (*empty < 0)
                *empty = i;
            continue;
        }
        if (is_marker(c))
            continue;
        unsigned cmask = rw_cell_mask(c);
        unsigned slot = rw_cell_slot(c);
        if (slot == t->slot && (cmask & s->mask) == s->mask && !rw_cell_is_freed(c) &&
            rw_cell_clock(c) > t->last_release && rw_cell_dominates(c, s->probe))
            s->redundant = 1;
        if (cell_races(t, c, s)) {
            if (!s->race_old)
                s->race_old = c;
            continue;
        }
        int happens_before = cell_happens_before(t, c);
        if (__builtin_expect(rw_cell_is_freed(c), 0) && happens_before && (cmask & s->mask))
            s->freed_before = c;
        if (happens_before && (cmask & ~s->mask) == 0 && rw_cell_dominates(s->probe, c)) {
            if (store_at < 0) {
                store_at = i;
            } else if (clear) {
                *clear |= 1u << i;
            } else {
                __atomic_store_n(&cells[i], 0, __ATOMIC_RELAXED);
                if (*empty < 0)
                    *empty = i;
            }
        }
    }
    return store_at;
}

/* With 4 cells per granule a thread's own older access may be given up
 * (below).  With 2 it may not: a byte-by-byte fill needs a third cell at
 * its seventh byte ([0,4), [4,6), [6,7): buddies merge only in pairs), and
 * giving up the oldest lost the race of every fill's bytes 0-3 with a
 * reader (test_regression_bytewise_fill_loses_races); such a granule gets
 * an extension instead, and its extension grows. */
#define RW_EVICT_OWN (RW_CELLS_PER_GRANULE >= 4)

/* Our own oldest cell in an array, or -1 (always -1 without
 * RW_EVICT_OWN).  When there is no room, one of our own older accesses
 * to other bytes of the granule is what we give up (as ThreadSanitizer
 * would): an extension is only for keeping other threads' accesses,
 * which is what byte precision needs. */
static int own_oldest(rw_thread *t, const rw_cell *cells, int n)
{
    if (!RW_EVICT_OWN)
        return -1;
    int best = -1;
    uint64_t best_clock = UINT64_MAX;
    for (int i = 0; i < n; i++) {
        rw_cell c = cells[i];
        if (c != 0 && !is_marker(c) && rw_cell_slot(c) == t->slot &&
            rw_cell_clock(c) < best_clock) {
            best = i;
            best_clock = rw_cell_clock(c);
        }
    }
    return best;
}

/* Buddy merging: our own cell for bytes [o, o+n) and a new one for the
 * buddy bytes [o^n, (o^n)+n), same kind, both since our last release,
 * become one cell for the aligned 2n bytes, with the newer clock (no
 * release lies between them, so every other thread orders both alike).
 * A byte-by-byte fill of a buffer then takes one cell per granule instead
 * of eight, and keeps every byte's history.  Works on the snapshot: merged
 * buddies are marked in *clear.  Returns the index of the first of them,
 * or -1. */
static int merge_buddies(rw_thread *t, const rw_cell *snap, rw_cell *cell, uint32_t *clear)
{
    int freed = -1;
    for (;;) {
        rw_cell c = *cell;
        unsigned size = rw_cell_size(c), off = rw_cell_offset(c);
        if (size == 8)
            return freed;
        unsigned sizelog = (unsigned)__builtin_ctz(size);
        rw_cell buddy_key = rw_cell_key(rw_cell_make(t->slot, 0, off ^ size, sizelog,
                                                     rw_cell_is_write(c), rw_cell_is_atomic(c)));
        int found = -1;
        for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
            rw_cell b = snap[i];
            if (b != 0 && !(*clear & (1u << i)) && rw_cell_key(b) == buddy_key &&
                rw_cell_clock(b) > t->last_release) {
                found = i;
                break;
            }
        }
        if (found < 0)
            return freed;
        *clear |= 1u << found;
        if (freed < 0)
            freed = found;
        *cell = rw_cell_make(t->slot, rw_cell_clock(c), off & ~size, sizelog + 1,
                             rw_cell_is_write(c), rw_cell_is_atomic(c));
    }
}

/* After buddy merging widened our cell: the older cells it now makes
 * redundant (they happen before us, lie within its bytes, and are no
 * stronger) are marked in *clear as well.  Without this, threads that
 * read a word in halves, round after round with synchronization between
 * rounds, left every round's merged cells behind (a 4-byte read cannot
 * replace an 8-byte cell) until the granule overflowed.  Returns the
 * first such cell, or -1. */
static int mark_superseded(rw_thread *t, const rw_cell *snap, rw_cell cell, int keep,
                           uint32_t *clear)
{
    int first = -1;
    unsigned mask = rw_cell_mask(cell);
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell c = snap[i];
        if (i == keep || c == 0 || is_marker(c) || (*clear & (1u << i)))
            continue;
        if (cell_happens_before(t, c) && (rw_cell_mask(c) & ~mask) == 0 &&
            rw_cell_dominates(cell, c)) {
            *clear |= 1u << i;
            if (first < 0)
                first = i;
        }
    }
    return first;
}

/* After our store: the cells mark_superseded marked in clear that are
 * other slots' are cleared; our own stay, dead under our newer cell (see
 * dead_cells). */
static void clear_foreign_superseded(rw_thread *t, rw_cell *cells, const rw_cell *snap,
                                     uint32_t clear)
{
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        if ((clear & (1u << i)) && rw_cell_slot(snap[i]) != t->slot)
            rw_cell_cas(cells, i, snap[i], 0);
}

/* Race-check every cell of the extension a marker points to (no store). */
static void check_ext_cells(rw_thread *t, rw_cell marker, uintptr_t granule, struct scan *s)
{
    struct ext *x = ext_of(marker, granule);
    if (!x)
        return;
    rw_spin_lock(&x->lock);
    for (uint32_t i = 0; i < x->n; i++)
        if (cell_races(t, x->cells[i], s) && !s->race_old)
            s->race_old = x->cells[i];
    rw_spin_unlock(&x->lock);
}

/* After our store (a seq_cst CAS or fence): the cells that changed since
 * the snapshot were stored by checks that ran beside ours; check them.
 * skip: the cell we stored.  have_ext: we hold the extension's lock and
 * have scanned it already. */
static void check_changed(rw_thread *t, rw_cell *cells, const rw_cell *snap, uint32_t clear,
                          int skip, uintptr_t granule, int have_ext, struct scan *s)
{
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        if (i == skip)
            continue;
        rw_cell v = rw_cell_load(cells, i, __ATOMIC_SEQ_CST);
        if (v == snap[i] || (v == 0 && (clear & (1u << i))))
            continue;
        if (is_marker(v)) {
            if (!have_ext)
                check_ext_cells(t, v, granule, s);
        } else if (cell_races(t, v, s) && !s->race_old) {
            s->race_old = v;
        }
    }
}

/* Without RW_EVICT_OWN (2 cells per granule), where an extension's new
 * cell goes before it is appended: a cell that can never matter again,
 * dead (another cell of the extension, of the same slot, at least as new,
 * covers its bytes and is at least as strong: see dead_cells) or below
 * the happens-before floor (frees and markers kept), else -1.  Without
 * it, every round of a thread's reads of a word shared with two others
 * (Phoenix pca) appended a cell: the older rounds' stay, dead.  Under the
 * extension's lock; a scan without it still finds the dominating cell. */
static int ext_spare_cell(const struct ext *x, const rw_cell *snap)
{
    uint32_t n = x->n;
    for (uint32_t i = 0; i < n; i++) {
        rw_cell d = x->cells[i];
        if (d == 0 || rw_cell_is_freed(d))
            continue;
        /* The cells that may make it dead: the extension's (j < n), then
         * the inline snapshot's (a thread's newest cell is usually
         * inline, its older ones moved out). */
        for (uint32_t j = 0; j < n + RW_CELLS_PER_GRANULE; j++) {
            rw_cell e = j < n ? x->cells[j] : snap[j - n];
            if (j == i || e == 0 || rw_cell_is_freed(e) || rw_cell_slot(e) != rw_cell_slot(d))
                continue;
            if ((rw_cell_clock(e) > rw_cell_clock(d) ||
                 (rw_cell_clock(e) == rw_cell_clock(d) && j < i)) &&
                (rw_cell_mask(d) & ~rw_cell_mask(e)) == 0 && rw_cell_dominates(e, d))
                return (int)i;
        }
    }
    rw_hb_floor_refresh();
    for (uint32_t i = 0; i < n; i++) {
        rw_cell d = x->cells[i];
        if (d != 0 && !rw_cell_is_freed(d) && rw_hb_floor_covers(d))
            return (int)i;
    }
    return -1;
}

/* In an extended granule, the inline cell that the access may move into
 * the extension to be stored inline itself, or -1: an access that happens
 * before it and is neither a free nor a marker nor in skip (bit i: cell
 * i), another slot's first, else one of ours made before our last release
 * (one of ours since then is left inline: moved out, our next access of
 * its bytes would leave the hot path and move it back).  Moving a cell
 * between the inline cells and the extension loses nothing; what it buys
 * is that the thread that accesses the granule now, and may again, finds
 * its cell where the hot path looks. */
static int stale_inline_cell(const rw_thread *t, const rw_cell *snap, uint32_t skip)
{
    int own_stale = -1;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell c = snap[i];
        if (c == 0 || is_marker(c) || rw_cell_is_freed(c) || (skip & (1u << i)))
            continue;
        unsigned slot = rw_cell_slot(c);
        if (slot != t->slot) {
            if (rw_cell_clock(c) <= rw_vclock_get(&t->vc, slot))
                return i;
        } else if (own_stale < 0 && rw_cell_clock(c) <= t->last_release) {
            own_stale = i;
        }
    }
    return own_stale;
}

/* Without RW_EVICT_OWN (2 cells per granule), a full granule where our
 * own cells since our last release, of the access's kind, and the access
 * together cover one run of bytes [lo, hi) (a byte-by-byte fill or read:
 * [0,4), [4,6), then byte 6): the run is stored as at most two cells,
 * [lo, lo+n) and [hi-n, hi) for n the largest power of two <= hi-lo
 * (they may overlap, and may be unaligned, as an unaligned access's cell
 * is), with the access's clock, over those own cells.  Nothing is lost:
 * with no release between them, every other thread's clock for our slot
 * is below all of them or at least all of them, and the bytes covered are
 * the same.  Each piece replaces an own cell inside it (so no byte of
 * ours is uncovered between the two CASes), then the other own cells are
 * cleared, then the other cells are read again (the protocol at the top
 * of the file).  Returns 1 when stored, 0 when a CAS found the granule
 * changed (the caller tries again), -1 when it does not apply. */
static int store_own_run(rw_thread *t, rw_cell *cells, const rw_cell *snap, rw_cell cell,
                         uint32_t clear, uintptr_t granule, int have_ext, struct scan *s)
{
    const uint64_t kind_bits = ((uint64_t)(RW_MAX_SLOTS - 1) << RW_SLOT_SHIFT) | RW_FREED_BIT |
                               RW_WRITE_BIT | RW_ATOMIC_BIT;
    const uint64_t kind = cell & kind_bits;
    uint32_t own = 0;
    unsigned run = rw_cell_mask(cell);
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell c = snap[i];
        if (c != 0 && !(clear & (1u << i)) && (c & kind_bits) == kind &&
            rw_cell_clock(c) > t->last_release) {
            own |= 1u << i;
            run |= rw_cell_mask(c);
        }
    }
    if (!own)
        return -1;
    unsigned lo = (unsigned)__builtin_ctz(run), hi = 32u - (unsigned)__builtin_clz(run);
    if (run != (1u << hi) - (1u << lo))
        return -1; /* not one run */
    unsigned len = hi - lo, k = 31u - (unsigned)__builtin_clz(len), n = 1u << k;
    uint64_t clock = rw_cell_clock(cell);
    int write = rw_cell_is_write(cell), atomic = rw_cell_is_atomic(cell);
    rw_cell piece[2] = { rw_cell_make(t->slot, clock, lo, k, write, atomic),
                         rw_cell_make(t->slot, clock, hi - n, k, write, atomic) };
    int pieces = n == len ? 1 : 2;
    int at[2] = { -1, -1 };
    uint32_t used = 0;
    for (int p = 0; p < pieces; p++) {
        unsigned pmask = rw_cell_mask(piece[p]);
        for (uint32_t o = own & ~used; o; o &= o - 1) {
            int i = __builtin_ctz(o);
            if ((rw_cell_mask(snap[i]) & ~pmask) == 0) {
                at[p] = i;
                used |= 1u << i;
                break;
            }
        }
        if (at[p] < 0)
            return -1;
    }
    for (int p = 0; p < pieces; p++)
        if (!rw_cell_cas(cells, at[p], snap[at[p]], piece[p]))
            return 0;
    uint32_t cleared = 0;
    for (uint32_t o = own & ~used; o; o &= o - 1) {
        int i = __builtin_ctz(o);
        if (rw_cell_cas(cells, i, snap[i], 0))
            cleared |= 1u << i;
    }
    /* (our second piece, changed since the snapshot, is ours: no race) */
    check_changed(t, cells, snap, cleared, at[0], granule, have_ext, s);
    return 1;
}

/* One attempt at checking and storing the access; 0 when a CAS found the
 * granule changed since the snapshot (the caller tries again). */
static int check_and_store(rw_thread *t, rw_cell *cells, uintptr_t granule, struct scan *s,
                           uintptr_t pc, uint64_t *op_pos, int forced)
{
    rw_cell snap[RW_CELLS_PER_GRANULE];
    int marker = -1;
    rw_cells_load_all(cells, snap, __ATOMIC_RELAXED);
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        if (is_marker(snap[i]))
            marker = i;
    }
    struct ext *x = marker >= 0 ? ext_of(snap[marker], granule) : NULL;
    if (marker >= 0 && !x) {
        rw_cell_cas(cells, marker, snap[marker], 0); /* orphan marker */
        return 0;
    }
    if (x) {
        /* A thread that reads a granule shared by many finds its own
         * cell here, not inline: answer without the lock, as the fast
         * path does for an inline cell, unless an inline cell is stale
         * (stale_inline_cell): then the access is stored over it, and the
         * next one is answered by the hot path. */
        if (stale_inline_cell(t, snap, 0) < 0 &&
            ext_own_redundant(t, x, s->probe, s->mask, *op_pos & RW_CLOCK_MASK)) {
            s->redundant = 1;
            return 1;
        }
        rw_spin_lock(&x->lock);
    }

    uint32_t clear = 0;
    int empty, xempty = -1;
    int store_at = scan_cells(t, snap, RW_CELLS_PER_GRANULE, s, &empty, &clear);
    int inline_redundant = s->redundant;
    int xstore_at = x ? scan_cells(t, x->cells, (int)x->n, s, &xempty, NULL) : -1;
    int stored_at = -1; /* inline cell we replaced, or -1 */
    int done = 1;
    /* An extension cell our inline store makes redundant: emptied after
     * the store; and what to undo if that store's CAS fails. */
    int xdrop = -1, xundo = -1, xappended = 0;
    rw_cell xundo_value = 0;

    if (s->redundant) {
        /* The fast path's case, with a wider or extended cell; an
         * extended one is stored inline after all when an inline cell is
         * stale (see above). */
        if (inline_redundant || stale_inline_cell(t, snap, clear) < 0)
            goto out;
        s->redundant = 0;
    }
    if (*op_pos == 0) {
        rw_thread_event(t, RW_EV_ACCESS, pc);
        *op_pos = t->pos;
    }
    rw_cell cell = s->probe | (*op_pos & RW_CLOCK_MASK);
    int merged_at = merge_buddies(t, snap, &cell, &clear);
    if (merged_at >= 0) {
        /* Store the merged cell over an older cell it supersedes, if
         * any, and leave the buddy dead: the next round's read of the
         * buddy's bytes then finds it to replace, and the granule holds
         * two cells per reading thread, with no dead-cell search. */
        int superseded = mark_superseded(t, snap, cell, store_at, &clear);
        if (store_at < 0)
            store_at = superseded >= 0 ? superseded : merged_at;
        clear &= ~(1u << store_at);
    }

    if (store_at < 0 && empty < 0) {
        /* No room: a dead cell is as good as an empty one, and so is one
         * below the happens-before floor (detector/hb_floor.h). */
        uint32_t dead = dead_cells(snap) & ~clear;
        if (!dead)
            dead = below_floor_cells(snap) & ~clear;
        if (dead)
            empty = __builtin_ctz(dead);
    }
    if (!RW_EVICT_OWN && store_at < 0 && empty < 0) {
        int r = store_own_run(t, cells, snap, cell, clear, granule, x != NULL, s);
        if (r >= 0) {
            done = r;
            goto out;
        }
    }

    rw_cell value = cell;
    int stale = -1;
    if (store_at < 0 && empty < 0 && x)
        stale = stale_inline_cell(t, snap, clear);
    if (store_at >= 0 || empty >= 0) {
        /* Inline: an extension cell the access makes redundant is
         * emptied once the access is stored. */
        stored_at = store_at >= 0 ? store_at : empty;
        if (RW_SHADOW_PLANES && store_at < 0 && empty > 0) {
            /* Not into a plane that a dead cell or one below the floor
             * spares (as store_no_conflict). */
            uint32_t dead = dead_cells(snap) & ~clear & ((1u << empty) - 1);
            uint32_t live = 0;
            for (int i = 0; i < empty; i++)
                if (snap[i] != 0 && !is_marker(snap[i]) && !(clear & (1u << i)))
                    live |= 1u << i;
            stored_at = dead ? __builtin_ctz(dead) : floor_cell_before(snap, live, empty);
        }
        xdrop = xstore_at;
    } else if (stale >= 0) {
        /* An extended granule with no inline room: the access goes
         * inline over a stale cell, which moves into the extension
         * first (over a cell the access makes redundant, else an empty
         * one, else appended), so that a check without the lock sees it
         * in one place or the other at every moment (ext_check_unlocked).
         * The thread's next access in this epoch is answered by the hot
         * path instead of a look into the extension each time. */
        int at = xstore_at >= 0 ? xstore_at : xempty;
        if (at < 0 && !RW_EVICT_OWN)
            at = ext_spare_cell(x, snap);
        if (at >= 0) {
            xundo = at;
            xundo_value = x->cells[at];
            __atomic_store_n(&x->cells[at], snap[stale], __ATOMIC_RELAXED);
            stored_at = stale;
        } else if (ext_append(x, snap[stale]) == 0) {
            xappended = 1;
            stored_at = stale;
        } else {
            rw_stats.evictions++; /* out of memory: our cell replaces it */
            stored_at = stale;
        }
    } else if (x) {
        int at = xstore_at >= 0 ? xstore_at : xempty;
        if (at < 0 && !RW_EVICT_OWN)
            at = ext_spare_cell(x, snap);
        if (at < 0 && (at = own_oldest(t, x->cells, (int)x->n)) >= 0)
            rw_stats.evictions++;
        if (at >= 0)
            __atomic_store_n(&x->cells[at], cell, __ATOMIC_RELAXED);
        else
            ext_append(x, cell);
    } else {
        /* Atomic accesses never race with each other: contended atomics
         * fill cells fast and would make an extension for nothing.  A
         * granule of our own cells only (our private data so far) evicts
         * our oldest: a decoder's memcpy of odd pieces of its buffer would
         * otherwise grow extensions (xz -d under LD_PRELOAD: 2.4x CPU).
         * One that other threads' cells share gets an extension, also when
         * some cells are ours: our oldest may be the only read of a byte
         * that another thread writes later (main's reads around a split
         * point, then ours of the first byte and reads and writes of the
         * others: tests/programs/ownevict_race.c, Phoenix's word_count). */
        int own = own_oldest(t, snap, RW_CELLS_PER_GRANULE);
        int shared = 0;
        for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
            if (snap[i] != 0 && rw_cell_slot(snap[i]) != t->slot)
                shared = 1;
        struct ext *nx = (own < 0 || shared) && !rw_cell_is_atomic(s->probe) ? ext_make(granule)
                                                                              : NULL;
        if (nx) {
            /* Four cells that must stay: move one into a new extension
             * and leave a marker. */
            stored_at = (int)(t->pos & (RW_CELLS_PER_GRANULE - 1));
            rw_spin_lock(&nx->lock);
            int fresh = 1;
            for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
                if (is_marker(rw_cell_load(cells, i, __ATOMIC_RELAXED)))
                    fresh = 0; /* another check made a marker since our snapshot */
            if (!fresh) {
                rw_spin_unlock(&nx->lock);
                done = 0;
                goto out;
            }
            __atomic_store_n(&nx->n, 0, __ATOMIC_RELEASE);
            if (ext_append(nx, snap[stored_at]) == 0 && ext_append(nx, cell) == 0)
                value = marker_of(nx);
            else
                rw_stats.evictions++;
            if (forced) {
                rw_cell_store(cells, stored_at, value, __ATOMIC_SEQ_CST);
            } else if (!rw_cell_cas(cells, stored_at, snap[stored_at], value)) {
                __atomic_store_n(&nx->n, 0, __ATOMIC_RELEASE);
                rw_spin_unlock(&nx->lock);
                done = 0;
                goto out;
            }
            rw_spin_unlock(&nx->lock);
            stored_at = -2 - stored_at; /* stored already */
        } else {
            rw_stats.evictions++;
            stored_at = own >= 0 ? own : (int)(t->pos & (RW_CELLS_PER_GRANULE - 1));
        }
    }

    int skip = -1;
    if (stored_at >= 0) {
        if (forced) {
            rw_cell_store(cells, stored_at, value, __ATOMIC_SEQ_CST);
        } else if (!rw_cell_cas(cells, stored_at, snap[stored_at], value)) {
            /* Take back the stale cell's move: a copy is all that is
             * left behind meanwhile. */
            if (xundo >= 0)
                __atomic_store_n(&x->cells[xundo], xundo_value, __ATOMIC_RELAXED);
            else if (xappended)
                __atomic_store_n(&x->n, x->n - 1, __ATOMIC_RELEASE);
            done = 0;
            goto out;
        }
        if (xdrop >= 0)
            __atomic_store_n(&x->cells[xdrop], 0, __ATOMIC_RELAXED);
        skip = stored_at;
        if (rw_shadow_starts_prefault_block(cells) &&
            rw_snapshot_or(snap) == 0)
            rw_shadow_prefault_next(granule);
    } else if (stored_at <= -2) {
        skip = -2 - stored_at;
    } else {
        __atomic_thread_fence(__ATOMIC_SEQ_CST); /* stored in the extension */
    }
    clear_foreign_superseded(t, cells, snap, clear);
    check_changed(t, cells, snap, clear, skip, granule, x != NULL, s);
out:
    if (x)
        rw_spin_unlock(&x->lock);
    return done;
}

int rw_granule_accesses(uintptr_t addr, rw_cell *out, int max)
{
    uintptr_t granule = addr & ~(uintptr_t)7;
    rw_cell *cells = rw_shadow_cells(granule);
    int n = 0;
    if (!cells)
        return 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell c = rw_cell_load(cells, i, __ATOMIC_ACQUIRE);
        if (c == 0)
            continue;
        if (!is_marker(c)) {
            if (n < max)
                out[n] = c;
            n++;
            continue;
        }
        struct ext *x = ext_of(c, granule);
        if (!x)
            continue;
        rw_spin_lock(&x->lock);
        for (uint32_t j = 0; j < x->n; j++) {
            if (x->cells[j] == 0)
                continue;
            if (n < max)
                out[n] = x->cells[j];
            n++;
        }
        rw_spin_unlock(&x->lock);
    }
    return n;
}

/* Without the lock, after our store into the inline cells of an extended
 * granule: race-check the extension's cells (the third step of the
 * protocol at the top of the file, for the extension: a check that stores
 * into the extension does so under its lock, then fences and reads the
 * inline cells again, so of the two at least one sees the other).  A cell
 * moved within the extension or between it and the inline cells is
 * written at its new place before it leaves the old one, and a cell that
 * is dropped is one that a stored cell dominates, so a scan without the
 * lock misses nothing that matters; the one exception is the eviction of
 * a full extension (cells shifted down), so a record near RW_EXT_MAX is
 * scanned under its lock. */
static void ext_check_unlocked(rw_thread *t, struct ext *x, struct scan *s)
{
    uint32_t n = __atomic_load_n(&x->n, __ATOMIC_SEQ_CST);
    const rw_cell *xc = __atomic_load_n(&x->cells, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < n; i++) {
        rw_cell c = __atomic_load_n(&xc[i], __ATOMIC_RELAXED);
        if (cell_races(t, c, s)) {
            if (!s->race_old)
                s->race_old = c;
        } else if (__builtin_expect(rw_cell_is_freed(c), 0) && c != 0 && !is_marker(c) &&
                   (rw_cell_mask(c) & s->mask) && cell_happens_before(t, c)) {
            s->freed_before = c;
        }
    }
    if (__atomic_load_n(&x->n, __ATOMIC_ACQUIRE) >= RW_EXT_MAX - 1) {
        rw_cell race_old = s->race_old;
        s->race_old = 0;
        check_ext_cells(t, marker_of(x), x->granule, s);
        if (!race_old)
            race_old = s->race_old;
        s->race_old = race_old;
    }
}

/* The stored access's common case, without the general check: every
 * non-empty cell of the granule is an access of ours (a thread streaming
 * over its own data: a byte-by-byte read of an input, an accumulator read
 * and then written), or another thread's plain access that cannot race
 * with this one (another reader's cell when we read, as in Phoenix pca's
 * shared matrix rows, read again by both threads after every mutex
 * release; a cell that happens before us; other bytes), or the marker of
 * the granule's extension.  Such foreign cells are checked here
 * (cell_races) and left where they are, except those that happen before
 * us and that the stored cell covers and dominates, which are cleared (as
 * the general path's mark_superseded does): all of this is decided in one
 * pass over the cells, with one vector-clock lookup per foreign cell, so
 * there is no general scan, no merge search over other slots, no second
 * superseded search.  The access is stored, by the same protocol as
 * check_and_store (a CAS against the snapshot, then the other cells read
 * again and any that changed checked), in the first place that applies:
 *
 *   1. over an own cell it makes redundant (its bytes or fewer, no
 *      stronger: a read of ours before our write, an access before our
 *      last release), or another slot's that happens before it and that
 *      it makes redundant (data handed over), as the general path does;
 *   2. merged with own buddies (same kind, since our last release) into
 *      one wider cell stored over the first of them, the others left dead
 *      (see dead_cells), as merge_buddies does;
 *   3. in an empty cell;
 *   4. in a dead cell (see dead_cells), as the general path does when the
 *      granule is full.
 *
 * In an extended granule (a marker among the cells) the access is stored
 * inline the same way, and then the extension's cells are checked without
 * its lock (ext_check_unlocked): a thread whose cell is inline keeps it
 * there round after round (SPLASH-3 barnes' tree nodes: four readers and
 * the builder's write) without the general check and the extension's
 * lock.
 *
 * An own inline cell that already makes the access redundant stores
 * nothing.  Returns 0 (nothing stored) when an inline cell races with the
 * access or is a free's, when none of the four applies, or when the CAS
 * found the granule changed: the general path then decides (and reports). */
static inline __attribute__((always_inline)) int
store_no_conflict(rw_thread *t, rw_cell *cells, uintptr_t granule, struct scan *s, uintptr_t pc,
                  uint64_t *op_pos, const int whole)
{
    rw_cell snap[RW_CELLS_PER_GRANULE];
    /* Each cell's byte mask, looked up once: every later decision (the
     * replaced cell, the superseded one after a merge, dead cells, the
     * foreign cells cleared) reads it from here. */
    unsigned mask[RW_CELLS_PER_GRANULE];
    const uint64_t foreign_bits = ((uint64_t)(RW_MAX_SLOTS - 1) << RW_SLOT_SHIFT) | RW_FREED_BIT;
    const uint64_t ours = (uint64_t)t->slot << RW_SLOT_SHIFT;
    const uint64_t kind_bits = foreign_bits | RW_WRITE_BIT | RW_ATOMIC_BIT;
    const rw_cell probe = s->probe;
    const uint64_t kind = ours | (probe & (RW_WRITE_BIT | RW_ATOMIC_BIT));
    /* An aligned 8-byte access (whole, a constant in each inlined copy)
     * overlaps every cell and contains it; a cell covers it only if it
     * is an 8-byte cell itself; it has no buddy: no byte mask is looked
     * up, and the merge is compiled out. */
    const unsigned smask = whole ? 0xffu : s->mask;
    const uint64_t last_release = t->last_release;
    /* A cell of this very operation (its trace position: a range's piece
     * stored, then checked again because the re-read after the store saw
     * the granule change) does not make the access redundant: its own
     * check is what is being finished, and a changed cell may be in the
     * extension, which a redundant answer never looks at (an extension
     * made beside the store: test_race_concurrent's kind 22). */
    const uint64_t this_op = *op_pos & RW_CLOCK_MASK;
    int replace = -1, empty = -1, marker = -1;
    /* own_stale: our cells from before our last release;
     * own_stale_dominated (an 8-byte access only): those of a kind the
     * access dominates (the stored cell has the access's kind, so it
     * dominates them too). */
    uint32_t live = 0, own_stale = 0, own_stale_dominated = 0, foreign_before = 0;
    /* Byte i: the offset and size-log bits of cell i if it is ours, of
     * the access's kind, since our last release (a buddy to merge with),
     * else 0xff (no such bits): the buddy search below compares all four
     * at once. */
    uint32_t current_bits = UINT32_MAX;
    _Static_assert(RW_CELLS_PER_GRANULE <= 4,
                   "current_bits and first_dead_cell's pairs pack at most 4 cells");
    int redundant = 0;
    rw_cells_load_all(cells, snap, __ATOMIC_RELAXED);
#pragma GCC unroll 4
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell c = snap[i];
        if (c == 0) {
            if (empty < 0)
                empty = i;
            continue;
        }
        unsigned cmask = whole ? 0xffu : (mask[i] = rw_cell_mask(c));
        /* (for an 8-byte access, tested once; in the smaller accesses'
         * copy where it is needed: measured, the other way round cost
         * each of them 25 instructions more) */
        const int whole_dominated = whole && rw_cell_dominates(probe, c);
#define DOMINATED (whole ? whole_dominated : rw_cell_dominates(probe, c))
        const int covers_access = whole ? ((c >> RW_OFFSET_SHIFT) & 31) == 3u << 3
                                        : (smask & ~cmask) == 0;
        if ((c & foreign_bits) != ours) {
            /* Another slot's access, a free's or a marker (a marker has
             * the freed bit: one test for both in the common case). */
            if (__builtin_expect(rw_cell_is_freed(c), 0)) {
                if (!is_marker(c))
                    return 0;
                marker = i;
                continue;
            }
            live |= 1u << i;
            if (rw_cell_clock(c) > rw_vclock_get(&t->vc, rw_cell_slot(c))) {
                if ((cmask & smask) && ((c | probe) & RW_WRITE_BIT) &&
                    !(c & probe & RW_ATOMIC_BIT))
                    return 0; /* a race: the general check reports it */
                continue;
            }
            /* It happens before us: cleared once our stored cell covers
             * and dominates it; the first that this access alone does is
             * replaced (data handed over: the new owner's write replaces
             * the old).  Only a cell of a kind the access dominates can
             * be either (the stored cell has the access's kind): main's
             * initializing write beside pca's reads is not looked at
             * again. */
            if (DOMINATED)
                foreign_before |= 1u << i;
        } else {
            if (rw_cell_clock(c) > last_release) {
                if (covers_access && rw_cell_dominates(c, probe) && rw_cell_clock(c) != this_op)
                    redundant = 1; /* answered once no other cell races */
                if ((c & kind_bits) == kind)
                    current_bits ^= (0xffu ^ ((unsigned)(c >> RW_OFFSET_SHIFT) & 31)) << (8 * i);
            } else {
                own_stale |= 1u << i;
                if (whole && whole_dominated)
                    own_stale_dominated |= 1u << i;
            }
            live |= 1u << i;
        }
        if (replace < 0 && (cmask & ~smask) == 0 && DOMINATED)
            replace = i;
#undef DOMINATED
    }
    if (redundant)
        return 1; /* (callers that skip the hot path) */
    struct ext *x = NULL;
    if (marker >= 0 && (x = ext_of(snap[marker], granule)) == NULL)
        return 0; /* an orphan marker: the general path drops it */
    /* Where to store is decided first, with the clock left 0 (merging
     * keeps it): an access that ends in the general check takes its trace
     * position there, not here (a redundant one takes none). */
    rw_cell cell = probe;
    int at = replace;
    if (!whole) {
        /* Buddies: our cell for [o, o+n) and one of the same kind for
         * [o^n, (o^n)+n), both since our last release, become [o&~n, 2n).
         * Also when the access replaces a cell (our read of the byte
         * before our write of it): the replaced cell and the buddy are
         * then both dead under the merged one, so a byte-by-byte read
         * and write of a word takes one cell, not one per byte. */
        unsigned bits = (unsigned)(cell >> RW_OFFSET_SHIFT) & 31; /* offset | sizelog << 3 */
        /* (Skipped when no cell is ours, of the access's kind, since our
         * last release: a read in a new epoch has nothing to merge.) */
        if (current_bits != UINT32_MAX) {
            for (unsigned size = 1u << (bits >> 3); size < 8; size <<= 1) {
                /* The buddy's bits are ours with the offset bit of our
                 * size flipped; the first byte of current_bits equal to
                 * them is the lowest zero byte of their difference. */
                uint32_t diff = current_bits ^ ((bits ^ size) * 0x01010101u);
                uint32_t zero = (diff - 0x01010101u) & ~diff & 0x80808080u;
                if (zero == 0)
                    break;
                unsigned found = (unsigned)__builtin_ctz(zero) >> 3;
                if (found < (unsigned)at) /* (at -1: none yet) */
                    at = (int)found;
                bits = (bits & ~size) + 8; /* the aligned pair: twice the size */
            }
            cell = (cell & ~((rw_cell)31 << RW_OFFSET_SHIFT)) | (rw_cell)bits << RW_OFFSET_SHIFT;
        }
        if (at >= 0) {
            /* Merged: stored over an older own cell the merged one makes
             * redundant, if there is one (the previous round's merged
             * cell, in a word read in halves round after round), so
             * that the buddy is what stays dead; the next round's read
             * of its half finds it to replace (step 1) instead of
             * searching for a dead cell. */
            unsigned merged_mask = rw_cell_mask_by_bits[bits];
            for (uint32_t os = own_stale; os; os &= os - 1) {
                int i = __builtin_ctz(os);
                if ((mask[i] & ~merged_mask) == 0 && rw_cell_dominates(cell, snap[i])) {
                    at = i;
                    break;
                }
            }
        }
    }
    if (whole && own_stale_dominated)
        at = __builtin_ctz(own_stale_dominated); /* (the merge block's own-stale
                                                    search: an 8-byte cell
                                                    contains every cell) */
    /* (the 8-byte copy looks up the byte masks only for first_dead_cell) */
#define WHOLE_MASKS()                                                \
    do {                                                             \
        if (whole)                                                   \
            for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)           \
                mask[i] = rw_cell_mask(snap[i]);                     \
    } while (0)
#if RW_SHADOW_PLANES
    if (at < 0 && (at = empty) > 0) {
        /* Not into a plane that a dead cell (first_dead_cell) or one
         * below the floor spares. */
        uint32_t before = live & ((1u << at) - 1);
        int spare = -1;
        if (before & (before - 1)) {
            WHOLE_MASKS();
            spare = first_dead_cell(snap, mask, before);
        }
        at = spare >= 0 ? spare : floor_cell_before(snap, live, at);
    }
#else
    if (at < 0)
        at = empty;
#endif
    if (at < 0) {
        WHOLE_MASKS();
#undef WHOLE_MASKS
        at = first_dead_cell(snap, mask, live);
    }
    if (at < 0)
        return 0;
    if (*op_pos == 0) {
        rw_thread_event(t, RW_EV_ACCESS, pc);
        *op_pos = t->pos;
    }
    cell |= *op_pos & RW_CLOCK_MASK;
    if (!rw_cell_cas(cells, at, snap[at], cell))
        return 0;
    if (__builtin_expect(rw_shadow_starts_prefault_block(cells), 0) && rw_snapshot_or(snap) == 0)
        rw_shadow_prefault_next(granule);
    /* Other slots' cells that happen before us and that the stored cell
     * covers and dominates are cleared, as the general path does (see
     * mark_superseded): left in place, they fill the granule, and the
     * next new thread's access of it makes an extension (Phoenix's
     * kmeans: each round's threads read the means that the previous
     * round's threads wrote in halves).  Our own stay, dead under the
     * stored cell (see dead_cells). */
    uint32_t clear = 0;
    uint32_t foreign_others = foreign_before & ~(1u << at);
    if (__builtin_expect(foreign_others != 0, 0)) {
        unsigned cell_mask = whole ? 0xffu : rw_cell_mask(cell);
        for (uint32_t fs = foreign_others; fs; fs &= fs - 1) {
            int i = __builtin_ctz(fs);
            if (whole || (mask[i] & ~cell_mask) == 0) {
                clear |= 1u << i;
                rw_cell_cas(cells, i, snap[i], 0);
                snap[i] = 0;
            }
        }
    }
    if (x)
        ext_check_unlocked(t, x, s);
    /* The re-read of step 3 (see the top of the file), inline for the
     * common case: nothing changed beside our cell (or what we cleared).
     * snap now holds what we left: our cell at `at`, 0 where we cleared
     * (check_changed skips both); all four are compared, without a branch
     * per cell (a check that stored over our cell since saw it in its
     * snapshot: check_changed skips `at`). */
    snap[at] = cell;
    if (rw_cells_changed(cells, snap, __ATOMIC_SEQ_CST))
        check_changed(t, cells, snap, clear, at, granule, 0, s);
    return 1;
}

/* The general check, when store_no_conflict could not store: retried
 * until its CAS holds (forced after RW_STORE_RETRIES). */
static __attribute__((noinline)) void check_general(rw_thread *t, rw_cell *cells,
                                                    uintptr_t granule, struct scan *s,
                                                    uintptr_t pc, uint64_t *op_pos)
{
    rw_full_checks++;
    for (int attempt = 0;; attempt++) {
        s->redundant = 0;
        if (check_and_store(t, cells, granule, s, pc, op_pos, attempt >= RW_STORE_RETRIES))
            break;
    }
}

static __attribute__((noinline)) void report_found(rw_thread *t, uintptr_t addr,
                                                   const struct scan *s_found, uintptr_t pc)
{
    struct scan fixed, *s = (struct scan *)s_found;
    const struct rw_open_read *o = t->held_read.storing ? &t->held_read : &t->open_read;
    unsigned both = s->race_old ? rw_cell_mask(s->race_old) & rw_cell_mask(s->probe) & o->mask
                                : rw_cell_mask(s->probe) & o->mask;
    if (__builtin_expect(o->storing, 0) && both && (addr & ~(uintptr_t)7) == o->granule) {
        /* The open read's store: the report names the read of the first
         * byte both touch, not the stored piece. */
        unsigned at = (unsigned)__builtin_ctz(both), bits = o->read_bits[at];
        fixed = *s;
        fixed.probe = (s->probe & ~((rw_cell)31 << RW_OFFSET_SHIFT)) |
                      (rw_cell)bits << RW_OFFSET_SHIFT;
        s = &fixed;
        addr = o->granule + (bits & 7);
        pc = o->pc[at];
    }
    if (s->race_old && rw_race_handler)
        rw_race_handler(t, addr, s->probe, s->race_old, pc);
    else if (s->freed_before != 0 && rw_use_after_free_handler)
        rw_use_after_free_handler(t, addr, s->probe, s->freed_before, pc);
}

/* The slow path of one granule, inlined into the entry points so that
 * the common stored access (store_no_conflict) runs in the caller's
 * frame, and the general check and the reports stay out of line.  kind =
 * sizelog | write << 2 | atomic << 3: the cell's bits 60..63 in that
 * order, so the probe is the slot, the offset and kind shifted in place.
 * whole: an aligned 8-byte access (a constant: each entry point holds
 * only the copies of the store it needs). */
static inline __attribute__((always_inline)) void
check_granule_slow(rw_thread *t, rw_cell *cells, uintptr_t addr, unsigned offset, unsigned kind,
                   uintptr_t pc, uint64_t *op_pos, const int whole)
{
    if (t->busy)
        return;
    t->busy = 1;
    rw_slow_checks++;
    _Static_assert(RW_SIZELOG_SHIFT == 60 && RW_WRITE_BIT == UINT64_C(1) << 62 &&
                       RW_ATOMIC_BIT == UINT64_C(1) << 63,
                   "kind is the cell's top four bits");
    uintptr_t granule = addr & ~(uintptr_t)7;
    struct scan s = { ((uint64_t)t->slot << RW_SLOT_SHIFT) |
                          ((uint64_t)offset << RW_OFFSET_SHIFT) | ((uint64_t)kind << RW_SIZELOG_SHIFT),
                      0, 0, 0, 0 };
    s.mask = whole ? 0xffu : rw_cell_mask(s.probe);
    if (!store_no_conflict(t, cells, granule, &s, pc, op_pos, whole))
        check_general(t, cells, granule, &s, pc, op_pos);
    if (__builtin_expect((s.race_old | s.freed_before) != 0, 0))
        report_found(t, granule + offset, &s, pc);
    t->busy = 0;
}

/* An atomic access's own store (rw_check_atomic): the granule holds
 * only our own cells and other slots' atomic accesses (a word that
 * threads only ever access atomically: a counter, a flag, a slot handed
 * over by release and acquire).  No such cell can race with an atomic
 * access (atomics never race with each other; our own never race with
 * us), so nothing is checked before the store: it answers the access
 * when one of our own cells makes it redundant, as the hot path does, or
 * stores it over our own cell that it dominates (its bytes or fewer,
 * atomic, a read if we read), by the protocol of the top of the file (a
 * CAS against the snapshot, the cells read again, any that changed
 * checked: stored_changed).  Returns 0 (nothing stored) for anything
 * else: a plain access's cell, a free's, a marker, no own cell to
 * replace, a CAS that found the granule changed; the general slow path
 * then decides.  whole: an aligned 8-byte access (a constant), which
 * contains every cell and is covered by an 8-byte cell only (no byte
 * mask is looked up). */
static __attribute__((noinline)) void stored_changed(rw_thread *t, rw_cell *cells,
                                                     const rw_cell *snap, int at,
                                                     uintptr_t addr, rw_cell probe, uintptr_t pc)
{
    uintptr_t granule = addr & ~(uintptr_t)7;
    struct scan s = { probe, rw_cell_mask(probe), 0, 0, 0 };
    check_changed(t, cells, snap, 0, at, granule, 0, &s);
    if (s.race_old | s.freed_before)
        report_found(t, addr, &s, pc);
}

static inline __attribute__((always_inline)) int
store_atomic_own(rw_thread *t, rw_cell *cells, uintptr_t addr, rw_cell probe, uintptr_t pc,
                 const int whole)
{
    rw_cell snap[RW_CELLS_PER_GRANULE];
    const uint64_t slot_bits = ((uint64_t)(RW_MAX_SLOTS - 1) << RW_SLOT_SHIFT) | RW_FREED_BIT;
    const uint64_t ours = (uint64_t)t->slot << RW_SLOT_SHIFT;
    const uint64_t last_release = t->last_release;
    const unsigned mask = whole ? 0xffu : rw_cell_mask(probe);
    int at = -1;
    rw_cells_load_all(cells, snap, __ATOMIC_RELAXED);
#pragma GCC unroll 4
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell c = snap[i];
        if (c == 0)
            continue;
        if ((c & slot_bits) != ours) {
            /* Another slot's: only an atomic access (not a free, not a
             * marker: neither has the atomic bit) is left alone. */
            if ((c & (RW_ATOMIC_BIT | RW_FREED_BIT)) != RW_ATOMIC_BIT)
                return 0;
            continue;
        }
        unsigned cmask = whole ? 0xffu : rw_cell_mask(c);
        const int covers = whole ? ((c >> RW_OFFSET_SHIFT) & 31) == 3u << 3
                                 : (mask & ~cmask) == 0;
        if (covers && rw_cell_clock(c) > last_release && rw_cell_dominates(c, probe))
            return 1; /* redundant */
        if (at < 0 && (whole || (cmask & ~mask) == 0) && rw_cell_dominates(probe, c))
            at = i;
    }
    if (at < 0)
        return 0;
    rw_thread_event(t, RW_EV_ACCESS, pc);
    rw_cell cell = probe | (t->pos & RW_CLOCK_MASK);
    if (!rw_cell_cas(cells, at, snap[at], cell))
        return 0; /* (the general path takes the next position) */
    rw_slow_checks++;
    /* The re-read (as store_no_conflict's). */
    snap[at] = cell;
    if (__builtin_expect(rw_cells_changed(cells, snap, __ATOMIC_SEQ_CST), 0))
        stored_changed(t, cells, snap, at, addr, probe, pc);
    return 1;
}

void rw_check_atomic(rw_thread *t, uintptr_t addr, unsigned sizelog, int write, uintptr_t pc)
{
    rw_cell *cells = rw_shadow_cells(addr);
    if (__builtin_expect(cells == NULL || t->busy, 0))
        return;
    unsigned offset = (unsigned)(addr & 7);
    rw_cell probe = rw_cell_make(t->slot, 0, offset, sizelog, write, 1);
    /* (busy: a signal handler's accesses meanwhile go unrecorded, as in
     * the slow path) */
    t->busy = 1;
    int done = sizelog == 3 && offset == 0 ? store_atomic_own(t, cells, addr, probe, pc, 1)
                                           : store_atomic_own(t, cells, addr, probe, pc, 0);
    t->busy = 0;
    if (!done) {
        uint64_t op_pos = 0;
        rw_check_granule_slow(t, cells, addr, offset, sizelog, write, 1, pc, &op_pos);
    }
}

/* Two granules' first cells in one locked instruction.  With planes, the
 * cell 0 of an even granule and of the next one are the two halves of an
 * aligned 16-byte word, and a range's common cases (a fresh granule, one
 * earlier access that happens before it: a buffer reused or handed back)
 * each store a granule's cell 0 by CAS.  On this project's machines a
 * locked compare-and-swap costs 18 ns in a loop over a buffer's shadow,
 * most of a range's time per granule (pigz -d, zstd -d, ocean's memsets),
 * and a 16-byte one (cmpxchg16b) 10 ns: the same protocol (the top of the
 * file: store by CAS against what was checked, then read the other cells
 * again) for both granules at once, as if both CASes had run at the same
 * instant.  Every other store into either cell (a CAS, or a free's fenced
 * plain store) comes before or after the locked instruction as a whole,
 * which holds the line for its duration: a CAS or store before it makes
 * it fail, one after it is seen by its re-read, as with one CAS. */
#if RW_SHADOW_PLANES && defined(__x86_64__)
#define RANGE_CAS_PAIRS 1
/* Does the processor have cmpxchg16b (CPUID 1, ECX bit 13)?  Set by a
 * constructor; 0 until then (a granule at a time). */
static int have_cas_pair;

__attribute__((constructor)) static void find_cas_pair(void)
{
    unsigned eax, ebx, ecx, edx;
    __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(1u), "c"(0u));
    have_cas_pair = (ecx >> 13) & 1;
}

/* cells[0] and cells[1] (16-byte aligned) from e0, e1 to v0, v1 if both
 * hold what was expected; sequentially consistent (a locked instruction). */
static inline __attribute__((always_inline)) int cas_pair(rw_cell *cells, rw_cell e0, rw_cell e1,
                                                          rw_cell v0, rw_cell v1)
{
    _Bool swapped;
    __asm__ volatile("lock cmpxchg16b %1"
                     : "=@ccz"(swapped), "+m"(*(unsigned __int128 *)(void *)cells), "+a"(e0),
                       "+d"(e1)
                     : "b"(v0), "c"(v1)
                     : "memory");
    return swapped;
}
#else
#define RANGE_CAS_PAIRS 0
#endif

/* The open read.
 *
 * A loop that reads a buffer a byte or an int at a time stored each read:
 * Phoenix linear_regression's char pairs made 8 stored accesses of every
 * granule (one per byte, each merged into the last), pca's ints 2 per
 * granule per epoch, about 350 instructions and a locked CAS each, three
 * quarters of linear_regression's time.  Instead, a plain read of 1, 2
 * or 4 bytes of a granule that holds no write, no free and no marker
 * (nothing such a read can race with, so the check is done) is not
 * stored at once: it opens the thread's open read, which keeps the
 * granule, its cells as seen, the bytes read, each byte's pc and the
 * latest read's pc.  Later plain reads of that granule only add their
 * bytes (open_read_add_more: its cells are not read; a change since the
 * open is the store's to find).  The bytes are stored,
 * as the fewest exact cells (run_pieces; one cell by
 * open_read_store_direct when it applies, else through the ordinary
 * stored access), at one trace event taken then for the latest read's pc
 * (every call, return, release and acquire stores the open read first,
 * so the stack is still the reads' own and no other thread can order
 * itself between the reads and the event: it is as good as the latest
 * read's own; the earlier reads' events were never a cell's position),
 * when the thread does anything else: a check of another granule or of
 * another kind, a range, a free, a release or an acquire, a call or a
 * return (so the current stack of a report made then is the reads' own;
 * the pc is the byte's read), its end, exit.
 *
 * No race is lost.  Nothing that changes what the slot knows or its
 * clock comes between the reads and their store (every release and
 * acquire stores it first: rw_enter, rw_thread_prepare_release,
 * rw_sync_acquire), so the store checks the bytes exactly as the reads
 * would have been checked one by one; another thread's access made
 * meanwhile is seen by the store or sees it (the store's CAS and re-read
 * order against that access's own, as any two stored accesses do).  A
 * race the store finds is reported with the read of the first byte both
 * touch: its address, size and pc (report_found), the current stack the
 * reads' own.  What changes is when such a race is found (at the store,
 * at the latest before the thread's next call, sync operation or exit)
 * and which of the two threads finds it. */
_Static_assert(RW_CELLS_PER_GRANULE <= 4, "the open read keeps at most 4 cells");

static int run_pieces(unsigned lo, unsigned hi, unsigned *off, unsigned *sizelog);

/* One more read in the open read: its bytes, and each byte's pc and read
 * (offset and size-log bits) for a report its store makes.  No trace
 * event: the store takes one, for the latest read's pc (nothing else
 * enters the trace before it: see above). */
static inline __attribute__((always_inline)) void
open_read_note(struct rw_open_read *o, unsigned bytes, unsigned offset, unsigned sizelog,
               uintptr_t pc)
{
    o->last_pc = pc;
    o->mask |= bytes;
    uintptr_t *p = &o->pc[offset];
    uint8_t *r = &o->read_bits[offset];
    const uint8_t bits = (uint8_t)(offset | sizelog << 3);
    switch (sizelog) {
    case 0:
        p[0] = pc;
        r[0] = bits;
        break;
    case 1:
        p[0] = p[1] = pc;
        r[0] = r[1] = bits;
        break;
    default: /* 2: the open read takes 1, 2 and 4 bytes */
        p[0] = p[1] = p[2] = p[3] = pc;
        r[0] = r[1] = r[2] = r[3] = bits;
        break;
    }
}

/* One more plain read of 1, 2 or 4 bytes of the open read's granule
 * (rw_check_access_slow, before anything else: not busy).  The granule's
 * cells are not looked at: whatever another thread stored there since the
 * open is found by the store (open_read_store_direct's CAS and re-read
 * against the cells seen at the open, or the piece-by-piece store's
 * check), with the same vector clock, since nothing that changes it comes
 * between the reads and their store; and a race found there with this
 * read's bytes names this read (each byte's latest pc). */
static inline __attribute__((always_inline)) void
open_read_add_more(rw_thread *t, unsigned offset, unsigned sizelog, uintptr_t pc)
{
    struct rw_open_read *o = &t->open_read;
    const unsigned bytes = rw_cell_mask_by_bits[offset | sizelog << 3];
    rw_slow_checks++;
    if ((bytes & ~o->mask) == 0 && o->pc[offset] == pc)
        return; /* the same read again: nothing new to keep */
    t->busy = 1;
    open_read_note(o, bytes, offset, sizelog, pc);
    t->busy = 0;
}

#if RANGE_CAS_PAIRS
/* *dst = *src in 16-byte moves (a structure copy was a rep movs). */
typedef uint64_t open_read_words __attribute__((vector_size(16), aligned(8), may_alias));
_Static_assert(sizeof(struct rw_open_read) % 16 == 0, "the open read copies in 16-byte words");
static inline __attribute__((always_inline)) void open_read_copy(struct rw_open_read *dst,
                                                                 const struct rw_open_read *src)
{
    open_read_words *d = (open_read_words *)(void *)dst;
    const open_read_words *s = (const open_read_words *)(const void *)src;
#pragma GCC unroll 8
    for (size_t i = 0; i < sizeof(*dst) / 16; i++)
        d[i] = s[i];
}
#endif

static inline int open_read_add(rw_thread *t, rw_cell *cells, uintptr_t addr, unsigned offset,
                                unsigned sizelog, uintptr_t pc)
{
    if (t->busy)
        return 0;
    struct rw_open_read *o = &t->open_read;
    rw_cell now[RW_CELLS_PER_GRANULE], any = 0;
    rw_cells_load_all(cells, now, __ATOMIC_RELAXED);
    const unsigned bytes = rw_cell_mask_by_bits[offset | sizelog << 3];
#pragma GCC unroll 4
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        any |= now[i];
    if (any & (RW_WRITE_BIT | RW_FREED_BIT))
        return 0;
#if RANGE_CAS_PAIRS
    /* The odd granule after an even one read whole: that one is held, to
     * be stored with this one (cells 16 bytes past an aligned pair's
     * first; "The open read's pair"). */
    if ((uintptr_t)cells == (uintptr_t)t->open_cells + sizeof(rw_cell) &&
        ((uintptr_t)cells & 15) == 8 && o->mask == 0xff && t->held_cells == NULL &&
        have_cas_pair) {
        t->busy = 1;
        open_read_copy(&t->held_read, o);
        t->held_cells = t->open_cells;
    } else
#endif
    {
        rw_open_read_flush(t); /* another granule's */
        t->busy = 1;
    }
    rw_slow_checks++;
    o->granule = addr & ~(uintptr_t)7;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        o->cells[i] = now[i];
    o->mask = 0;
    open_read_note(o, bytes, offset, sizelog, pc);
    t->open_cells = cells;
    t->busy = 0;
    return 1;
}

static inline int one_cell_bits(unsigned mask);

/* The cells changed since the open read's open, seen by the re-read
 * after its direct store: checked (stored_changed) with o storing, so
 * that a race found there names the read of the first byte both touch,
 * as the piece-by-piece store's reports do (report_found). */
static __attribute__((noinline)) void open_read_stored_changed(rw_thread *t, rw_cell *cells,
                                                               const rw_cell *now, int at,
                                                               struct rw_open_read *o,
                                                               unsigned bits, rw_cell probe)
{
    o->storing = 1;
    stored_changed(t, cells, now, at, o->granule + (bits & 7), probe, o->pc[bits & 7]);
    o->storing = 0;
}

/* The open read's store of its bytes when they are one cell (bits: its
 * offset | size-log << 3, the position op_pos), without
 * store_no_conflict: Phoenix pca's rows (two 4-byte reads of each
 * granule, every row a new epoch) stored 54 million such cells at about
 * 300 instructions each.  The cells seen at the open are the snapshot:
 * they hold no write, free or marker, so nothing among them can race with
 * the reads (checked at the open: no clock test is made here), and every
 * decision store_no_conflict would make is one of these, made alike:
 *
 *   - over our own older read inside the cell's bytes (from before our
 *     last release: our read of the granule in the previous epoch);
 *   - else over the first other slot's read inside them that happens
 *     before us (handed over);
 *   - else in the first empty cell, or, past plane 0, in a cell before it
 *     that the happens-before floor covers (floor_cell_before);
 *
 * and the other slots' reads inside the cell's bytes that happen before
 * us are cleared.  Anything else returns 0 (nothing stored) for the
 * ordinary store: a cell of ours since our last release (a buddy to merge
 * with, or one that makes the store redundant), a full granule or an
 * empty cell behind two others (dead-cell search), a CAS that failed (the
 * cell changed since the open).  The store is the protocol of the top of
 * the file, with the open's cells as its snapshot (no cell is loaded
 * before the CAS): a CAS against the snapshot, then the cells read again
 * and any that changed since the open checked (stored_changed: another
 * thread's write or free stored there meanwhile is concurrent with every
 * one of the reads, since no release or acquire came between them).
 * Tested by test_race_concurrent's entry_byte_write_and_open_reads (a
 * write made between the open and the store) and
 * entry_byte_write_and_open_reads_over_own_read (a write beside the
 * store's CAS: without the re-read, 2-5 of 100,000 rounds went
 * unreported).  The decision is open_read_cell_at's, the store
 * open_read_store_direct's (both below). */

/* open_read_store_direct's decision (above) for the bytes of bits over the
 * snapshot now: the cell's index, with handed_out the other slots' reads
 * to clear, or -1 for the ordinary store.  Shared with the pair's store
 * ("The open read's pair"). */
static inline __attribute__((always_inline)) int open_read_cell_at(const rw_thread *t,
                                                                   const rw_cell *now,
                                                                   unsigned bits,
                                                                   uint32_t *handed_out)
{
    const uint64_t slot_bits = ((uint64_t)(RW_MAX_SLOTS - 1) << RW_SLOT_SHIFT) | RW_FREED_BIT;
    const uint64_t ours = (uint64_t)t->slot << RW_SLOT_SHIFT;
    const uint64_t last_release = t->last_release;
    const unsigned piece = rw_cell_mask_by_bits[bits];
    int own_at = -1, empty = -1;
    uint32_t live = 0, handed = 0;
#pragma GCC unroll 4
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell c = now[i];
        if (c == 0) {
            if (empty < 0)
                empty = i;
            continue;
        }
        live |= 1u << i;
        const int inside = (rw_cell_mask(c) & ~piece) == 0;
        if ((c & slot_bits) == ours) {
            if (rw_cell_clock(c) > last_release)
                return -1;
            if (own_at < 0 && inside)
                own_at = i;
        } else if (inside && rw_cell_clock(c) <= rw_vclock_get(&t->vc, rw_cell_slot(c))) {
            handed |= 1u << i;
        }
    }
    int at = own_at >= 0 ? own_at : handed ? __builtin_ctz(handed) : empty;
    if (at > 0 && at == empty) {
        uint32_t before = live & ((1u << at) - 1);
        if (before & (before - 1))
            return -1;
        at = floor_cell_before(now, live, at);
    }
    *handed_out = handed;
    return at;
}

static inline __attribute__((always_inline)) int open_read_store_direct(rw_thread *t,
                                                                        rw_cell *cells,
                                                                        const struct rw_open_read *o,
                                                                        unsigned bits,
                                                                        uint64_t op_pos)
{
    rw_cell now[RW_CELLS_PER_GRANULE];
#pragma GCC unroll 4
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        now[i] = o->cells[i];
    const uint64_t ours = (uint64_t)t->slot << RW_SLOT_SHIFT;
    uint32_t handed = 0;
    int at = open_read_cell_at(t, now, bits, &handed);
    if (at < 0)
        return 0;
    const rw_cell probe = ours | (rw_cell)bits << RW_OFFSET_SHIFT;
    const rw_cell cell = probe | (op_pos & RW_CLOCK_MASK);
    if (!rw_cell_cas(cells, at, now[at], cell))
        return 0;
    rw_slow_checks++;
    if (__builtin_expect(rw_shadow_starts_prefault_block(cells), 0) && rw_snapshot_or(now) == 0)
        rw_shadow_prefault_next(o->granule);
    for (uint32_t h = handed & ~(1u << at); h; h &= h - 1) {
        int i = __builtin_ctz(h);
        rw_cell_cas(cells, i, now[i], 0);
        now[i] = 0;
    }
    now[at] = cell;
    if (__builtin_expect(rw_cells_changed(cells, now, __ATOMIC_SEQ_CST), 0))
        open_read_stored_changed(t, cells, now, at, (struct rw_open_read *)o, bits, probe);
    return 1;
}

/* The open read's store through the ordinary stored access, piece by
 * piece, out of line: rw_open_read_store's direct store then runs in a
 * frame of its own, without the spills of store_no_conflict's copies. */
static __attribute__((noinline)) void open_read_store_pieces(rw_thread *t, rw_cell *cells,
                                                             struct rw_open_read *o,
                                                             uint64_t op_pos)
{
    o->storing = 1;
    unsigned mask = o->mask;
    while (mask) {
        unsigned lo = (unsigned)__builtin_ctz(mask);
        unsigned hi = lo + (unsigned)__builtin_ctz(~(mask >> lo));
        mask &= ~(((1u << hi) - 1) & ~((1u << lo) - 1));
        unsigned off[4], sizelog[4];
        int n = run_pieces(lo, hi, off, sizelog);
        for (int p = 0; p < n; p++) {
            uintptr_t addr = o->granule + off[p];
            if (sizelog[p] == 3 && off[p] == 0)
                check_granule_slow(t, cells, addr, 0, 3, o->pc[0], &op_pos, 1);
            else
                check_granule_slow(t, cells, addr, off[p], sizelog[p], o->pc[off[p]], &op_pos, 0);
        }
    }
    o->storing = 0;
}

/* The open read's store through open_read_store_direct, else piece by
 * piece, at position op_pos (busy on entry, 0 on return). */
static inline __attribute__((always_inline)) void open_read_store_at(rw_thread *t, rw_cell *cells,
                                                                     struct rw_open_read *o,
                                                                     int bits, uint64_t op_pos)
{
    int done = bits >= 0 && open_read_store_direct(t, cells, o, (unsigned)bits, op_pos);
    t->busy = 0;
    if (!done)
        open_read_store_pieces(t, cells, o, op_pos);
}

/* One granule's open read stored, at an event of its own for its latest
 * read's pc (busy on entry, 0 on return). */
static inline __attribute__((always_inline)) void open_read_store_one(rw_thread *t, rw_cell *cells,
                                                                      struct rw_open_read *o)
{
    t->busy = 1;
    rw_thread_event(t, RW_EV_ACCESS, o->last_pc);
    unsigned mask = o->mask;
    /* (an 8-byte run, the common case, without the search) */
    open_read_store_at(t, cells, o, mask == 0xff ? 3 << 3 : one_cell_bits(mask), t->pos);
}

#if RANGE_CAS_PAIRS
/* The open read's pair.  Phoenix pca reads each row a granule at a time
 * (two 4-byte reads), every granule in a new epoch: each took an open, a
 * store of its own, a trace event and a locked CAS.  When the open read
 * of an even granule, all 8 bytes read, meets the first read of the next
 * granule, it is held (held_read, held_cells) instead of stored, and
 * the next granule's open read opens beside it; the next store of the
 * open read stores both.  When both decide the same cell (open_read_cell_at,
 * nothing handed over to clear), both cells go in by one cmpxchg16b
 * (with planes the cells i of the two granules are one aligned 16-byte
 * word: cas_pair), at one trace event when their latest reads share a
 * pc, then both granules' cells are read again and what changed checked,
 * as open_read_store_direct does for one.  Anything else stores them one
 * after the other as before, the held granule first.
 *
 * Sound as the open read is: holding a granule's reads across the open
 * of the next one changes nothing the store relies on (no release, no
 * acquire, no call or return comes between the reads and the store:
 * every one of them stores the open read, held granule and all), and
 * the pair's locked instruction is, for each of its two cells, the CAS
 * against the snapshot that the protocol at the top of the file asks
 * for (cas_pair). */
static inline __attribute__((always_inline)) int open_read_store_pair(rw_thread *t,
                                                                      rw_cell *cells,
                                                                      rw_cell *next)
{
    const struct rw_open_read *e = &t->held_read, *o = &t->open_read;
    const unsigned mask = o->mask;
    const int bits = mask == 0xff ? 3 << 3 : one_cell_bits(mask);
    uint32_t handed_e = 0, handed_o = 0;
    int at;
    if (bits < 0 || (at = open_read_cell_at(t, e->cells, 3 << 3, &handed_e)) < 0 ||
        open_read_cell_at(t, o->cells, (unsigned)bits, &handed_o) != at ||
        (handed_e | handed_o) != 0)
        return 0;
    rw_thread_event(t, RW_EV_ACCESS, e->last_pc);
    const uint64_t pos_e = t->pos;
    if (o->last_pc != e->last_pc)
        rw_thread_event(t, RW_EV_ACCESS, o->last_pc);
    const uint64_t pos_o = t->pos;
    const rw_cell ours = (uint64_t)t->slot << RW_SLOT_SHIFT;
    const rw_cell probe_e = ours | (rw_cell)(3 << 3) << RW_OFFSET_SHIFT;
    const rw_cell probe_o = ours | (rw_cell)bits << RW_OFFSET_SHIFT;
    const rw_cell cell_e = probe_e | (pos_e & RW_CLOCK_MASK);
    const rw_cell cell_o = probe_o | (pos_o & RW_CLOCK_MASK);
    rw_plane_mark(cells, at); /* (both granules' flag: one 4 KiB page of plane 0) */
    if (!cas_pair(RW_CELL_AT(cells, at), e->cells[at], o->cells[at], cell_e, cell_o)) {
        /* One of the two changed since its open: each on its own. */
        open_read_store_at(t, cells, &t->held_read, 3 << 3, pos_e);
        t->busy = 1;
        open_read_store_at(t, next, &t->open_read, bits, pos_o);
        return 1;
    }
    rw_slow_checks += 2;
    if (__builtin_expect(rw_shadow_starts_prefault_block(cells), 0) && rw_snapshot_or(e->cells) == 0)
        rw_shadow_prefault_next(e->granule);
    rw_cell now_e[RW_CELLS_PER_GRANULE], now_o[RW_CELLS_PER_GRANULE];
#pragma GCC unroll 4
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        now_e[i] = e->cells[i];
        now_o[i] = o->cells[i];
    }
    now_e[at] = cell_e;
    now_o[at] = cell_o;
    if (__builtin_expect(rw_cells_changed(cells, now_e, __ATOMIC_SEQ_CST), 0))
        open_read_stored_changed(t, cells, now_e, at, &t->held_read, 3 << 3, probe_e);
    if (__builtin_expect(rw_cells_changed(next, now_o, __ATOMIC_SEQ_CST), 0))
        open_read_stored_changed(t, next, now_o, at, &t->open_read, (unsigned)bits, probe_o);
    t->busy = 0;
    return 1;
}

/* rw_open_read_store with a held granule: the pair, else one after the
 * other (busy on entry). */
static __attribute__((noinline)) void open_read_store_held(rw_thread *t, rw_cell *held,
                                                           rw_cell *cells)
{
    if (open_read_store_pair(t, held, cells))
        return;
    open_read_store_one(t, held, &t->held_read);
    open_read_store_one(t, cells, &t->open_read);
}
#endif

/* rw_open_read_store of one granule, out of line: the dispatch below
 * then saves no registers for the pair, which would pay for them before
 * its tail call (6 pushes and pops). */
static __attribute__((noinline)) void open_read_store_single(rw_thread *t, rw_cell *cells)
{
    open_read_store_one(t, cells, &t->open_read);
}

void rw_open_read_store(rw_thread *t)
{
    rw_cell *cells = t->open_cells;
    if (!cells || t->busy)
        return;
    t->busy = 1;
    t->open_cells = NULL;
#if RANGE_CAS_PAIRS
    rw_cell *held = t->held_cells;
    if (held) {
        t->held_cells = NULL;
        open_read_store_held(t, held, cells);
        return;
    }
#endif
    open_read_store_single(t, cells);
}

/* At exit, the open reads of the threads the exit will end.  Such a
 * thread made plain reads it has not stored (it has called nothing and
 * reached no other check since) and will never store them; a write or a
 * free of those bytes that another thread made after it looked (the
 * exiting thread's, typically, just before exit) has not seen them
 * either.  Each cell of its granule that changed since it looked, of
 * another slot, a write or a free of a byte it read, is such an access,
 * and races with its reads with no clock test (see "The open read": it
 * has not released since, and the cell was not there when it looked).
 * Reported on the reader's behalf: the reader's call stack is its shadow
 * stack as it is now, the reads' own.  Best effort: the reader runs on
 * meanwhile, and one inside a check (busy) is left alone. */
static void open_read_check_at_exit(rw_thread *t, const rw_cell *cells,
                                    const struct rw_open_read *o)
{
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell v = rw_cell_load(cells, i, __ATOMIC_SEQ_CST);
        unsigned both = v ? rw_cell_mask(v) & o->mask : 0;
        if (v == o->cells[i] || !both || is_marker(v) || rw_cell_slot(v) == t->slot ||
            !(v & (RW_WRITE_BIT | RW_FREED_BIT)))
            continue;
        unsigned at = (unsigned)__builtin_ctz(both), bits = o->read_bits[at];
        rw_race_handler(t, o->granule + (bits & 7),
                        rw_cell_make(t->slot, t->pos, bits & 7, bits >> 3, 0, 0), v, o->pc[at]);
        return;
    }
}

void rw_open_reads_check_at_exit(rw_thread *self)
{
    if (!rw_race_handler)
        return;
    rw_thread *t;
    for (uint32_t slot = 0; (t = rw_thread_next_other_idle(self, &slot));) {
        rw_cell *cells = __atomic_load_n(&t->open_cells, __ATOMIC_ACQUIRE);
        if (!cells)
            continue;
        /* (the held granule, the pair's first: race_check.c, "The open
         * read's pair") */
        rw_cell *held = __atomic_load_n(&t->held_cells, __ATOMIC_ACQUIRE);
        if (held)
            open_read_check_at_exit(t, held, &t->held_read);
        open_read_check_at_exit(t, cells, &t->open_read);
    }
}

/* An aligned 8-byte access (SPLASH-3's doubles) has its own copy of the
 * store: no byte masks, no buddies.  (Size-log 3 at an offset is a
 * range's suffix piece.) */
static inline int is_whole(unsigned offset, unsigned kind)
{
    return (kind & 3) == 3 && offset == 0;
}

void rw_check_granule_slow(rw_thread *t, rw_cell *cells, uintptr_t addr, unsigned offset,
                           unsigned sizelog, int write, int atomic, uintptr_t pc,
                           uint64_t *op_pos)
{
    rw_open_read_flush(t);
    unsigned kind = sizelog | (unsigned)write << 2 | (unsigned)atomic << 3;
    if (is_whole(offset, kind))
        check_granule_slow(t, cells, addr, 0, kind, pc, op_pos, 1);
    else
        check_granule_slow(t, cells, addr, offset, kind, pc, op_pos, 0);
}

/* The 8-byte access's general slow path: the open read stored first, then
 * store_no_conflict's 8-byte copy, else the general check.  op_pos: the
 * trace position store_word_own took before its CAS failed, or 0. */
static __attribute__((noinline)) void check_word_general(rw_thread *t, rw_cell *cells,
                                                         uintptr_t addr, unsigned kind,
                                                         uintptr_t pc, uint64_t op_pos)
{
    rw_open_read_flush(t);
    if (!cells && !(cells = rw_shadow_cells(addr)))
        return;
    check_granule_slow(t, cells, addr, 0, (kind & 12) | 3, pc, &op_pos, 1);
}

/* store_word_own's rare ends, out of line (so that its common end saves
 * few registers): the next shadow block prefaulted (a store into a
 * block's first, empty granule), the cells that changed since the
 * snapshot checked (s0 and s1: cells 0 and 1 as we left them, our stored
 * cell at `at`; cells 2 and 3 were empty), the floor's refresh for a store
 * past plane 0 (as floor_cell_before), and the busy flag dropped.  what:
 * bit 0 prefault, bit 1 changed, bit 2 refresh, at << 4. */
static __attribute__((noinline)) void store_word_own_rare(rw_thread *t, rw_cell *cells,
                                                          uintptr_t granule, uintptr_t pc,
                                                          rw_cell s0, rw_cell s1, unsigned what)
{
    rw_cell snap[RW_CELLS_PER_GRANULE] = { s0, s1 };
    int at = (int)(what >> 4);
    if (what & 1)
        rw_shadow_prefault_next(granule);
    if (what & 2)
        stored_changed(t, cells, snap, at, granule, snap[at] & ~RW_CLOCK_MASK, pc);
    t->busy = 0;
    if (what & 4)
        rw_hb_floor_refresh_for_plane();
}

/* Cells 2 and 3 of a granule (0 when both are empty), loaded with order;
 * with planes, only when the flag word says a plane past 1 is in use. */
static inline __attribute__((always_inline)) rw_cell cells_past_two(const rw_cell *cells,
                                                                    uint32_t planes, int order)
{
    rw_cell rest = 0;
#if RW_SHADOW_PLANES
    if (__builtin_expect((planes >> 16) == 0, 1))
        return 0;
#else
    (void)planes;
#endif
    for (int i = 2; i < RW_CELLS_PER_GRANULE; i++)
        rest |= rw_cell_load(cells, i, order);
    return rest;
}

/* The stored 8-byte access's dominant case, straight-line: a plain,
 * aligned 8-byte access to a granule whose cells 0 and 1 are empty or our
 * own accesses (not a free's) and whose other cells are empty (SPLASH-3
 * ocean and barnes: a read beside our own older write and read, a write
 * over our own older read; 99% of ocean's stored accesses, see
 * docs/design.md).  No cell can race with it (only ours are there), so
 * nothing is checked before the store; the place is the one
 * store_no_conflict's 8-byte copy chooses for such a granule (our own
 * cell from before our last release that the access dominates, else one
 * since, else cell 0 if empty, else cell 0 when the happens-before floor
 * covers it, else cell 1), and the store is the protocol of the top of
 * the file: a CAS against the snapshot, then every cell read again and
 * any that changed checked (store_word_own_rare).  Returns 1 when done
 * (stored, or redundant: an own 8-byte cell since our last release at
 * least as strong), 0 when the granule holds anything else or the CAS
 * failed (*op_pos then holds the position taken): the general path
 * decides. */
static inline __attribute__((always_inline)) int
store_word_own(rw_thread *t, rw_cell *cells, uintptr_t addr, unsigned kind, uintptr_t pc,
               uint64_t *op_pos)
{
    const uint64_t owner_bits = ((uint64_t)(RW_MAX_SLOTS - 1) << RW_SLOT_SHIFT) | RW_FREED_BIT;
    const uint64_t ours = (uint64_t)t->slot << RW_SLOT_SHIFT;
    const int write = (kind & 4) != 0;
    /* (busy before the snapshot, as check_granule_slow: a signal
     * handler's accesses meanwhile go unrecorded) */
    t->busy = 1;
#if RW_SHADOW_PLANES
    uint32_t planes = rw_plane_flags_word(cells, __ATOMIC_RELAXED);
    rw_cell c0 = __atomic_load_n(cells, __ATOMIC_RELAXED);
    rw_cell c1 = (planes & 0xff00) ? __atomic_load_n(RW_CELL_AT(cells, 1), __ATOMIC_RELAXED) : 0;
#else
    uint32_t planes = 0;
    rw_cell c0 = __atomic_load_n(cells, __ATOMIC_RELAXED);
    rw_cell c1 = __atomic_load_n(RW_CELL_AT(cells, 1), __ATOMIC_RELAXED);
#endif
    if ((c0 != 0 && (c0 & owner_bits) != ours) || (c1 != 0 && (c1 & owner_bits) != ours) ||
        cells_past_two(cells, planes, __ATOMIC_RELAXED) != 0)
        goto general;
    {
        const uint64_t last_release = t->last_release;
        /* Ours, so no free and no marker: the kind bits decide.
         * Dominated by the access: a read if we read (any if we write),
         * plain.  Making it redundant: an 8-byte cell, plain, a write if
         * we write (as store_no_conflict answers it). */
        const uint64_t not_dominated = write ? RW_ATOMIC_BIT : RW_WRITE_BIT | RW_ATOMIC_BIT;
        const uint64_t redundant_bits = ((uint64_t)31 << RW_OFFSET_SHIFT) | RW_ATOMIC_BIT |
                                        (write ? RW_WRITE_BIT : 0);
        const uint64_t redundant_value = ((uint64_t)3 << RW_SIZELOG_SHIFT) |
                                         (write ? RW_WRITE_BIT : 0);
        const int cur0 = rw_cell_clock(c0) > last_release, cur1 = rw_cell_clock(c1) > last_release;
        if ((cur0 && (c0 & redundant_bits) == redundant_value) ||
            (cur1 && (c1 & redundant_bits) == redundant_value)) {
            /* (an empty cell's clock 0 is never above last_release) */
            rw_slow_checks++;
            t->busy = 0;
            return 1;
        }
        const int dom0 = c0 != 0 && !(c0 & not_dominated);
        const int dom1 = c1 != 0 && !(c1 & not_dominated);
        unsigned what = 0;
        int at;
        if (dom0 && !cur0)
            at = 0;
        else if (dom1 && !cur1)
            at = 1;
        else if (dom0)
            at = 0;
        else if (dom1)
            at = 1;
        else if (c0 == 0)
            at = 0;
        else if (c1 != 0)
            goto general;
#if RW_SHADOW_PLANES
        else if (rw_hb_floor_covers(c0))
            at = 0;
        else {
            at = 1;
            what = 4;
        }
#else
        else
            at = 1;
#endif
        rw_slow_checks++;
        if (*op_pos == 0) {
            rw_thread_event(t, RW_EV_ACCESS, pc);
            *op_pos = t->pos;
        }
        const rw_cell cell = ours | (uint64_t)((kind & 4) | 3) << RW_SIZELOG_SHIFT |
                             (*op_pos & RW_CLOCK_MASK);
        if (!rw_cell_cas(cells, at, at ? c1 : c0, cell))
            goto general;
        if (__builtin_expect(rw_shadow_starts_prefault_block(cells), 0) && (c0 | c1) == 0)
            what |= 1;
        if (at)
            c1 = cell;
        else
            c0 = cell;
        /* The re-read (see the top of the file). */
#if RW_SHADOW_PLANES
        uint32_t planes_now = rw_plane_flags_word(cells, __ATOMIC_SEQ_CST);
        rw_cell n0 = __atomic_load_n(cells, __ATOMIC_SEQ_CST);
        rw_cell n1 = (planes_now & 0xff00) ? __atomic_load_n(RW_CELL_AT(cells, 1), __ATOMIC_SEQ_CST)
                                           : 0;
#else
        uint32_t planes_now = 0;
        rw_cell n0 = __atomic_load_n(cells, __ATOMIC_SEQ_CST);
        rw_cell n1 = __atomic_load_n(RW_CELL_AT(cells, 1), __ATOMIC_SEQ_CST);
#endif
        if ((n0 ^ c0) | (n1 ^ c1) | cells_past_two(cells, planes_now, __ATOMIC_SEQ_CST))
            what |= 2;
        if (__builtin_expect(what != 0, 0)) {
            store_word_own_rare(t, cells, addr & ~(uintptr_t)7, pc, c0, c1,
                                what | (unsigned)at << 4);
            return 1;
        }
        t->busy = 0;
        return 1;
    }
general:
    t->busy = 0;
    return 0;
}

void rw_check_word_slow(rw_thread *t, rw_cell *cells, uintptr_t addr, unsigned kind, uintptr_t pc)
{
    uint64_t op_pos = 0;
    if (__builtin_expect(cells != NULL && t->open_cells == NULL && !t->busy && !(kind & 8), 1) &&
        store_word_own(t, cells, addr, kind, pc, &op_pos))
        return;
    check_word_general(t, cells, addr, kind, pc, op_pos);
}

/* rw_check_access_slow's stored access, out of line: the open read's
 * add (most of pca's and linear_regression's slow reads) then runs in a
 * small frame, without the stored access's registers saved and restored
 * (callgrind, pca -r 150: 20 of its instructions a call). */
static __attribute__((noinline)) void check_access_store(rw_thread *t, rw_cell *cells,
                                                         uintptr_t addr, unsigned offset,
                                                         unsigned kind, uintptr_t pc)
{
    rw_open_read_flush(t);
    uint64_t op_pos = 0;
    check_granule_slow(t, cells, addr, offset, kind & 15, pc, &op_pos, 0);
}

/* rw_check_access_slow past the open read's add, out of line: the add
 * (every second read of a granule in pca's rows) then runs without the
 * open's and the store's registers saved and restored (callgrind, pca
 * -r 150: 19 of its instructions the frame). */
static __attribute__((noinline)) void check_access_open_or_store(rw_thread *t, rw_cell *cells,
                                                                 uintptr_t addr, unsigned kind,
                                                                 uintptr_t pc)
{
    unsigned offset = (unsigned)(addr & 7);
    if (is_whole(offset, kind)) {
        rw_check_word_slow(t, cells, addr, kind, pc);
        return;
    }
    if (!cells && !(cells = rw_shadow_cells(addr)))
        return;
    if ((kind & 12) == 0 && open_read_add(t, cells, addr, offset, kind & 3, pc))
        return;
    check_access_store(t, cells, addr, offset, kind, pc);
}

/* The entry points' add, one copy per size (the note unrolled for it). */
static inline __attribute__((always_inline)) void open_read_add_at(rw_thread *t, uintptr_t addr,
                                                                   unsigned sizelog, uintptr_t pc)
{
    if (__builtin_expect(t->open_cells != NULL && !t->busy, 1))
        open_read_add_more(t, (unsigned)(addr & 7), sizelog, pc);
    else /* (a signal handler's read while the thread is inside a check) */
        rw_check_access_slow(t, NULL, addr, sizelog, pc);
}

void rw_open_read_add1(rw_thread *t, uintptr_t addr, uintptr_t pc)
{
    open_read_add_at(t, addr, 0, pc);
}

void rw_open_read_add2(rw_thread *t, uintptr_t addr, uintptr_t pc)
{
    open_read_add_at(t, addr, 1, pc);
}

void rw_open_read_add4(rw_thread *t, uintptr_t addr, uintptr_t pc)
{
    open_read_add_at(t, addr, 2, pc);
}

void rw_check_access_slow(rw_thread *t, rw_cell *cells, uintptr_t addr, unsigned kind,
                          uintptr_t pc)
{
    if (cells == t->open_cells && cells && (kind & 15) < 3 && !t->busy)
        open_read_add_more(t, (unsigned)(addr & 7), kind & 3, pc);
    else
        check_access_open_or_store(t, cells, addr, kind, pc);
}

/* After a range fill's CAS into cell `at` of a granule that held at most
 * c0 in cell 0 and nothing else: did another check store beside it? */
static inline int others_since(rw_cell *cells, int at, rw_cell c0)
{
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        if (i == at)
            continue;
        rw_cell v = rw_cell_load(cells, i, __ATOMIC_SEQ_CST);
        if (v != (i == 0 ? c0 : 0))
            return 1;
    }
    return 0;
}

/* One piece of a range that fits in a granule: the largest naturally
 * placed power of two. */
static uintptr_t check_piece(rw_thread *t, uintptr_t addr, uintptr_t end, int write, int atomic,
                             uintptr_t pc, uint64_t *op_pos)
{
    unsigned off = (unsigned)(addr & 7);
    size_t left = end - addr;
    unsigned sizelog;
    if (off == 0 && left >= 8)
        sizelog = 3;
    else if ((off & 3) == 0 && left >= 4)
        sizelog = 2;
    else if ((off & 1) == 0 && left >= 2)
        sizelog = 1;
    else
        sizelog = 0;
    rw_check_granule(t, addr, sizelog, write, atomic, pc, op_pos);
    return addr + ((uintptr_t)1 << sizelog);
}

/* The cells fill_run stores for the bytes [lo, hi) of one granule
 * (0 <= lo < hi <= 8): the fewest cells whose bytes (rw_cell_mask_by_bits,
 * which has 1-, 2- and 4-byte cells at any offset and every suffix of the
 * granule) are exactly the run's, without overlap: one for a run of 1, 2
 * or 4 bytes (encoded as an access of that size would be) or a suffix
 * [lo, 8), two for 3, 5 or 6 bytes (2 + 1, 4 + 1, 4 + 2), three for
 * [0, 7) only.  Piece i at off[i], of size-log
 * bits sizelog[i] (3 with an offset: the suffix).  Until December 6 the
 * pieces were the naturally placed blocks (up to 4: [1, 8) was 1 + 2 +
 * 4 bytes), and a decoder's 2-16 byte copies filled a granule's four
 * cells with them. */
static int run_pieces(unsigned lo, unsigned hi, unsigned *off, unsigned *sizelog)
{
    int n = 0;
    while (lo < hi) {
        unsigned left = hi - lo, sl;
        if ((left & (left - 1)) == 0 && left < 8)
            sl = (unsigned)__builtin_ctz(left); /* 1, 2 or 4 bytes: as an access of that size */
        else if (hi == 8)
            sl = 3;
        else if (left >= 4)
            sl = 2;
        else if (left >= 2)
            sl = 1;
        else
            sl = 0;
        off[n] = lo;
        sizelog[n++] = sl;
        lo += sl == 3 ? left : 1u << sl;
    }
    return n;
}

/* Our cells (own) that a newer own cell covers, at least as strong: dead
 * (see dead_cells); of two equal ones, the later in the granule. */
static uint32_t dead_own_cells(const rw_cell *snap, uint32_t own)
{
    /* Each cell's bytes and clock once, not once per pair (xz -d's
     * dictionary asks this of full granules 245,000 times for 4 MB). */
    unsigned mask[RW_CELLS_PER_GRANULE];
    uint64_t clock[RW_CELLS_PER_GRANULE];
    for (uint32_t ds = own; ds; ds &= ds - 1) {
        int i = __builtin_ctz(ds);
        mask[i] = rw_cell_mask(snap[i]);
        clock[i] = rw_cell_clock(snap[i]);
    }
    uint32_t dead = 0;
    for (uint32_t ds = own; ds; ds &= ds - 1) {
        int i = __builtin_ctz(ds);
        rw_cell d = snap[i];
        for (uint32_t es = own & ~(1u << i); es; es &= es - 1) {
            int j = __builtin_ctz(es);
            if ((clock[j] > clock[i] || (clock[j] == clock[i] && j < i)) &&
                (mask[i] & ~mask[j]) == 0 && rw_cell_dominates(snap[j], d)) {
                dead |= 1u << i;
                break;
            }
        }
    }
    return dead;
}

/* A full granule's cell that fill_run may store over, none of those in
 * used: in a granule of our own cells only, a dead one (a newer own cell
 * covers its bytes and is at least as strong: see dead_cells), else our
 * oldest that the run's check did not count as covering it, which is
 * what the general check evicts there (check_and_store), counted alike.
 * A granule that other threads' cells share is left to the general
 * check.  -1: none.  *dead: the dead cells, found on the first call of a
 * fill (UINT32_MAX until then): a run of several pieces asks once per
 * piece, and the answer depends on the snapshot only. */
static int spare_cell(const rw_cell *snap, uint32_t used, uint32_t own, uint32_t covering,
                      int foreign, uint32_t *dead)
{
    if (foreign)
        return -1;
    if (*dead == UINT32_MAX)
        *dead = dead_own_cells(snap, own);
    if (*dead & ~used)
        return __builtin_ctz(*dead & ~used);
    int oldest = -1;
    for (uint32_t o = own & ~covering & ~used; o; o &= o - 1) {
        int i = __builtin_ctz(o);
        if (oldest < 0 || rw_cell_clock(snap[i]) < rw_cell_clock(snap[oldest]))
            oldest = i;
    }
    if (oldest >= 0)
        rw_stats.evictions++;
    return oldest;
}

/* fill_run's result for a whole granule every cell of which it may
 * replace (ours, or another thread's that happens before us, each no
 * stronger than the run): the run's cell over the first of them, the
 * others cleared, by CAS against the snapshot, then the cells read again;
 * if anything changed, the general check.  The handed-back buffer's
 * common case (our older write and the reader's read that happens before
 * us), without the piece bookkeeping of the general fill. */
static int fill_granule_over(rw_thread *t, rw_cell *cells, uintptr_t granule,
                             const rw_cell *snap, uint32_t replaceable, int write, int atomic,
                             uintptr_t pc, uint64_t *op_pos)
{
    if (*op_pos == 0) {
        rw_thread_event(t, RW_EV_ACCESS, pc);
        *op_pos = t->pos;
    }
    int at = __builtin_ctz(replaceable);
    rw_cell value = rw_cell_make(t->slot, *op_pos & RW_CLOCK_MASK, 0, 3, write, atomic);
    int again = !rw_cell_cas(cells, at, snap[at], value);
    for (uint32_t r = replaceable & ~(1u << at); r && !again; r &= r - 1) {
        int i = __builtin_ctz(r);
        if (!rw_cell_cas(cells, i, snap[i], 0))
            again = 1;
    }
    for (int i = 0; i < RW_CELLS_PER_GRANULE && !again; i++)
        if (rw_cell_load(cells, i, __ATOMIC_SEQ_CST) != (i == at ? value : 0))
            again = 1;
    if (again)
        rw_check_granule_slow(t, cells, granule, 0, 3, write, atomic, pc, op_pos);
    return 1;
}

/* The offset | size-log bits << 3 of the one cell whose bytes are exactly
 * mask (rw_cell_mask_by_bits: 1, 2 or 4 bytes at any offset, or a suffix
 * of the granule), or -1 when no cell has them (not contiguous, or 3, 5,
 * 6 or 7 bytes that do not end the granule). */
static inline __attribute__((always_inline)) int one_cell_bits(unsigned mask)
{
    unsigned lo = (unsigned)__builtin_ctz(mask);
    unsigned hi = 32u - (unsigned)__builtin_clz(mask);
    if (mask != ((0xffu >> (8 - hi)) & (0xffu << lo)))
        return -1;
    unsigned len = hi - lo;
    if ((len & (len - 1)) == 0 && len < 8)
        return (int)(lo | (unsigned)__builtin_ctz(len) << 3);
    return hi == 8 ? (int)(lo | 3u << 3) : -1;
}

/* fill_run's run [lo, hi) beside or over one of our cells of this epoch
 * (covering: stored since our last release, in the snapshot) of the same
 * kind, when the union of their bytes is one cell: that cell becomes the
 * union, with the run's clock; cells inside the union that the new cell
 * makes redundant (replaceable ones, and our own of this epoch it
 * dominates) are cleared.  By CAS against the snapshot, then the cells
 * read again; if anything changed, the run's pieces go to the general
 * check.  A decoder copies match after match into its window (xz -d: 2.5
 * million of 15 million fills were such a neighbour): each became one more
 * cell, the granule's four filled, and the next ones evicted.
 *
 * Exact for races: no release lies between the two clocks, so every other
 * thread's clock of us is below both or above both; the older bytes only
 * name the newer call's stack in a report (as merge_buddies does).
 * Returns 1 when done, 0 when no cell of ours can take the run. */
static int merge_own_run(rw_thread *t, rw_cell *cells, uintptr_t granule, const rw_cell *snap,
                         uint32_t covering, uint32_t replaceable, unsigned lo, unsigned hi,
                         int write, int atomic, uintptr_t pc, uint64_t *op_pos)
{
    const uint64_t kind_bits = (write ? RW_WRITE_BIT : 0) | (atomic ? RW_ATOMIC_BIT : 0);
    const unsigned run = (0xffu >> (8 - hi)) & (0xffu << lo);
    int at = -1, bits = -1;
    for (uint32_t c = covering; c; c &= c - 1) {
        int i = __builtin_ctz(c);
        if ((snap[i] & (RW_WRITE_BIT | RW_ATOMIC_BIT)) != kind_bits)
            continue;
        if ((bits = one_cell_bits(rw_cell_mask(snap[i]) | run)) >= 0) {
            at = i;
            break;
        }
    }
    if (at < 0)
        return 0;
    if (*op_pos == 0) {
        rw_thread_event(t, RW_EV_ACCESS, pc);
        *op_pos = t->pos;
    }
    rw_cell value = rw_cell_make(t->slot, *op_pos & RW_CLOCK_MASK, (unsigned)bits & 7,
                                 (unsigned)bits >> 3, write, atomic);
    unsigned merged = rw_cell_mask(value);
    uint32_t clear = 0;
    for (uint32_t r = (replaceable | covering) & ~(1u << at); r; r &= r - 1) {
        int i = __builtin_ctz(r);
        if ((rw_cell_mask(snap[i]) & ~merged) == 0 &&
            ((replaceable & (1u << i)) || rw_cell_dominates(value, snap[i])))
            clear |= 1u << i;
    }
    int again = !rw_cell_cas(cells, at, snap[at], value);
    for (uint32_t r = clear; r && !again; r &= r - 1) {
        int i = __builtin_ctz(r);
        if (!rw_cell_cas(cells, i, snap[i], 0))
            again = 1;
    }
    for (int i = 0; i < RW_CELLS_PER_GRANULE && !again; i++) {
        rw_cell expect = i == at ? value : (clear & (1u << i)) ? 0 : snap[i];
        if (rw_cell_load(cells, i, __ATOMIC_SEQ_CST) != expect)
            again = 1;
    }
    if (again) {
        unsigned off[4], sizelog[4];
        int n = run_pieces(lo, hi, off, sizelog);
        for (int p = 0; p < n; p++)
            rw_check_granule_slow(t, cells, granule + off[p], off[p], sizelog[p], write, atomic,
                                  pc, op_pos);
    }
    return 1;
}

/* What a granule's snapshot holds for a run of bytes (the mask run) of
 * a plain or atomic access of thread t (fill_run, short_granule): cover,
 * the bytes our own cells of this epoch cover at least as strongly; the
 * cells that are empty, ours, covering, and replaceable (inside the run,
 * no stronger than it, and ours or another slot's that happens before
 * us; a covering cell may be one too); whether another slot has a cell.
 * Returns 0 when the general check must decide: a free, an extension's
 * marker, or a cell that races with the run (which it reports). */
struct run_cells {
    unsigned cover;
    uint32_t empty, replaceable, own, covering;
    int foreign;
};

static inline __attribute__((always_inline)) int
classify_run_cells(const rw_thread *t, const rw_cell *snap, unsigned run, int write, int atomic,
                   struct run_cells *rc)
{
    const uint64_t foreign_bits = ((uint64_t)(RW_MAX_SLOTS - 1) << RW_SLOT_SHIFT) | RW_FREED_BIT;
    const uint64_t ours = (uint64_t)t->slot << RW_SLOT_SHIFT;
    const rw_cell kind = rw_cell_make(t->slot, 0, 0, 3, write, atomic);
    *rc = (struct run_cells){ 0, 0, 0, 0, 0, 0 };
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell c = snap[i];
        if (c == 0) {
            rc->empty |= 1u << i;
            continue;
        }
        unsigned mask = rw_cell_mask(c);
        if ((c & foreign_bits) == ours) {
            rc->own |= 1u << i;
            if (rw_cell_clock(c) > t->last_release && rw_cell_dominates(c, kind)) {
                rc->cover |= mask;
                rc->covering |= 1u << i;
            }
        } else {
            if (is_marker(c) || rw_cell_is_freed(c))
                return 0;
            rc->foreign = 1;
            if (rw_cell_clock(c) > rw_vclock_get(&t->vc, rw_cell_slot(c))) {
                if ((mask & run) && (write || rw_cell_is_write(c)) &&
                    !(atomic && rw_cell_is_atomic(c)))
                    return 0; /* a race: the general check reports it */
                continue;     /* another reader's cell, kept */
            }
        }
        if ((mask & ~run) == 0 && rw_cell_dominates(kind, c))
            rc->replaceable |= 1u << i;
    }
    return 1;
}

/* The range fill's store of the bytes [lo, hi) of one granule without the
 * general check, in one look at the granule's cells: the common cases of
 * a buffer reused across epochs (a decoder's dictionary, an I/O buffer
 * another thread read or wrote before handing it back), where every cell
 * is empty, ours, or another thread's that cannot race with the range
 * (it happens before us, or both read).
 *
 * The pieces of the run (run_pieces) that the own cells stored since our
 * last release do not already cover, together, at least as strong, are
 * stored: each over a cell inside its bytes that it makes redundant (it
 * happens before us and is no stronger), as the general check does, else
 * in an empty cell; further such cells inside a stored piece are cleared.
 * Covered by several own cells rather than one is as good as the fast
 * path's single cell: every later access that conflicts with the range
 * conflicts with one of them, ordered alike (no release lies between).
 * Each store and clear is a CAS against the one snapshot, then the cells
 * are read again (the protocol at the top of the file); if anything
 * changed, or a CAS failed, each stored piece is checked again by the
 * general path, which sees every cell as it is then.
 *
 * Returns 1 when done, 0 when nothing was stored because the general
 * check must decide: a cell that races with the run (it reports), a free
 * (use after free) or an extension's marker, no room without evicting
 * (dead cells, buddies, extensions are its business). */
static int fill_run(rw_thread *t, rw_cell *cells, uintptr_t granule, unsigned lo, unsigned hi,
                    int write, int atomic, uintptr_t pc, uint64_t *op_pos)
{
    if (t->busy)
        return 0;
    /* An empty granule and a run that is one cell (1, 2 or 4 bytes, or a
     * suffix): that cell by CAS into cell 0, then the others read again,
     * as rw_check_range stores a whole fresh granule.  A word compared
     * for the first time (word_count: a new word's bytes each time) took
     * the general fill's bookkeeping below for this.  Cell 0 is asked
     * first, alone: most fills find cells (pigz -d's reused window), and
     * asking all four and the pieces up front cost them 4%. */
    unsigned off[4], sizelog[4];
    int n = 0; /* run_pieces not asked yet */
    if (rw_cell_load(cells, 0, __ATOMIC_RELAXED) == 0 &&
        rw_cells_or(cells, 1, __ATOMIC_RELAXED) == 0 &&
        (n = run_pieces(lo, hi, off, sizelog)) == 1) {
        if (*op_pos == 0) {
            rw_thread_event(t, RW_EV_ACCESS, pc);
            *op_pos = t->pos;
        }
        rw_cell value = rw_cell_make(t->slot, *op_pos & RW_CLOCK_MASK, off[0], sizelog[0], write,
                                     atomic);
        if (rw_cell_cas(cells, 0, 0, value)) {
            if (rw_shadow_starts_prefault_block(cells))
                rw_shadow_prefault_next(granule);
            if (others_since(cells, 0, 0))
                rw_check_granule_slow(t, cells, granule + off[0], off[0], sizelog[0], write,
                                      atomic, pc, op_pos);
            return 1;
        }
    }
    const unsigned run = (0xffu >> (8 - hi)) & (0xffu << lo);
    rw_cell snap[RW_CELLS_PER_GRANULE];
    rw_cells_load_all(cells, snap, __ATOMIC_RELAXED);
    struct run_cells rc;
    if (!classify_run_cells(t, snap, run, write, atomic, &rc))
        return 0;
    const unsigned cover = rc.cover;
    const uint32_t empty = rc.empty, replaceable = rc.replaceable, own = rc.own,
                   covering = rc.covering;
    const int foreign = rc.foreign;
    if ((run & ~cover) == 0)
        return 1;
    if (covering && merge_own_run(t, cells, granule, snap, covering, replaceable, lo, hi, write,
                                  atomic, pc, op_pos))
        return 1;
    uint32_t nonempty = ~empty & ((1u << RW_CELLS_PER_GRANULE) - 1);
    if (run == 0xffu && nonempty != 0 && replaceable == nonempty)
        return fill_granule_over(t, cells, granule, snap, replaceable, write, atomic, pc, op_pos);
    unsigned piece_mask[4];
    int at[4];
    if (n == 0)
        n = run_pieces(lo, hi, off, sizelog);
    uint32_t used = 0, dead = UINT32_MAX;
    unsigned stored_mask = 0;
    for (int p = 0; p < n; p++) {
        piece_mask[p] = rw_cell_mask_by_bits[off[p] | sizelog[p] << 3];
        at[p] = -1;
        if ((piece_mask[p] & ~cover) == 0)
            continue;
        for (uint32_t r = replaceable & ~used; r; r &= r - 1) {
            int i = __builtin_ctz(r);
            if ((rw_cell_mask(snap[i]) & ~piece_mask[p]) == 0) {
                at[p] = i;
                break;
            }
        }
        if (at[p] < 0 && (empty & ~used))
            at[p] = __builtin_ctz(empty & ~used);
        if (at[p] < 0 && (at[p] = spare_cell(snap, used, own, covering, foreign, &dead)) < 0)
            return 0;
        used |= 1u << at[p];
        stored_mask |= piece_mask[p];
    }
    uint32_t clear = 0;
    for (uint32_t r = replaceable & ~used; r; r &= r - 1) {
        int i = __builtin_ctz(r);
        if ((rw_cell_mask(snap[i]) & ~stored_mask) == 0)
            clear |= 1u << i;
    }
    if (*op_pos == 0) {
        rw_thread_event(t, RW_EV_ACCESS, pc);
        *op_pos = t->pos;
    }
    rw_cell now[RW_CELLS_PER_GRANULE];
    int again = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        now[i] = (clear & (1u << i)) ? 0 : snap[i];
    for (int p = 0; p < n && !again; p++) {
        if (at[p] < 0)
            continue;
        rw_cell value = rw_cell_make(t->slot, *op_pos & RW_CLOCK_MASK, off[p], sizelog[p], write,
                                     atomic);
        if (!rw_cell_cas(cells, at[p], snap[at[p]], value))
            again = 1;
        now[at[p]] = value;
    }
    for (uint32_t r = clear; r && !again; r &= r - 1) {
        int i = __builtin_ctz(r);
        if (!rw_cell_cas(cells, i, snap[i], 0))
            again = 1;
    }
    if (!again) {
        if (rw_shadow_starts_prefault_block(cells) && rw_snapshot_or(snap) == 0)
            rw_shadow_prefault_next(granule);
        for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
            if (rw_cell_load(cells, i, __ATOMIC_SEQ_CST) != now[i])
                again = 1;
    }
    if (again) {
        for (int p = 0; p < n; p++)
            if (at[p] >= 0)
                rw_check_granule_slow(t, cells, granule + off[p], off[p], sizelog[p], write, atomic,
                                      pc, op_pos);
    }
    return 1;
}

/* Granules ahead of the fill whose shadow (cell 0's) is prefetched: 512
 * bytes of shadow ahead. */
#define RANGE_PREFETCH_AHEAD (512 / RW_RUN_BYTES(1))

#if RANGE_CAS_PAIRS
/* An even granule (cells) and the next one share their plane flags (a
 * pair never straddles a 4 KiB page of plane 0): one load of the flags
 * word serves both, where rw_cells_or/rw_cell_load load a flag per cell
 * and granule.  The or of cells 1.. of each granule into *rest0, *rest1
 * (relaxed, as rw_cells_or's), given the flags word planes. */
static inline __attribute__((always_inline)) void pair_rest(const rw_cell *cells, uint32_t planes,
                                                            rw_cell *rest0, rw_cell *rest1)
{
    rw_cell r0 = 0, r1 = 0;
#pragma GCC unroll 4
    for (int i = 1; i < RW_CELLS_PER_GRANULE; i++)
        if ((planes >> (8 * i)) & 0xff) {
            r0 |= __atomic_load_n(RW_CELL_AT(cells, i), __ATOMIC_RELAXED);
            r1 |= __atomic_load_n(RW_CELL_AT(cells, i) + RW_GRANULE_STRIDE, __ATOMIC_RELAXED);
        }
    *rest0 = r0;
    *rest1 = r1;
}

/* Both granules' cells into snap0, snap1 (relaxed), given the flags word
 * planes: rw_cells_load_all of each. */
static inline __attribute__((always_inline)) void pair_load(const rw_cell *cells, uint32_t planes,
                                                            rw_cell *snap0, rw_cell *snap1)
{
    snap0[0] = __atomic_load_n(cells, __ATOMIC_RELAXED);
    snap1[0] = __atomic_load_n(cells + RW_GRANULE_STRIDE, __ATOMIC_RELAXED);
#pragma GCC unroll 4
    for (int i = 1; i < RW_CELLS_PER_GRANULE; i++) {
        int set = (planes >> (8 * i)) & 0xff;
        snap0[i] = set ? __atomic_load_n(RW_CELL_AT(cells, i), __ATOMIC_RELAXED) : 0;
        snap1[i] = set ? __atomic_load_n(RW_CELL_AT(cells, i) + RW_GRANULE_STRIDE,
                                         __ATOMIC_RELAXED)
                       : 0;
    }
}

/* The re-read after a pair's store into cell `at` of both granules (our
 * cells v0, v1 there): bit 0 when the first granule's cells are not what
 * the store left (e0 in cell 0 if at is not 0, and nothing else), bit 1
 * the same for the second (e1); cell `at` itself only when own_too
 * (fill_pair_over's re-read), as others_since skips it.  With the flags
 * word loaded once (sequentially consistent, before the cells: a flag
 * found not set was read before another check's flag store, so before its
 * cell store and its re-read of ours, as rw_cell_load's per cell). */
static inline __attribute__((always_inline)) unsigned
pair_changed_since(const rw_cell *cells, int at, int own_too, rw_cell v0, rw_cell v1, rw_cell e0,
                   rw_cell e1)
{
    uint32_t planes = rw_plane_flags_word(cells, __ATOMIC_SEQ_CST);
    rw_cell d0 = 0, d1 = 0;
#pragma GCC unroll 4
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        if ((i > 0 && !((planes >> (8 * i)) & 0xff)) || (i == at && !own_too))
            continue;
        rw_cell x0 = i == at ? v0 : i == 0 ? e0 : 0;
        rw_cell x1 = i == at ? v1 : i == 0 ? e1 : 0;
        d0 |= __atomic_load_n(RW_CELL_AT(cells, i), __ATOMIC_SEQ_CST) ^ x0;
        d1 |= __atomic_load_n(RW_CELL_AT(cells, i) + RW_GRANULE_STRIDE, __ATOMIC_SEQ_CST) ^ x1;
    }
    return (d0 != 0) | (unsigned)(d1 != 0) << 1;
}

/* Where the range loop's single-granule path stores a whole-granule
 * access of kind own into a granule whose cell 0 holds c and whose other
 * cells are empty: cell 0 when c is empty, or one access, ours or one
 * that happens before us, that own makes redundant (at least as strong)
 * or that the happens-before floor covers (floor_cell_before); cell 1,
 * beside such an access that must stay (a read after another thread's
 * write handed over); -1 for anything else (a race, a free, a marker:
 * left to that path). */
static inline __attribute__((always_inline)) int pair_cell_at(const rw_thread *t, rw_cell own,
                                                              rw_cell c)
{
    if (c == 0)
        return 0;
    if (is_marker(c) || rw_cell_is_freed(c))
        return -1;
    unsigned slot = rw_cell_slot(c);
    if (slot != t->slot && rw_cell_clock(c) > rw_vclock_get(&t->vc, slot))
        return -1;
    return rw_cell_dominates(own, c) ? 0 : floor_cell_before(&c, 1, 1);
}

/* The cells of a granule (snap) that a whole-granule access of kind own
 * may all replace, as fill_run's fill_granule_over does: every non-empty
 * cell an access (no free, no marker), ours or another thread's that
 * happens before us, no stronger than own, and none of ours stored since
 * our last release (merge_own_run's business).  The bit set of those
 * cells, or 0 when some cell may not be replaced (or none is there). */
static inline __attribute__((always_inline)) uint32_t
all_replaceable(const rw_thread *t, const rw_cell *snap, rw_cell own)
{
    uint32_t cells = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell c = snap[i];
        if (c == 0)
            continue;
        if (is_marker(c) || rw_cell_is_freed(c) || !rw_cell_dominates(own, c))
            return 0;
        unsigned slot = rw_cell_slot(c);
        if (slot == t->slot ? rw_cell_clock(c) > t->last_release
                            : rw_cell_clock(c) > rw_vclock_get(&t->vc, slot))
            return 0;
        cells |= 1u << i;
    }
    return cells;
}

/* The range loop's decisions for the last pair it looked at: a long range
 * over memory one earlier range call filled finds the same cells (one
 * access, one clock) in granule after granule, and the decision depends
 * only on those cells and on our clock, which a range check does not
 * change.  at: pair_cell_at of the pair whose cell 0s were c0, c1 (the
 * others empty); replaceable: fill_pair_over's all_replaceable of a pair
 * whose granules both held snap.  Forgotten after a general check (a
 * report may run the program's calls). */
struct pair_memo {
    int have_at, have_snap;
    rw_cell c0, c1;
    int at;
    uint32_t replaceable;
    rw_cell snap[RW_CELLS_PER_GRANULE];
};

/* A pair whose cells were read again after our store and found changed
 * (pair_changed_since's bits: 1 the even granule, 2 the odd one): the
 * memo is forgotten (a report may run the program's calls) and each
 * changed granule takes the general check. */
static void pair_check_changed(rw_thread *t, rw_cell *cells, uintptr_t addr, unsigned changed,
                               int write, int atomic, uintptr_t pc, uint64_t *op_pos,
                               struct pair_memo *memo)
{
    memo->have_at = memo->have_snap = 0;
    if (changed & 1)
        rw_check_granule_slow(t, cells, addr, 0, 3, write, atomic, pc, op_pos);
    if (changed & 2)
        rw_check_granule_slow(t, cells + RW_GRANULE_STRIDE, addr + 8, 0, 3, write, atomic, pc,
                              op_pos);
}

/* The flags word of plane 0's 4 KiB shadow page that cells is in, for a
 * loop over pairs: looked up again only when cells enters a new page. */
static inline const uint32_t *page_plane_flags(const uint32_t *flags, rw_cell *cells)
{
    if (!flags || ((uintptr_t)cells & 4095) == 0)
        flags = (const uint32_t *)(const void *)rw_plane_flags(cells);
    return flags;
}

static inline __attribute__((always_inline)) int same_cells(const rw_cell *a, const rw_cell *b)
{
    rw_cell d = 0;
#pragma GCC unroll 4
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        d |= a[i] ^ b[i];
    return d == 0;
}

/* fill_granule_over for an even granule and the next one at once: both
 * hold earlier accesses, all of which the whole-granule access replaces
 * (all_replaceable), in the same cells (planes).  The handed-back buffer
 * of a pipeline (pigz -d's out_copy: our write of the round before in
 * cell 0, the writer thread's read of it in cell 1) took a CAS per cell
 * per granule; here one cmpxchg16b per plane stores our cell into the
 * first plane of both granules and clears the others' (cas_pair: the two
 * CASes at one instant), then both granules' cells are read again; one
 * where something changed goes to the general check, as in
 * fill_granule_over.  Returns 0 (nothing stored) when the granules do not
 * qualify or the first pair fails: the caller goes on a granule at a
 * time; 2 when both granules held the same cells, memo->snap, of which
 * some beside cell 0 (what the range loop's pair path leaves to this
 * function), and nothing changed: the pairs after it that hold the same
 * cells may go to fill_pair_run; else 1. */
static int fill_pair_over(rw_thread *t, rw_cell *cells, uintptr_t addr, rw_cell own, int write,
                          int atomic, uintptr_t pc, uint64_t *op_pos, uint32_t planes,
                          struct pair_memo *memo)
{
    rw_cell snap0[RW_CELLS_PER_GRANULE], snap1[RW_CELLS_PER_GRANULE];
    pair_load(cells, planes, snap0, snap1);
    uint32_t replaceable;
    int twins = same_cells(snap0, snap1);
    if (twins && memo->have_snap && same_cells(snap0, memo->snap)) {
        replaceable = memo->replaceable;
    } else {
        replaceable = all_replaceable(t, snap0, own);
        if (replaceable && all_replaceable(t, snap1, own) != replaceable)
            replaceable = 0;
        if (twins) {
            for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
                memo->snap[i] = snap0[i];
            memo->replaceable = replaceable;
            memo->have_snap = 1;
        }
    }
    if (replaceable == 0)
        return 0;
    if (*op_pos == 0) {
        rw_thread_event(t, RW_EV_ACCESS, pc);
        *op_pos = t->pos;
    }
    int at = __builtin_ctz(replaceable);
    rw_cell value = own | (*op_pos & RW_CLOCK_MASK);
    if (!cas_pair(RW_CELL_AT(cells, at), snap0[at], snap1[at], value, value))
        return 0;
    int again = 0;
    for (uint32_t r = replaceable & ~(1u << at); r && !again; r &= r - 1) {
        int i = __builtin_ctz(r);
        if (!cas_pair(RW_CELL_AT(cells, i), snap0[i], snap1[i], 0, 0))
            again = 1;
    }
    unsigned changed = again ? 3 : pair_changed_since(cells, at, 1, value, value, 0, 0);
    if (changed) {
        pair_check_changed(t, cells, addr, changed, write, atomic, pc, op_pos, memo);
        return 1;
    }
    return twins && (replaceable >> 1) != 0 ? 2 : 1;
}

/* The pairs after one fill_pair_over stored whose two granules both held
 * memo->snap (some cell beside cell 0 among them: a buffer handed back,
 * our write of the round before and another thread's read of it, zstd
 * -d's and pigz -d's output buffers), for as long as both granules of
 * each pair hold exactly memo->snap: each gets what the range loop would
 * give it (fill_pair_over with the memo's decision, memo->replaceable,
 * which depends only on those cells and our clock; the same cmpxchg16b
 * of value into cell `at` of both granules and of 0 into their other
 * cells, and the same re-read), without the loop's loads and tests for
 * its other cases.  Returns the address of the first granule it did not
 * store (a pair that holds anything else, the last granule before stop,
 * a failed first CAS): the loop looks at that one afresh.  A pair where
 * a later CAS failed or whose re-read finds anything but ours goes to
 * the general check, as in fill_pair_over, and ends the run. */
static uintptr_t fill_pair_run(rw_thread *t, rw_cell *cells, uintptr_t addr, uintptr_t stop,
                               rw_cell value, int write, int atomic, uintptr_t pc,
                               uint64_t *op_pos, struct pair_memo *memo)
{
    rw_cell snap[RW_CELLS_PER_GRANULE];
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        snap[i] = memo->snap[i];
    uint32_t replaceable = memo->replaceable;
    int at = __builtin_ctz(replaceable);
    const uint32_t *flags = NULL;
    for (; stop - addr >= 16; addr += 16, cells += 2 * RW_GRANULE_STRIDE) {
        __builtin_prefetch(cells + RANGE_PREFETCH_AHEAD * RW_GRANULE_STRIDE, 1, 0);
        flags = page_plane_flags(flags, cells);
        rw_cell snap0[RW_CELLS_PER_GRANULE], snap1[RW_CELLS_PER_GRANULE];
        pair_load(cells, __atomic_load_n(flags, __ATOMIC_RELAXED), snap0, snap1);
        if (!same_cells(snap0, snap) || !same_cells(snap1, snap) ||
            !cas_pair(RW_CELL_AT(cells, at), snap[at], snap[at], value, value))
            break;
        int again = 0;
        for (uint32_t r = replaceable & ~(1u << at); r && !again; r &= r - 1) {
            int i = __builtin_ctz(r);
            if (!cas_pair(RW_CELL_AT(cells, i), snap[i], snap[i], 0, 0))
                again = 1;
        }
        unsigned changed = again ? 3 : pair_changed_since(cells, at, 1, value, value, 0, 0);
        if (changed) {
            pair_check_changed(t, cells, addr, changed, write, atomic, pc, op_pos, memo);
            return addr + 16;
        }
    }
    return addr;
}
#endif

#if RANGE_CAS_PAIRS
/* The pairs after one the range loop stored at cell `at` (pair_cell_at)
 * of two granules whose cell 0s held e0, e1 and nothing beside them: at 0,
 * fresh granules, or one earlier access each that ours replaces (a buffer
 * zeroed or copied again after a barrier, SPLASH-3 ocean's 14,500 memsets
 * of grid rows); at 1, a read beside another thread's write handed over
 * (zstd -d's writer thread reading the job buffer the decoder filled), for
 * as long as each pair holds exactly e0, e1 in cell 0 and nothing beside
 * them: each gets what the loop would give it (the same decision, which
 * depends only on e0, e1 and our clock, and a range check changes
 * neither; the same cmpxchg16b of value into both cells `at`, against
 * e0, e1 at 0 and against empty cells at 1, and the same re-read),
 * without the loop's loads for its other cases and the spills of its
 * many live values around the locked instruction.  Returns
 * the address of the first granule it did not store (a pair that holds
 * anything else, the last granule before stop, a failed CAS): the loop
 * looks at that one afresh.  A pair whose re-read finds something stored
 * beside ours goes to the general check, as in the loop, and ends the
 * run. */
static inline __attribute__((always_inline)) uintptr_t
store_pair_run(rw_thread *t, rw_cell *cells, uintptr_t addr, uintptr_t stop, int at, rw_cell e0,
               rw_cell e1, rw_cell value, int write, int atomic, uintptr_t pc, uint64_t *op_pos,
               struct pair_memo *memo)
{
    /* The flags word of plane 0's current 4 KiB page (every pair in it
     * shares it), found again when cells enters the next page. */
    const uint32_t *flags = NULL;
    for (; stop - addr >= 16; addr += 16, cells += 2 * RW_GRANULE_STRIDE) {
        __builtin_prefetch(cells + RANGE_PREFETCH_AHEAD * RW_GRANULE_STRIDE, 1, 0);
        flags = page_plane_flags(flags, cells);
        uint32_t planes = __atomic_load_n(flags, __ATOMIC_RELAXED);
        if (planes >> 8) {
            rw_cell rest0, rest1;
            pair_rest(cells, planes, &rest0, &rest1);
            if ((rest0 | rest1) != 0)
                break;
        }
        if (__atomic_load_n(cells, __ATOMIC_RELAXED) != e0 ||
            __atomic_load_n(cells + RW_GRANULE_STRIDE, __ATOMIC_RELAXED) != e1)
            break;
        if (at == 0) {
            if (!cas_pair(cells, e0, e1, value, value))
                break;
            if (e0 == 0 && rw_shadow_starts_prefault_block(cells))
                rw_shadow_prefault_next(addr);
        } else {
            /* The plane's flag before its cell (rw_plane_mark: the flag
             * is never cleared, so one seen set stays set). */
            if (!((planes >> (8 * at)) & 0xff))
                rw_plane_mark(cells, at);
            if (!cas_pair(RW_CELL_AT(cells, at), 0, 0, value, value))
                break;
        }
        /* pair_changed_since(cells, at, 0, ...): at 0, nothing to read
         * again but the flags when no plane beside cell 0 is in use. */
        unsigned changed = at != 0 || __atomic_load_n(flags, __ATOMIC_SEQ_CST) >> 8
                               ? pair_changed_since(cells, at, 0, 0, 0, e0, e1)
                               : 0;
        if (changed) {
            pair_check_changed(t, cells, addr, changed, write, atomic, pc, op_pos, memo);
            return addr + 16;
        }
    }
    return addr;
}

/* store_pair_run with its cell known: one loop for each, without the
 * tests of `at` (pigz -d's runs at cell 0 paid ~4 instructions a pair for
 * them when one loop served both). */
static __attribute__((noinline)) uintptr_t
store_pair_run_at(rw_thread *t, rw_cell *cells, uintptr_t addr, uintptr_t stop, int at,
                  rw_cell e0, rw_cell e1, rw_cell value, int write, int atomic, uintptr_t pc,
                  uint64_t *op_pos, struct pair_memo *memo)
{
    if (at == 0)
        return store_pair_run(t, cells, addr, stop, 0, e0, e1, value, write, atomic, pc, op_pos,
                              memo);
    return store_pair_run(t, cells, addr, stop, 1, e0, e1, value, write, atomic, pc, op_pos,
                          memo);
}
#endif

/* The bytes [addr, end) of one granule: fill_run, else piece by piece. */
static void check_run(rw_thread *t, uintptr_t addr, uintptr_t end, int write, int atomic,
                      uintptr_t pc, uint64_t *op_pos)
{
    rw_cell *cells = rw_shadow_cells(addr);
    if (!cells)
        return;
    uintptr_t granule = addr & ~(uintptr_t)7;
    if (fill_run(t, cells, granule, (unsigned)(addr - granule), (unsigned)(end - granule), write,
                 atomic, pc, op_pos))
        return;
    while (addr < end)
        addr = check_piece(t, addr, end, write, atomic, pc, op_pos);
}

/* The re-read after a store (the protocol at the top of the file): do
 * the granule's cells, loaded sequentially consistent, differ from
 * expect?  One load of the plane flags for all of them
 * (rw_cells_load_all), as rw_cells_changed, instead of one per cell. */
static inline __attribute__((always_inline)) int cells_differ(const rw_cell *cells,
                                                              const rw_cell *expect)
{
    rw_cell now[RW_CELLS_PER_GRANULE], d = 0;
    rw_cells_load_all(cells, now, __ATOMIC_SEQ_CST);
#pragma GCC unroll 4
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        d |= now[i] ^ expect[i];
    return d != 0;
}

/* short_granule's common cases decided from cell 0 alone (c0, as
 * short_granule loaded it), the other cells empty: the bytes [lo, hi) of
 * a plain access, one cell's worth or two pieces (run_pieces), in a
 * granule that holds
 *   - nothing: our cells go into cells 0 (and 1);
 *   - our own cell of this epoch: covering the run, at least as strong,
 *     nothing to do (2); else short_granule merges the two (not here);
 *   - one earlier access on other bytes of the granule (disjoint: it
 *     cannot race with the run, whoever made it and whenever): ours go
 *     beside it, into cells 1 (and 2);
 *   - for a run of one cell, one earlier access inside the run, no
 *     stronger, ours of before our last release or another slot's that
 *     happens before us: replaced by ours (classify_run_cells'
 *     replaceable).
 * A line handed to fwrite by GNU sort's output thread is one fresh range
 * whose head and tail granules are of these kinds (the tail of the line
 * before it in memory, or nothing), as is the byte of a stream's object
 * (stream_objects.c) that each of its fwrite_unlocked calls writes: the
 * general classification took about 400 instructions for each.  Stored by
 * CAS against the cells as loaded, then the cells read again (the
 * protocol at the top of the file); if a CAS failed after the first or
 * anything changed, the run's pieces take the general check.  Returns -1
 * (nothing stored) for anything else: short_granule's classification
 * decides.  Asked for the head and tail of a range only (partial_run):
 * the whole-granule loop of check_range has its own cases for these. */
static inline __attribute__((always_inline)) int short_granule_quick(rw_thread *t, rw_cell *cells,
                                                                     uintptr_t granule,
                                                                     unsigned lo, unsigned hi,
                                                                     int write, uintptr_t pc,
                                                                     uint64_t *op_pos,
                                                                     const rw_cell c0)
{
    const unsigned run = (0xffu >> (8 - hi)) & (0xffu << lo), len = hi - lo;
    const rw_cell strength = write ? RW_WRITE_BIT : 0; /* a plain access's kind */
    int at = 0;
    if (c0 != 0) {
        if (is_marker(c0) || rw_cell_is_freed(c0))
            return -1;
        const unsigned mask = rw_cell_mask(c0), slot = rw_cell_slot(c0);
        if (slot == t->slot && rw_cell_clock(c0) > t->last_release)
            return (run & ~mask) == 0 && rw_cell_dominates(c0, strength) ? 2 : -1;
        if ((mask & run) == 0)
            at = 1;
        else if ((mask & ~run) != 0 || !rw_cell_dominates(strength, c0) ||
                 (slot != t->slot && rw_cell_clock(c0) > rw_vclock_get(&t->vc, slot)))
            return -1;
    }
    unsigned off[4], sizelog[4];
    int n = 1;
    if ((len & (len - 1)) == 0 && len < 8) { /* one_cell_bits' encoding */
        off[0] = lo, sizelog[0] = (unsigned)__builtin_ctz(len);
    } else if (hi == 8) {
        off[0] = lo, sizelog[0] = 3; /* [lo, 8) */
    } else if (at == 0 && c0 != 0) {
        return -1; /* two pieces do not replace one cell */
    } else if ((n = run_pieces(lo, hi, off, sizelog)) != 2) {
        return -1;
    }
    if (*op_pos == 0) {
        rw_thread_event(t, RW_EV_ACCESS, pc);
        *op_pos = t->pos;
    }
    const rw_cell value =
        rw_cell_make(t->slot, *op_pos & RW_CLOCK_MASK, off[0], sizelog[0], write, 0);
    const rw_cell value2 = n == 1 ? 0
                                  : rw_cell_make(t->slot, *op_pos & RW_CLOCK_MASK, off[1],
                                                 sizelog[1], write, 0);
    if (!rw_cell_cas(cells, at, at == 0 ? c0 : 0, value))
        return -1;
    int again = n == 2 && !rw_cell_cas(cells, at + 1, 0, value2);
    if (!again && c0 == 0 && rw_shadow_starts_prefault_block(cells))
        rw_shadow_prefault_next(granule);
    if (!again) {
        rw_cell expect[RW_CELLS_PER_GRANULE] = { c0 };
        expect[at] = value;
        if (n == 2)
            expect[at + 1] = value2;
        again = cells_differ(cells, expect);
    }
    if (again) {
        n = run_pieces(lo, hi, off, sizelog);
        for (int p = 0; p < n; p++)
            rw_check_granule_slow(t, cells, granule + off[p], off[p], sizelog[p], write, 0, pc,
                                  op_pos);
    }
    return 1;
}

/* One granule's bytes [lo, hi) of a plain range in one look at its cells
 * (a range's head or tail, partial_run; or a whole granule of
 * rw_check_range's loop that its cheaper cases did not take, before
 * fill_run): 2 when our own cells of this epoch already cover them, at
 * least as strong (nothing to do); 1 when stored; 0 when fill_run or the
 * general check must decide (a cell that races with the run, a free or an
 * extension's marker, no cell to take the run, a failed CAS).
 *
 * The run becomes one cell: merged into our own cell of this epoch and of
 * the same kind when their union is one cell (merge_own_run's argument:
 * no release lies between the two clocks), else over a cell it may
 * replace (inside the run, no stronger, ours or another slot's that
 * happens before us), else in an empty cell, else (a granule of our own
 * cells only) over fill_run's spare cell; a run of 3, 5, 6 or 7 bytes
 * that does not end the granule, its two pieces in two empty cells.  The
 * other cells inside the stored bytes that they make redundant are
 * cleared (as fill_run does), each by CAS against the snapshot; then the
 * cells are read again (the protocol at the top of the file), and if
 * anything changed the run's pieces take the general check.  The same
 * decisions as fill_run's, without its piece bookkeeping: a decoder's
 * match sources (xz -d: 2 to 273 bytes read from its dictionary, whose
 * granules hold our own cells of before our last release) took
 * rw_range_seen's shadow test and then fill_run for the head and the tail,
 * about 500 instructions a granule there. */
static inline __attribute__((always_inline)) int short_granule(rw_thread *t, rw_cell *cells,
                                                               uintptr_t granule, unsigned lo,
                                                               unsigned hi, int write,
                                                               uintptr_t pc, uint64_t *op_pos,
                                                               int quick_first)
{
    const uint64_t kind_bits = write ? RW_WRITE_BIT : 0;
    const unsigned run = (0xffu >> (8 - hi)) & (0xffu << lo);
    rw_cell snap[RW_CELLS_PER_GRANULE];
    rw_cells_load_all(cells, snap, __ATOMIC_RELAXED);
    if (quick_first) {
        rw_cell rest = 0;
        for (int i = 1; i < RW_CELLS_PER_GRANULE; i++)
            rest |= snap[i];
        if (rest == 0) {
            int quick = short_granule_quick(t, cells, granule, lo, hi, write, pc, op_pos, snap[0]);
            if (quick >= 0)
                return quick;
        }
    }
    struct run_cells rc;
    if (!classify_run_cells(t, snap, run, write, 0, &rc))
        return 0;
    if ((run & ~rc.cover) == 0)
        return 2;
    /* A covering cell is merged into or left, never replaced here. */
    const uint32_t covering = rc.covering, empty = rc.empty, own = rc.own,
                   replaceable = rc.replaceable & ~rc.covering;
    const int foreign = rc.foreign;
    int at = -1, bits = -1;
    for (uint32_t c = covering; c; c &= c - 1) {
        int i = __builtin_ctz(c);
        if ((snap[i] & (RW_WRITE_BIT | RW_ATOMIC_BIT)) == kind_bits &&
            (bits = one_cell_bits(rw_cell_mask(snap[i]) | run)) >= 0) {
            at = i;
            break;
        }
    }
    int at2 = -1, bits2 = -1;
    if (at < 0 && (bits = one_cell_bits(run)) < 0) {
        /* 3, 5, 6 or 7 bytes that do not end the granule: two pieces
         * (run_pieces), in two cells: empty ones or ones the pieces make
         * redundant (replaceable, inside the run: the clear below would
         * empty them), else fill_run's spare cells (a granule of our own
         * cells only; xz -d's dictionary, where these pieces went to
         * fill_run 131,000 times for 4 MB). */
        unsigned off[4], sizelog[4];
        if (run_pieces(lo, hi, off, sizelog) != 2)
            return 0;
        uint32_t room = empty | replaceable, dead = UINT32_MAX;
        at = room ? __builtin_ctz(room) : spare_cell(snap, 0, own, covering, foreign, &dead);
        if (at < 0)
            return 0;
        room &= ~(1u << at);
        at2 = room ? __builtin_ctz(room)
                   : spare_cell(snap, 1u << at, own, covering, foreign, &dead);
        if (at2 < 0)
            return 0;
        bits = (int)(off[0] | sizelog[0] << 3);
        bits2 = (int)(off[1] | sizelog[1] << 3);
    }
    if (at < 0) {
        if (replaceable)
            at = __builtin_ctz(replaceable);
        else if (empty)
            at = __builtin_ctz(empty);
        else {
            /* A full granule of our own cells: fill_run's spare cell
             * (a dead one, else our oldest not covering the run). */
            uint32_t dead = UINT32_MAX;
            if ((at = spare_cell(snap, 0, own, covering, foreign, &dead)) < 0)
                return 0;
        }
    }
    if (*op_pos == 0) {
        rw_thread_event(t, RW_EV_ACCESS, pc);
        *op_pos = t->pos;
    }
    rw_cell value = rw_cell_make(t->slot, *op_pos & RW_CLOCK_MASK, (unsigned)bits & 7,
                                 (unsigned)bits >> 3, write, 0);
    rw_cell value2 = at2 < 0 ? 0
                             : rw_cell_make(t->slot, *op_pos & RW_CLOCK_MASK, (unsigned)bits2 & 7,
                                            (unsigned)bits2 >> 3, write, 0);
    unsigned stored = rw_cell_mask(value) | (at2 < 0 ? 0 : rw_cell_mask(value2));
    uint32_t clear = 0;
    for (uint32_t r = (replaceable | covering) & ~(1u << at) & ~(at2 < 0 ? 0 : 1u << at2); r;
         r &= r - 1) {
        int i = __builtin_ctz(r);
        if ((rw_cell_mask(snap[i]) & ~stored) == 0 &&
            ((replaceable & (1u << i)) || rw_cell_dominates(value, snap[i])))
            clear |= 1u << i;
    }
    if (!rw_cell_cas(cells, at, snap[at], value))
        return 0;
    int again = at2 >= 0 && !rw_cell_cas(cells, at2, snap[at2], value2);
    for (uint32_t r = clear; r && !again; r &= r - 1) {
        int i = __builtin_ctz(r);
        if (!rw_cell_cas(cells, i, snap[i], 0))
            again = 1;
    }
    if (!again && empty == (1u << RW_CELLS_PER_GRANULE) - 1 &&
        rw_shadow_starts_prefault_block(cells))
        rw_shadow_prefault_next(granule);
    if (!again) {
        /* As stored: the snapshot, the cleared cells empty, value at at
         * and value2 at at2.  Our own cell at at is compared too: another
         * check that saw it may have moved it into a new extension (a
         * marker in its place, that check's access beside it there) before
         * it could see our second piece, which it races with; only our
         * re-read can find that access then (test_race_concurrent's
         * range_read_pieces_over_own_cells_and_write: 2 of 100,000 rounds
         * unreported when at was skipped). */
        rw_cell expect[RW_CELLS_PER_GRANULE];
#pragma GCC unroll 4
        for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
            expect[i] = (clear & (1u << i)) ? 0 : snap[i];
        if (at2 >= 0)
            expect[at2] = value2;
        expect[at] = value;
        again = cells_differ(cells, expect);
    }
    if (again) {
        unsigned off[4], sizelog[4];
        int n = run_pieces(lo, hi, off, sizelog);
        for (int p = 0; p < n; p++)
            rw_check_granule_slow(t, cells, granule + off[p], off[p], sizelog[p], write, 0, pc,
                                  op_pos);
    }
    return 1;
}

/* The bytes [addr, end) of one granule, the head or tail of a range:
 * short_granule for a plain range (short_granule_quick first), else (or
 * when it declines) check_run.  Returns 1 when our own cells of this
 * epoch already covered them. */
static int partial_run(rw_thread *t, uintptr_t addr, uintptr_t end, int write, int atomic,
                       uintptr_t pc, uint64_t *op_pos)
{
    if (!atomic && !t->busy) {
        rw_cell *cells = rw_shadow_cells(addr);
        if (!cells)
            return 0;
        uintptr_t granule = addr & ~(uintptr_t)7;
        int done = short_granule(t, cells, granule, (unsigned)(addr - granule),
                                 (unsigned)(end - granule), write, pc, op_pos, 1);
        if (done)
            return done == 2;
    }
    check_run(t, addr, end, write, atomic, pc, op_pos);
    return 0;
}

static int check_range(rw_thread *t, uintptr_t addr, size_t size, int write, int atomic,
                       uintptr_t pc);

int rw_check_range_covered(rw_thread *t, uintptr_t addr, size_t size, int write, uintptr_t pc)
{
    rw_open_read_flush(t);
    return check_range(t, addr, size, write, 0, pc);
}

void rw_check_range(rw_thread *t, uintptr_t addr, size_t size, int write, int atomic,
                    uintptr_t pc)
{
    rw_open_read_flush(t);
    check_range(t, addr, size, write, atomic, pc);
}

/* rw_check_range's work; 1 when every byte was already covered by our own
 * cells of this epoch (nothing stored). */
static int check_range(rw_thread *t, uintptr_t addr, size_t size, int write, int atomic,
                       uintptr_t pc)
{
    uint64_t op_pos = 0;
    int covered = 1;
    uintptr_t end = addr + size;
    if (end < addr || end > RW_APP_LIMIT)
        end = RW_APP_LIMIT;
    if (addr < end && (addr & 7)) {
        uintptr_t stop = (addr | 7) + 1;
        if (stop > end)
            stop = end;
        covered &= partial_run(t, addr, stop, write, atomic, pc, &op_pos);
        addr = stop;
    }
    /* Whole granules, a chunk at a time.  The two common cases stay in
     * this loop: a fresh granule (no cells: store ours) and one we already
     * cover since our last release (nothing to do). */
    rw_cell own = rw_cell_make(t->slot, 0, 0, 3, write, atomic);
#if RANGE_CAS_PAIRS
    struct pair_memo memo = { 0 };
#endif
    while (end - addr >= 8 && addr < end) {
        rw_cell *cells = rw_shadow_cells(addr);
        uintptr_t chunk_end = (addr | (RW_CHUNK_APP_SIZE - 1)) + 1;
        uintptr_t stop = (end & ~(uintptr_t)7) < chunk_end ? (end & ~(uintptr_t)7) : chunk_end;
        if (!cells) {
            covered = 0;
            addr = stop;
            continue;
        }
        for (; addr < stop; addr += 8, cells += RW_GRANULE_STRIDE) {
            /* The shadow of a long range is mostly not in the cache, and
             * each granule's CAS waits for its line: ask for the lines of
             * the granules ahead (past the chunk's end is harmless). */
            __builtin_prefetch(cells + RANGE_PREFETCH_AHEAD * RW_GRANULE_STRIDE, 1, 0);
            rw_cell c0 = rw_cell_load(cells, 0, __ATOMIC_RELAXED);
            if (((c0 ^ own) & ~(RW_CLOCK_MASK | RW_WRITE_BIT | RW_ATOMIC_BIT)) == 0 &&
                rw_cell_clock(c0) > t->last_release && rw_cell_dominates(c0, own))
                continue;
            covered = 0;
            /* The other cells of this granule (rest0) and, at the even
             * granule of a pair, of the next one (rest1): loaded once, from
             * one load of the pair's plane flags (pair_rest), for every
             * case below. */
            rw_cell rest0 = 0;
            int rest_known = 0;
#if RANGE_CAS_PAIRS
            rw_cell rest1 = 0;
            uint32_t planes = 0;
            int pairable = (addr & 8) == 0 && stop - addr >= 16 && have_cas_pair && !t->busy;
            if (pairable) {
                planes = rw_plane_flags_word(cells, __ATOMIC_RELAXED);
                pair_rest(cells, planes, &rest0, &rest1);
                rest_known = 1;
            }
            /* An even granule and the next one, both taking the whole
             * granule's cell in the same cell (pair_cell_at: cell 0 when
             * fresh or over one earlier access, cell 1 beside it), no
             * other cells: one cmpxchg16b for both (see cas_pair), then
             * each granule's other cells read again; a granule where
             * something was stored beside ours meanwhile goes to the
             * general check, as below. */
            if (pairable && (rest0 | rest1) == 0) {
                rw_cell c1 = rw_cell_load(cells + RW_GRANULE_STRIDE, 0, __ATOMIC_RELAXED);
                int pair_at;
                if (memo.have_at && c0 == memo.c0 && c1 == memo.c1) {
                    pair_at = memo.at;
                } else {
                    pair_at = pair_cell_at(t, own, c0);
                    if (pair_at >= 0 && pair_cell_at(t, own, c1) != pair_at)
                        pair_at = -1;
                    memo.c0 = c0;
                    memo.c1 = c1;
                    memo.at = pair_at;
                    memo.have_at = 1;
                }
                if (pair_at >= 0) {
                    if (op_pos == 0) {
                        rw_thread_event(t, RW_EV_ACCESS, pc);
                        op_pos = t->pos;
                    }
                    rw_plane_mark(cells, pair_at);
                    if (cas_pair(RW_CELL_AT(cells, pair_at), pair_at == 0 ? c0 : 0,
                                 pair_at == 0 ? c1 : 0, own | op_pos, own | op_pos)) {
                        if (c0 == 0 && rw_shadow_starts_prefault_block(cells))
                            rw_shadow_prefault_next(addr);
                        unsigned changed = pair_changed_since(cells, pair_at, 0, 0, 0, c0, c1);
                        if (changed)
                            pair_check_changed(t, cells, addr, changed, write, atomic, pc,
                                               &op_pos, &memo);
                        else {
                            /* The pairs after it that hold the same two
                             * cells: store_pair_run, then the loop goes on
                             * from the first granule it left (the loop's
                             * step adds the last 8). */
                            uintptr_t next = store_pair_run_at(
                                t, cells + 2 * RW_GRANULE_STRIDE, addr + 16, stop, pair_at, c0,
                                c1, own | op_pos, write, atomic, pc, &op_pos, &memo);
                            cells += (next - 8 - addr) / 8 * RW_GRANULE_STRIDE;
                            addr = next - 8;
                            continue;
                        }
                        addr += 8;
                        cells += RW_GRANULE_STRIDE;
                        continue;
                    }
                    rest_known = 0; /* something was stored: load again */
                }
            }
#endif
            if (!rest_known)
                rest0 = rw_cells_or(cells, 1, __ATOMIC_RELAXED);
            if (c0 == 0 && rest0 == 0 && !t->busy) {
                if (op_pos == 0) {
                    rw_thread_event(t, RW_EV_ACCESS, pc);
                    op_pos = t->pos;
                }
                /* Stored by CAS, then the other cells read again: a check
                 * that ran beside ours is seen (see the top of the file). */
                if (rw_cell_cas(cells, 0, 0, own | op_pos)) {
                    if (rw_shadow_starts_prefault_block(cells))
                        rw_shadow_prefault_next(addr);
                    if (!others_since(cells, 0, 0))
                        continue;
                    rw_check_granule_slow(t, cells, addr, 0, 3, write, atomic, pc, &op_pos);
                    continue;
                }
                rest0 = rw_cells_or(cells, 1, __ATOMIC_RELAXED);
                rest_known = 0;
            }
            /* The third common case: one earlier access that happens
             * before this one (data another thread wrote, then handed
             * over).  A write replaces it; a read is added beside it,
             * which must stay for later threads to race with. */
            if (c0 != 0 && !is_marker(c0) && !rw_cell_is_freed(c0) && !t->busy && rest0 == 0) {
                unsigned slot = rw_cell_slot(c0);
                if (slot == t->slot || rw_cell_clock(c0) <= rw_vclock_get(&t->vc, slot)) {
                    if (op_pos == 0) {
                        rw_thread_event(t, RW_EV_ACCESS, pc);
                        op_pos = t->pos;
                    }
                    int at = rw_cell_dominates(own, c0) ? 0 : floor_cell_before(&c0, 1, 1);
                    if (rw_cell_cas(cells, at, at == 0 ? c0 : 0, own | op_pos)) {
                        if (!others_since(cells, at, c0))
                            continue;
                        rw_check_granule_slow(t, cells, addr, 0, 3, write, atomic, pc, &op_pos);
                        continue;
                    }
                    rest_known = 0;
                }
            }
#if RANGE_CAS_PAIRS
            /* Both granules of a pair hold earlier accesses we replace
             * all of, in the same planes: fill_pair_over. */
            int filled = pairable ? fill_pair_over(t, cells, addr, own, write, atomic, pc,
                                                   &op_pos,
                                                   rest_known ? planes
                                                              : rw_plane_flags_word(
                                                                    cells, __ATOMIC_RELAXED),
                                                   &memo)
                                  : 0;
            if (filled == 2) {
                /* The pairs after it that hold the same cells:
                 * fill_pair_run, then on from the first granule it left. */
                uintptr_t next = fill_pair_run(t, cells + 2 * RW_GRANULE_STRIDE, addr + 16, stop,
                                               own | (op_pos & RW_CLOCK_MASK), write, atomic,
                                               pc, &op_pos, &memo);
                cells += (next - 8 - addr) / 8 * RW_GRANULE_STRIDE;
                addr = next - 8;
                continue;
            }
            if (filled) {
                addr += 8;
                cells += RW_GRANULE_STRIDE;
                continue;
            }
#endif
            /* The rest: a granule several accesses share (fill_run), else
             * the general check. */
            if ((atomic || t->busy ||
                 !short_granule(t, cells, addr, 0, 8, write, pc, &op_pos, 0)) &&
                !fill_run(t, cells, addr, 0, 8, write, atomic, pc, &op_pos))
                rw_check_granule(t, addr, 3, write, atomic, pc, &op_pos);
#if RANGE_CAS_PAIRS
            memo.have_at = memo.have_snap = 0;
#endif
        }
    }
    if (addr < end)
        covered &= partial_run(t, addr, end, write, atomic, pc, &op_pos);
    return covered;
}

#define FREE_MARK_ALWAYS 4096

/* Leave the freed mark in one granule: the free's cell in cell 0, the
 * others emptied, each by CAS against what was checked.  A cell that
 * changed meanwhile was stored by an access beside the free: check it. */
static void mark_freed(rw_thread *t, rw_cell *cells, uintptr_t granule, rw_cell freed,
                       uintptr_t pc)
{
    /* An empty granule (most of a freed block's head): the free's cell by
     * CAS into cell 0, then the others read again; nothing to check if
     * they are still empty. */
    if (rw_cells_or(cells, 0, __ATOMIC_RELAXED) == 0 && rw_cell_cas(cells, 0, 0, freed) &&
        rw_cells_or(cells, 1, __ATOMIC_SEQ_CST) == 0)
        return;
    struct scan s = { rw_cell_make(t->slot, 0, 0, 3, 1, 0), 0xff, 0, 0, 0 };
    for (int attempt = 0;; attempt++) {
        int forced = attempt >= RW_STORE_RETRIES;
        rw_cell snap[RW_CELLS_PER_GRANULE];
        /* The free is checked as an 8-byte write: every byte of the block
         * is written by free, for other threads. */
        for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
            snap[i] = rw_cell_load(cells, i, __ATOMIC_RELAXED);
            if (is_marker(snap[i]))
                check_ext_cells(t, snap[i], granule, &s);
            else if (cell_races(t, snap[i], &s) && !s.race_old)
                s.race_old = snap[i];
        }
        if (forced) {
            rw_cell_store(cells, 0, freed, __ATOMIC_SEQ_CST);
            for (int i = 1; i < RW_CELLS_PER_GRANULE; i++)
                rw_cell_store(cells, i, 0, __ATOMIC_RELAXED);
            break;
        }
        if (!rw_cell_cas(cells, 0, snap[0], freed))
            continue;
        for (int i = 1; i < RW_CELLS_PER_GRANULE; i++)
            if (snap[i] != 0)
                rw_cell_cas(cells, i, snap[i], 0);
        for (int i = 1; i < RW_CELLS_PER_GRANULE; i++) {
            rw_cell v = rw_cell_load(cells, i, __ATOMIC_SEQ_CST);
            if (v != 0 && v != snap[i] && cell_races(t, v, &s) && !s.race_old)
                s.race_old = v;
        }
        break;
    }
    if (s.race_old && rw_race_handler && !t->busy)
        rw_race_handler(t, granule, s.probe, s.race_old, pc);
}

/* Whether a free may mark the empty granules of the page of memory at g
 * (4 KiB: 512 granules, whose last cells share one page of shadow) in
 * cell 0 by mark_freed's CAS rather than by a plain store into the last
 * cell.  Where those last cells have no page yet (their plane's flag is
 * clear: a block only the program's own code touched, under LD_PRELOAD),
 * the store would fault in a fresh page (~17 us here: pca's 1,200 rows
 * freed at exit took 37% of its page faults there), while cell 0's page
 * the allocation already used.  But a CAS per granule costs ~3.5 us a
 * page, every time: a buffer freed again and again at the same place (a
 * network buffer per message) would pay that at every free, where the
 * store's page, once there, serves every later free.  So once the frees
 * of a page of memory have marked FREE_CAS_PAGE_GRANULES granules this
 * way (four pages' worth, about the cost of one fault; counted in a small
 * table, by hash) it takes the store and its page from then on.  Both ways
 * mark the granule and check it; only the cost differs, so the table is
 * a hint (relaxed, racy, overwritten on collision). */
#if RW_SHADOW_PLANES
#define FREE_CAS_PAGES 64
#define FREE_CAS_PAGE_GRANULES 2048
static uint64_t free_cas_pages[FREE_CAS_PAGES]; /* page number << 16 | granules */
#endif

/* For the granules of [g, end) in g's page. */
static int mark_head_page_by_cas(const rw_cell *cells, uintptr_t g, uintptr_t end)
{
#if RW_SHADOW_PLANES
    if (__atomic_load_n(rw_plane_flags(cells) + RW_CELLS_PER_GRANULE - 1, __ATOMIC_RELAXED))
        return 0;
    uint64_t page = g >> 12;
    uint64_t *slot = &free_cas_pages[(page ^ page >> 6) % FREE_CAS_PAGES];
    uint64_t seen = __atomic_load_n(slot, __ATOMIC_RELAXED);
    uintptr_t page_end = (g | 4095) + 1;
    uint64_t granules = ((end < page_end ? end : page_end) - g) / 8;
    if (seen >> 16 == page)
        granules += seen & 0xffff;
    if (granules > FREE_CAS_PAGE_GRANULES)
        return 0;
    __atomic_store_n(slot, page << 16 | granules, __ATOMIC_RELAXED);
    return 1;
#else
    (void)cells;
    (void)g;
    (void)end;
    return 0;
#endif
}

/* The decision of mark_head_page_by_cas for the page a free is in. */
struct head_page {
    uintptr_t page; /* g >> 12, or UINTPTR_MAX before the first */
    uintptr_t end;  /* of the head */
    int by_cas;
};

/* Granules of a freed block's head marked before one fence (at most 64:
 * a bit each in mark_freed_batch's masks). */
#define FREE_MARK_BATCH 64

/* Mark the granules of [g, end) (at most FREE_MARK_BATCH of them, in one
 * page of memory) freed.
 * Most of a freed block's head holds no cells (a 64 KiB network buffer
 * that carried a few bytes).  Such a granule gets the free's cell by a
 * plain store into its last cell, then, after all of them, one full fence
 * and the cells of each read again: a granule where anything else
 * appeared meanwhile, or whose last cell is no longer ours, gets the
 * whole mark_freed, which checks every cell found against the free.  One
 * fence instead of one locked CAS per granule.  Why the last cell: every
 * store into an empty granule (the range fill's fresh granule, the
 * general check's first empty cell) goes to cell 0 by CAS and then reads
 * the other three again, so the two sides are Dekker's store-fence-load
 * pairs on different cells: at least one of them sees the other's store
 * (the access then takes the general check, which finds the free), and
 * neither store can overwrite the other.  Granules that hold cells take
 * mark_freed at once.  Empty ones whose last cells have no page yet take,
 * up to a point (mark_head_page_by_cas), mark_freed's own first step: the
 * free's cell by CAS into cell 0, then the other cells read again, here
 * after all the batch's CASes (each CAS is a full barrier, so a re-read
 * after the last one is after each of them: the same Dekker pair, read
 * later); a failed CAS or a cell found takes the whole mark_freed.
 * The batch's granules share one page of plane 0 and so one set of plane
 * flags: the flags are loaded once per pass, not once per cell, and each
 * pass walks the planes' contiguous cells (the free of a 64 KiB buffer's
 * 1 KiB head cost ~120 instructions per granule when every cell went
 * through rw_shadow_cells and rw_cell_load, ~20 now).  A flag read clear
 * after the fence is as good as each cell of its plane read then: an
 * access's flag store comes before its cell store and its re-read, so it
 * is ordered after our stores and its re-read sees them. */
/* The granules (bit k: the k-th from p) among the n of a run of one plane
 * whose cell is not 0; one pass of loads when they all are. */
static inline uint64_t plane_cells_set(const rw_cell *p, int n, int order)
{
    rw_cell any = 0;
    for (int k = 0; k < n; k++)
        any |= __atomic_load_n(p + (size_t)k * RW_GRANULE_STRIDE, order);
    if (any == 0)
        return 0;
    uint64_t set = 0;
    for (int k = 0; k < n; k++)
        set |= (uint64_t)(__atomic_load_n(p + (size_t)k * RW_GRANULE_STRIDE, order) != 0) << k;
    return set;
}

/* Whether plane i's cells of the granules at first may hold anything. */
static inline int plane_present(const rw_cell *first, int i, int order)
{
#if RW_SHADOW_PLANES
    return i == 0 || __atomic_load_n(rw_plane_flags(first) + i, order);
#else
    (void)first;
    (void)i;
    (void)order;
    return 1;
#endif
}

/* Bit i: plane i has memory behind the chunk that first is in
 * (plane_present), relaxed. */
static inline uint32_t planes_present(const rw_cell *first)
{
    uint32_t planes = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        if (plane_present(first, i, __ATOMIC_RELAXED))
            planes |= 1u << i;
    return planes;
}

static void mark_freed_batch(rw_thread *t, uintptr_t g, uintptr_t end, rw_cell freed, uintptr_t pc,
                             struct head_page *hp)
{
    /* [g, end) is inside one page of memory (check_free). */
    rw_cell *first = rw_shadow_cells(g);
    if (!first)
        return;
    if (g >> 12 != hp->page) {
        hp->page = g >> 12;
        hp->by_cas = mark_head_page_by_cas(first, g, hp->end);
    }
    const int n = (int)((end - g) / 8);
    enum { LAST = RW_CELLS_PER_GRANULE - 1 };
    /* Which granules hold cells. */
    uint64_t busy = 0, stored = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        if (plane_present(first, i, __ATOMIC_RELAXED))
            busy |= plane_cells_set(RW_CELL_AT(first, i), n, __ATOMIC_RELAXED);
    uint64_t all = n == 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1, empty = all & ~busy;
    const int ours = hp->by_cas ? 0 : LAST;
    if (empty && hp->by_cas) {
        for (int k = 0; k < n; k++) {
            if (!(empty >> k & 1))
                continue;
            rw_cell *cells = first + (size_t)k * RW_GRANULE_STRIDE;
#if RANGE_CAS_PAIRS
            /* Two empty granules whose cells 0 make an aligned 16-byte
             * word: one cmpxchg16b, as if both CASes ran at once (see
             * cas_pair); if it fails, each on its own. */
            if (have_cas_pair && k + 1 < n && (empty >> (k + 1) & 1) &&
                ((uintptr_t)cells & 15) == 0 && cas_pair(cells, 0, 0, freed, freed)) {
                stored |= (uint64_t)3 << k;
                k++;
                continue;
            }
#endif
            if (rw_cell_cas(cells, 0, 0, freed))
                stored |= (uint64_t)1 << k;
            else
                busy |= (uint64_t)1 << k;
        }
    } else if (empty) {
        rw_plane_mark(first, LAST);
        rw_cell *last = RW_CELL_AT(first, LAST);
        for (int k = 0; k < n; k++)
            if (empty >> k & 1)
                __atomic_store_n(last + (size_t)k * RW_GRANULE_STRIDE, freed, __ATOMIC_RELAXED);
        stored = empty;
    }
    if (stored) {
        /* Read again: ours must be the granule's only cell (in cell 0 after
         * a CAS, in the last cell after a store). */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        uint64_t changed = 0;
        for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
            if (i != ours && plane_present(first, i, __ATOMIC_SEQ_CST))
                changed |= plane_cells_set(RW_CELL_AT(first, i), n, __ATOMIC_SEQ_CST);
        const rw_cell *mine = RW_CELL_AT(first, ours);
        for (int k = 0; k < n; k++)
            changed |= (uint64_t)(__atomic_load_n(mine + (size_t)k * RW_GRANULE_STRIDE,
                                                  __ATOMIC_SEQ_CST) != freed) << k;
        busy |= changed & stored;
    }
    while (busy) {
        int k = __builtin_ctzll(busy);
        busy &= busy - 1;
        mark_freed(t, first + (size_t)k * RW_GRANULE_STRIDE, g + 8 * (uintptr_t)k, freed, pc);
    }
}

struct free_ctx {
    rw_thread *t;
    rw_cell freed;
    uintptr_t pc;
    int check_only; /* the block goes back to the kernel: no marks */
};

/* Granules in use are marked where they are dense (a big buffer every
 * granule of which some thread read or wrote: GNU sort's line buffers)
 * by the batch below, sparse ones by the empty-prefix scan. */
#define USED_DENSE_MIN 8

#if RW_SHADOW_PLANES && RANGE_CAS_PAIRS
/* mark_freed for two granules side by side (the first even: their cells of
 * each plane make one aligned 16-byte word), the same steps with one
 * cmpxchg16b per plane where mark_freed takes one CAS per cell: the cells
 * loaded (planes whose flag was clear in the batch's pass, as empty),
 * each checked against the free, then cell 0's pair from what was seen
 * to the free's cell and every other plane's pair that held anything to
 * empty, each pair by one locked instruction, then every cell but cell 0
 * read again (after those CASes, each a full barrier) and what changed
 * since checked.  A failed pair in cell 0's plane stores nothing: both
 * granules go to mark_freed, which loads them again; a failed pair in
 * another plane takes its two CASes one cell at a time, whose failures
 * the re-read checks, as mark_freed's.  An empty granule beside one in
 * use stays empty (its cell 0 compared with 0 and left 0).  Returns how
 * many of the two held cells and are marked, -1 when cell 0's pair failed
 * or a granule holds an extension's marker (mark_freed's to do). */
static int mark_used_pair(rw_thread *t, rw_cell *cells, uintptr_t granule, uint32_t planes,
                          rw_cell freed, uintptr_t pc)
{
    rw_cell a[RW_CELLS_PER_GRANULE], b[RW_CELLS_PER_GRANULE];
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        a[i] = b[i] = 0;
        if (planes >> i & 1) {
            const rw_cell *p = RW_CELL_AT(cells, i);
            a[i] = __atomic_load_n(p, __ATOMIC_RELAXED);
            b[i] = __atomic_load_n(p + 1, __ATOMIC_RELAXED);
            if (is_marker(a[i]) || is_marker(b[i]))
                return -1;
        }
    }
    rw_cell any_a = 0, any_b = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        any_a |= a[i];
        any_b |= b[i];
    }
    if ((any_a | any_b) == 0)
        return 0;
    struct scan sa = { rw_cell_make(t->slot, 0, 0, 3, 1, 0), 0xff, 0, 0, 0 }, sb = sa;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        if (cell_races(t, a[i], &sa) && !sa.race_old)
            sa.race_old = a[i];
        if (cell_races(t, b[i], &sb) && !sb.race_old)
            sb.race_old = b[i];
    }
    if (!cas_pair(cells, a[0], b[0], any_a ? freed : 0, any_b ? freed : 0))
        return -1;
    for (int i = 1; i < RW_CELLS_PER_GRANULE; i++) {
        if ((a[i] | b[i]) == 0)
            continue;
        rw_cell *p = RW_CELL_AT(cells, i);
        if (!cas_pair(p, a[i], b[i], 0, 0)) {
            if (a[i] != 0)
                rw_cell_cas(cells, i, a[i], 0);
            if (b[i] != 0)
                rw_cell_cas(cells + 1, i, b[i], 0);
        }
    }
    const uint8_t *flags = rw_plane_flags(cells); /* both granules' */
    for (int i = 1; i < RW_CELLS_PER_GRANULE; i++) {
        if (!__atomic_load_n(flags + i, __ATOMIC_SEQ_CST))
            continue;
        const rw_cell *p = RW_CELL_AT(cells, i);
        rw_cell v = __atomic_load_n(p, __ATOMIC_SEQ_CST);
        if (v != 0 && v != a[i] && cell_races(t, v, &sa) && !sa.race_old)
            sa.race_old = v;
        v = __atomic_load_n(p + 1, __ATOMIC_SEQ_CST);
        if (v != 0 && v != b[i] && cell_races(t, v, &sb) && !sb.race_old)
            sb.race_old = v;
    }
    if (sa.race_old && rw_race_handler && !t->busy)
        rw_race_handler(t, granule, sa.probe, sa.race_old, pc);
    if (sb.race_old && rw_race_handler && !t->busy)
        rw_race_handler(t, granule + 8, sb.probe, sb.race_old, pc);
    return (any_a != 0) + (any_b != 0);
}
#endif

/* Marks the granules of [g, end) (at most FREE_MARK_BATCH, in one page of
 * memory) that hold cells; returns how many held cells.  With pairs,
 * each aligned pair is loaded once by mark_used_pair; without, the granules
 * in use are found by one pass over each present plane's contiguous cells
 * (the batch's granules share one set of plane flags, as in
 * mark_freed_batch), each then marked by mark_freed.  Empty granules stay
 * empty, as the empty-prefix scan leaves them.  sort's 20 MiB of lines:
 * a scan of its own per used granule (rw_shadow_empty_prefix, ~78
 * instructions) and a CAS per cell took ~330 instructions a granule. */
static int mark_used_batch(rw_thread *t, uintptr_t g, uintptr_t end, rw_cell freed, uintptr_t pc)
{
    rw_cell *first = rw_shadow_cells(g);
    if (!first)
        return 0;
    const int n = (int)((end - g) / 8);
    const uint32_t planes = planes_present(first);
    int used = 0;
#if RW_SHADOW_PLANES && RANGE_CAS_PAIRS
    if (have_cas_pair) {
        for (int k = 0; k < n;) {
            rw_cell *cells = first + k;
            uintptr_t at = g + 8 * (uintptr_t)k;
            if (((uintptr_t)cells & 15) != 0 || k + 1 == n) {
                if (rw_cells_or(cells, 0, __ATOMIC_RELAXED) != 0) {
                    mark_freed(t, cells, at, freed, pc);
                    used++;
                }
                k++;
                continue;
            }
            int marked = mark_used_pair(t, cells, at, planes, freed, pc);
            if (marked >= 0) {
                used += marked;
            } else {
                for (int h = 0; h < 2; h++)
                    if (rw_cells_or(cells + h, 0, __ATOMIC_RELAXED) != 0) {
                        mark_freed(t, cells + h, at + 8 * (uintptr_t)h, freed, pc);
                        used++;
                    }
            }
            k += 2;
        }
        return used;
    }
#endif
    uint64_t busy = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        if (planes >> i & 1)
            busy |= plane_cells_set(RW_CELL_AT(first, i), n, __ATOMIC_RELAXED);
    used = __builtin_popcountll(busy);
    while (busy) {
        int k = __builtin_ctzll(busy);
        busy &= busy - 1;
        mark_freed(t, first + (size_t)k * RW_GRANULE_STRIDE, g + 8 * (uintptr_t)k, freed, pc);
    }
    return used;
}

/* The granules of [g, end) (at most FREE_MARK_BATCH, in one page of
 * memory) that hold cells, checked against the free and left as they are;
 * returns how many held cells.  For a block glibc unmaps at its free
 * (rw_check_free_unmapped): no freed mark, so one load per cell of the
 * present planes and no locked instruction.  One pass per present plane
 * sets aside the granules holding a cell that is not ours or ordered
 * before us (or a freed cell, or an extension's marker); only those take
 * the whole check, mark_freed's, granule by granule.  A cell that happens
 * before the free cannot race with it (cell_races' first test). */
static int check_used_batch(rw_thread *t, uintptr_t g, uintptr_t end, uintptr_t pc)
{
    rw_cell *first = rw_shadow_cells(g);
    if (!first)
        return 0;
    const int n = (int)((end - g) / 8);
    const uint32_t planes = planes_present(first);
    const unsigned own = t->slot;
    const uint64_t *clk = t->vc.clk;
    const uint32_t known = t->vc.size;
    uint64_t used = 0, suspect = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        if (!(planes >> i & 1))
            continue;
        const rw_cell *p = RW_CELL_AT(first, i);
        for (int k = 0; k < n; k++) {
            rw_cell c = __atomic_load_n(p + (size_t)k * RW_GRANULE_STRIDE, __ATOMIC_RELAXED);
            if (c == 0)
                continue;
            used |= UINT64_C(1) << k;
            unsigned slot = rw_cell_slot(c);
            if ((c & RW_FREED_BIT) ||
                (slot != own && (slot >= known || rw_cell_clock(c) > clk[slot])))
                suspect |= UINT64_C(1) << k;
        }
    }
    /* The free is checked as an 8-byte write, as mark_freed checks it. */
    const rw_cell probe = rw_cell_make(t->slot, 0, 0, 3, 1, 0);
    while (suspect) {
        int k = __builtin_ctzll(suspect);
        suspect &= suspect - 1;
        rw_cell *cells = first + (size_t)k * RW_GRANULE_STRIDE;
        uintptr_t granule = g + 8 * (uintptr_t)k;
        struct scan s = { probe, 0xff, 0, 0, 0 };
        for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
            if (!(planes >> i & 1))
                continue;
            rw_cell c = __atomic_load_n(RW_CELL_AT(cells, i), __ATOMIC_RELAXED);
            if (is_marker(c))
                check_ext_cells(t, c, granule, &s);
            else if (cell_races(t, c, &s) && !s.race_old)
                s.race_old = c;
        }
        if (s.race_old && rw_race_handler && !t->busy)
            rw_race_handler(t, granule, s.probe, s.race_old, pc);
    }
    return __builtin_popcountll(used);
}

/* Check and mark the granules of [lo, hi) that hold cells, jumping over
 * empty ones 8 at a time (rw_map_zero_prefix reads 256 bytes of shadow
 * per step), one shadow chunk at a time. */
static void mark_used_granules(uintptr_t lo, uintptr_t hi, void *arg)
{
    struct free_ctx *c = arg;
    uintptr_t g = lo;
    /* The scan first: it jumps over the empty granules at the start (8
     * at a time, to the end of the shadow chunk at most); then a batch at
     * a time while the batches find granules in use, and after one that
     * found fewer than USED_DENSE_MIN, the scan again.  Starting with the
     * scan matters where nothing is in use: under LD_PRELOAD a 64 KiB
     * buffer's free visits the rest of its first page past the marked
     * KiB and the part of its last page that the next block's marks
     * noted, both empty (libuv's ping-pong tests, two such runs per
     * message), and a batch there loaded 64 granules' cells of every
     * plane (~3,000 instructions a run, against ~500 for the scan). */
    while (g < hi) {
        rw_cell *cells = rw_shadow_cells(g);
        uintptr_t chunk_end = (g | (RW_CHUNK_APP_SIZE - 1)) + 1;
        uintptr_t stop = hi < chunk_end ? hi : chunk_end;
        g = cells ? g + rw_shadow_empty_prefix(cells, (stop - g) / 8) * 8 : stop;
        if (g >= hi)
            break;
        int used;
        do {
            uintptr_t next = g + 8 * FREE_MARK_BATCH, page_end = (g | 4095) + 1;
            if (next > page_end)
                next = page_end;
            if (next > hi)
                next = hi;
            used = c->check_only ? check_used_batch(c->t, g, next, c->pc)
                                 : mark_used_batch(c->t, g, next, c->freed, c->pc);
            g = next;
        } while (used >= USED_DENSE_MIN && g < hi);
    }
}

static void check_free(rw_thread *t, uintptr_t addr, size_t size, uintptr_t pc, size_t mark_always,
                       int ask_resident, int check_only)
{
    rw_open_read_flush(t);
    /* One event for the whole free, taken first: the freed cells need its
     * position even where the check itself records nothing. */
    rw_thread_event(t, RW_EV_ACCESS, pc);
    uint64_t op_pos = t->pos;
    rw_cell freed = rw_cell_make(t->slot, op_pos, 0, 3, 1, 0) | RW_FREED_BIT;
    uintptr_t lo = addr & ~(uintptr_t)7, end = (addr + size + 7) & ~(uintptr_t)7;
    /* The first mark_always bytes: every granule checked and marked, so a
     * use after free there is always seen.  Past them, the whole block is
     * checked, but only granules that hold cells can race with the free
     * or have been used: those are checked and marked, the others (most
     * of a 64 KiB network buffer that carried a few bytes) stay empty.
     * Shadow pages the kernel never mapped hold no cells and are not even
     * read (shadow_resident.h: one mincore call per 2 MiB), the others
     * are taken a batch at a time where granules in use are dense and
     * scanned 8 granules at a time where they are not
     * (mark_used_granules).  So a free costs what the block's accesses
     * cost, not its size.  What is lost past the head is the use
     * after free by an access made after the free in a granule no access
     * used before it (ThreadSanitizer marks 1 KiB of any block), and an
     * access of another thread stored there at the very moment this loop
     * reads the granule (the free stores nothing there to order
     * against). */
    uintptr_t always_end = mark_always < end - lo ? lo + mark_always : end;
    struct head_page hp = { UINTPTR_MAX, always_end, 0 };
    for (uintptr_t g = lo; g < always_end;) {
        uintptr_t next = g + 8 * FREE_MARK_BATCH, page_end = (g | 4095) + 1;
        if (next > page_end)
            next = page_end;
        if (next > always_end)
            next = always_end;
        mark_freed_batch(t, g, next, freed, pc, &hp);
        g = next;
    }
    if (always_end < end) {
        struct free_ctx c = { t, freed, pc, check_only };
        if (ask_resident && end - always_end >= 4 * RW_SHADOW_PAGE_APP)
            rw_shadow_resident_runs(always_end, end, mark_used_granules, &c);
        else
            mark_used_granules(always_end, end, &c);
    }
}

void rw_check_free(rw_thread *t, uintptr_t addr, size_t size, uintptr_t pc)
{
    check_free(t, addr, size, pc, FREE_MARK_ALWAYS, 1, 0);
}

void rw_check_free_used(rw_thread *t, uintptr_t addr, size_t size, uintptr_t pc)
{
    check_free(t, addr, size, pc, 0, 0, 0);
}

void rw_check_free_unmapped(rw_thread *t, uintptr_t addr, size_t size, uintptr_t pc,
                            int shadow_mapped)
{
    check_free(t, addr, size, pc, 0, !shadow_mapped, 1);
}
