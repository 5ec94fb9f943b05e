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
 * which its oldest cells are evicted (counted in stats). */
#include "detector/race_check.h"

#include "detector/alloc.h"
#include "detector/spinlock.h"

rw_race_handler_fn rw_race_handler;
struct rw_stats rw_stats;

#define RW_CELL_EXT RW_FREED_BIT
#define RW_EXT_MAX 256
#define EXT_BUCKETS 65536

struct ext {
    uintptr_t granule;
    struct ext *next;
    rw_spin lock;
    uint32_t n, cap;
    rw_cell *cells;
};

static struct {
    rw_spin lock;
    struct ext *head;
} ext_table[EXT_BUCKETS];

/* The extension of a granule, created (empty) when create != 0.  A
 * granule whose marker was cleared with its shadow may have a stale
 * extension: creating one again empties it. */
static struct ext *ext_get(uintptr_t granule, int create)
{
    unsigned b = (unsigned)((granule >> 3) * UINT64_C(0x9E3779B97F4A7C15) >> 48) & (EXT_BUCKETS - 1);
    rw_spin_lock(&ext_table[b].lock);
    struct ext *x = ext_table[b].head;
    while (x && x->granule != granule)
        x = x->next;
    if (create) {
        if (!x) {
            x = rw_calloc(1, sizeof *x);
            if (x) {
                x->granule = granule;
                x->next = ext_table[b].head;
                ext_table[b].head = x;
            }
        }
        if (x) {
            rw_spin_lock(&x->lock);
            x->n = 0;
            rw_spin_unlock(&x->lock);
        }
    }
    rw_spin_unlock(&ext_table[b].lock);
    return x;
}

static int ext_append(struct ext *x, rw_cell c)
{
    if (x->n == x->cap) {
        if (x->cap >= RW_EXT_MAX) {
            /* Full: drop the oldest cell. */
            for (uint32_t i = 1; i < x->n; i++)
                x->cells[i - 1] = x->cells[i];
            x->n--;
            rw_stats.evictions++;
        } else {
            uint32_t cap = x->cap ? x->cap * 2 : 8;
            rw_cell *n = rw_realloc(x->cells, cap * sizeof *n);
            if (!n)
                return -1;
            x->cells = n;
            x->cap = cap;
        }
    }
    x->cells[x->n++] = c;
    return 0;
}

struct scan {
    rw_cell probe;
    unsigned mask;
    rw_cell race_old;   /* the first conflicting cell, reported after the
                           granule's locks are released */
    int redundant;      /* an own cell since our last release covers it */
};

/* Check one array of cells against the access; return the index of a cell
 * the access makes redundant (emptying any further redundant ones), or -1;
 * *empty gets the first empty index. */
static int scan_cells(rw_thread *t, rw_cell *cells, int n, struct scan *s, int *empty)
{
    int store_at = -1;
    *empty = -1;
    for (int i = 0; i < n; i++) {
        rw_cell c = __atomic_load_n(&cells[i], __ATOMIC_RELAXED);
        if (c == 0) {
            if (*empty < 0)
                *empty = i;
            continue;
        }
        if (c == RW_CELL_EXT)
            continue;
        unsigned cmask = rw_cell_mask(c);
        unsigned slot = rw_cell_slot(c);
        if (slot == t->slot && (cmask & s->mask) == s->mask && !rw_cell_is_freed(c) &&
            rw_cell_clock(c) > t->last_release && rw_cell_dominates(c, s->probe))
            s->redundant = 1;
        int happens_before = slot == t->slot || rw_cell_clock(c) <= rw_vclock_get(&t->vc, slot);
        if (!happens_before && (cmask & s->mask) &&
            (rw_cell_is_write(c) || rw_cell_is_write(s->probe)) &&
            !(rw_cell_is_atomic(c) && rw_cell_is_atomic(s->probe))) {
            if (!s->race_old)
                s->race_old = c;
            continue;
        }
        if (happens_before && (cmask & ~s->mask) == 0 && rw_cell_dominates(s->probe, c)) {
            if (store_at < 0) {
                store_at = i;
            } else {
                __atomic_store_n(&cells[i], 0, __ATOMIC_RELAXED);
                if (*empty < 0)
                    *empty = i;
            }
        }
    }
    return store_at;
}

/* Our own oldest cell in an array, or -1.  When there is no room, one of
 * our own older accesses to other bytes of the granule is what we give
 * up (as ThreadSanitizer would): an extension is only for keeping other
 * threads' accesses, which is what byte precision needs. */
static int own_oldest(rw_thread *t, rw_cell *cells, int n)
{
    int best = -1;
    uint64_t best_clock = UINT64_MAX;
    for (int i = 0; i < n; i++) {
        rw_cell c = __atomic_load_n(&cells[i], __ATOMIC_RELAXED);
        if (c != 0 && c != RW_CELL_EXT && rw_cell_slot(c) == t->slot &&
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
 * of eight, and keeps every byte's history.  Returns the index of a cell
 * freed by merging, or -1. */
static int merge_buddies(rw_thread *t, rw_cell *cells, rw_cell *cell)
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
            rw_cell b = __atomic_load_n(&cells[i], __ATOMIC_RELAXED);
            if (b != 0 && rw_cell_key(b) == buddy_key && rw_cell_clock(b) > t->last_release) {
                found = i;
                break;
            }
        }
        if (found < 0)
            return freed;
        __atomic_store_n(&cells[found], 0, __ATOMIC_RELAXED);
        if (freed < 0)
            freed = found;
        *cell = rw_cell_make(t->slot, rw_cell_clock(c), off & ~size, sizelog + 1,
                             rw_cell_is_write(c), rw_cell_is_atomic(c));
    }
}

void rw_check_granule_slow(rw_thread *t, rw_cell *cells, uintptr_t addr, unsigned offset,
                           unsigned sizelog, int write, int atomic, uintptr_t pc,
                           uint64_t *op_pos)
{
    if (t->busy)
        return;
    t->busy = 1;
    uintptr_t granule = addr & ~(uintptr_t)7;
    struct scan s = { rw_cell_make(t->slot, 0, offset, sizelog, write, atomic), 0, 0, 0 };
    s.mask = rw_cell_mask(s.probe);

    int marker = -1;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        if (__atomic_load_n(&cells[i], __ATOMIC_RELAXED) == RW_CELL_EXT)
            marker = i;
    struct ext *x = marker >= 0 ? ext_get(granule, 0) : NULL;
    if (marker >= 0 && !x) {
        __atomic_store_n(&cells[marker], 0, __ATOMIC_RELAXED); /* orphan marker */
        marker = -1;
    }
    if (x)
        rw_spin_lock(&x->lock);

    int empty, xempty = -1;
    int store_at = scan_cells(t, cells, RW_CELLS_PER_GRANULE, &s, &empty);
    int xstore_at = x ? scan_cells(t, x->cells, (int)x->n, &s, &xempty) : -1;

    if (s.redundant)
        goto out; /* the fast path's case, with a wider or extended cell */
    if (*op_pos == 0) {
        rw_thread_event(t, RW_EV_ACCESS, pc);
        *op_pos = t->pos;
    }
    rw_cell cell = rw_cell_make(t->slot, *op_pos, offset, sizelog, write, atomic);
    int merged_at = merge_buddies(t, cells, &cell);
    if (store_at < 0 && merged_at >= 0)
        store_at = merged_at;

    if (store_at >= 0 || (xstore_at < 0 && empty >= 0)) {
        __atomic_store_n(&cells[store_at >= 0 ? store_at : empty], cell, __ATOMIC_RELAXED);
    } else if (x) {
        int at = xstore_at >= 0 ? xstore_at : xempty;
        if (at < 0 && (at = own_oldest(t, x->cells, (int)x->n)) >= 0)
            rw_stats.evictions++;
        if (at >= 0)
            x->cells[at] = cell;
        else
            ext_append(x, cell);
    } else {
        /* Atomic accesses never race with each other: contended atomics
         * fill cells fast and would make an extension for nothing. */
        int own = own_oldest(t, cells, RW_CELLS_PER_GRANULE);
        struct ext *nx = own < 0 && !atomic ? ext_get(granule, 1) : NULL;
        if (nx) {
            /* Four other threads' accesses: move one into a new extension
             * and leave a marker. */
            int v = (int)(t->pos & (RW_CELLS_PER_GRANULE - 1));
            rw_spin_lock(&nx->lock);
            rw_cell old = __atomic_load_n(&cells[v], __ATOMIC_RELAXED);
            if (ext_append(nx, old) == 0 && ext_append(nx, cell) == 0)
                cell = RW_CELL_EXT;
            rw_spin_unlock(&nx->lock);
            __atomic_store_n(&cells[v], cell, __ATOMIC_RELAXED);
        } else {
            rw_stats.evictions++;
            __atomic_store_n(&cells[own >= 0 ? own : (int)(t->pos & 3)], cell, __ATOMIC_RELAXED);
        }
    }
out:
    if (x)
        rw_spin_unlock(&x->lock);
    if (s.race_old && rw_race_handler)
        rw_race_handler(t, granule + offset, s.probe, s.race_old, pc);
    t->busy = 0;
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

void rw_check_range(rw_thread *t, uintptr_t addr, size_t size, int write, int atomic,
                    uintptr_t pc)
{
    uint64_t op_pos = 0;
    uintptr_t end = addr + size;
    if (end < addr || end > RW_APP_LIMIT)
        end = RW_APP_LIMIT;
    while (addr < end && (addr & 7))
        addr = check_piece(t, addr, end, write, atomic, pc, &op_pos);
    /* Whole granules, a chunk at a time.  The two common cases stay in
     * this loop: a fresh granule (no cells: store ours) and one we already
     * cover since our last release (nothing to do). */
    rw_cell own = rw_cell_make(t->slot, 0, 0, 3, write, atomic);
    while (end - addr >= 8 && addr < end) {
        rw_cell *cells = rw_shadow_cells(addr);
        uintptr_t chunk_end = (addr | (RW_CHUNK_APP_SIZE - 1)) + 1;
        uintptr_t stop = (end & ~(uintptr_t)7) < chunk_end ? (end & ~(uintptr_t)7) : chunk_end;
        if (!cells) {
            addr = stop;
            continue;
        }
        for (; addr < stop; addr += 8, cells += RW_CELLS_PER_GRANULE) {
            rw_cell c0 = __atomic_load_n(&cells[0], __ATOMIC_RELAXED);
            if (((c0 ^ own) & ~(RW_CLOCK_MASK | RW_WRITE_BIT | RW_ATOMIC_BIT)) == 0 &&
                rw_cell_clock(c0) > t->last_release && rw_cell_dominates(c0, own))
                continue;
            if (c0 == 0 && __atomic_load_n(&cells[1], __ATOMIC_RELAXED) == 0 &&
                __atomic_load_n(&cells[2], __ATOMIC_RELAXED) == 0 &&
                __atomic_load_n(&cells[3], __ATOMIC_RELAXED) == 0 && !t->busy) {
                if (op_pos == 0) {
                    rw_thread_event(t, RW_EV_ACCESS, pc);
                    op_pos = t->pos;
                }
                __atomic_store_n(&cells[0], own | op_pos, __ATOMIC_RELAXED);
                continue;
            }
            /* The third common case: one earlier access that happens
             * before this one (data another thread wrote, then handed
             * over).  A write replaces it; a read is added beside it,
             * which must stay for later threads to race with. */
            if (c0 != 0 && c0 != RW_CELL_EXT && !rw_cell_is_freed(c0) && !t->busy &&
                __atomic_load_n(&cells[1], __ATOMIC_RELAXED) == 0 &&
                __atomic_load_n(&cells[2], __ATOMIC_RELAXED) == 0 &&
                __atomic_load_n(&cells[3], __ATOMIC_RELAXED) == 0) {
                unsigned slot = rw_cell_slot(c0);
                if (slot == t->slot || rw_cell_clock(c0) <= rw_vclock_get(&t->vc, slot)) {
                    if (op_pos == 0) {
                        rw_thread_event(t, RW_EV_ACCESS, pc);
                        op_pos = t->pos;
                    }
                    if (rw_cell_dominates(own, c0))
                        __atomic_store_n(&cells[0], own | op_pos, __ATOMIC_RELAXED);
                    else
                        __atomic_store_n(&cells[1], own | op_pos, __ATOMIC_RELAXED);
                    continue;
                }
            }
            rw_check_granule(t, addr, 3, write, atomic, pc, &op_pos);
        }
    }
    while (addr < end)
        addr = check_piece(t, addr, end, write, atomic, pc, &op_pos);
}

#define FREE_MARK_LIMIT 65536

void rw_check_free(rw_thread *t, uintptr_t addr, size_t size, uintptr_t pc)
{
    /* One event for the whole free, taken first: the freed cells need its
     * position even where the check itself records nothing. */
    rw_thread_event(t, RW_EV_ACCESS, pc);
    uint64_t op_pos = t->pos;
    rw_cell freed = rw_cell_make(t->slot, op_pos, 0, 3, 1, 0) | RW_FREED_BIT;
    uintptr_t lo = addr & ~(uintptr_t)7, end = addr + size;
    /* The free is checked, and freed cells left, in the first 64 KiB
     * only: a big block's tail is cleared instead.  Checking every granule
     * of a multi-megabyte buffer on each free cost more than the program's
     * own work (zstd under LD_PRELOAD); ThreadSanitizer stops at 1 KiB
     * for the same reason (MemoryRangeFreed). */
    uintptr_t mark_end = size > FREE_MARK_LIMIT ? lo + FREE_MARK_LIMIT : end;
    for (uintptr_t g = lo; g < mark_end; g += 8) {
        rw_cell *cells = rw_shadow_cells(g);
        if (!cells)
            continue;
        /* Only other threads' accesses can race with the free: a granule
         * holding none needs no check (checked as an 8-byte write: every
         * byte of the block is written by free, for other threads). */
        int others = 0;
        for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
            rw_cell c = __atomic_load_n(&cells[i], __ATOMIC_RELAXED);
            if (c != 0 && rw_cell_slot(c) != t->slot)
                others = 1;
        }
        if (others)
            rw_check_granule_slow(t, cells, g, 0, 3, 1, 0, pc, &op_pos);
        __atomic_store_n(&cells[0], freed, __ATOMIC_RELAXED);
        for (int i = 1; i < RW_CELLS_PER_GRANULE; i++)
            __atomic_store_n(&cells[i], 0, __ATOMIC_RELAXED);
    }
    if (mark_end < end)
        rw_shadow_clear(mark_end, end - mark_end);
}
