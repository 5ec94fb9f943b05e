/* race_check.h: the race check, FastTrack over byte-precise shadow cells.
 *
 * Each access to a granule compares itself with the granule's 4 cells.  A
 * cell that overlaps the access's bytes, belongs to another slot, does not
 * happen before the access (its clock > our vector clock's entry for its
 * slot), where one of the two writes and not both are atomic, is a race.
 * Then the access is stored: over a cell it dominates (same bytes or a
 * subset, at least as strong, and happens-before), else in an empty cell,
 * else over a pseudo-random one (history lost, counted in stats).
 *
 * The hot path is rw_access_is_redundant: if the granule already holds
 * an access of ours to the same bytes or more (a merged cell covers both
 * its halves), at least as strong, made since our last release, nothing
 * about the future changes by recording this one, so we return after at
 * most four loads, with no store and no trace event.  Only accesses that are stored take a trace
 * position (one per operation, shared by all its granules). */
#ifndef RW_RACE_CHECK_H
#define RW_RACE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "detector/cell.h"
#include "detector/shadow.h"
#include "detector/thread.h"

/* What a race report needs to know; the runtime installs the handler. */
typedef void (*rw_race_handler_fn)(rw_thread *t, uintptr_t addr, rw_cell cur, rw_cell old,
                                   uintptr_t pc);
extern rw_race_handler_fn rw_race_handler;
/* An access that a free of its bytes happens before (old: the free's
 * cell), seen by the slow path (every plain access to a freed granule
 * takes it: a freed cell never matches the fast path). */
extern rw_race_handler_fn rw_use_after_free_handler;

struct rw_stats {
    uint64_t evictions;
};
extern struct rw_stats rw_stats;

/* Slow-path checks made by the calling OS thread (for tests and profiles;
 * thread-local so that counting costs no shared cache line). */
extern __thread uint64_t rw_slow_checks __attribute__((tls_model("initial-exec")));
/* Of those, the ones that took the general check (scan of other threads'
 * cells), not the store into a granule holding only our own cells. */
extern __thread uint64_t rw_full_checks __attribute__((tls_model("initial-exec")));

/* "a is at least as strong as b": every future access racing with b also
 * races with a (a writes if b writes; a is plain if b is). */
static inline int rw_cell_dominates(rw_cell a, rw_cell b)
{
    return (rw_cell_is_write(a) || !rw_cell_is_write(b)) &&
           (!rw_cell_is_atomic(a) || rw_cell_is_atomic(b));
}

void rw_check_granule_slow(rw_thread *t, rw_cell *cells, uintptr_t addr, unsigned offset,
                           unsigned sizelog, int write, int atomic, uintptr_t pc,
                           uint64_t *op_pos);

/* The hot path: does one of the granule's cells already make this access
 * redundant?  A cell does when it is ours (same slot, not a free), covers
 * the access's bytes (a buddy-merged cell covers both its halves), is at
 * least as strong (a write if we write, plain if we are plain), and is
 * newer than our last release.  The kind and clock tests are one range
 * test, the byte test one table load (none for an aligned 8-byte
 * access).  Always inlined, so that the
 * instrumentation entry points are leaf functions that at most tail-call
 * the slow path. */
static inline __attribute__((always_inline)) int
rw_access_is_redundant_or_open(const rw_thread *t, const rw_cell *cells, unsigned offset,
                               unsigned sizelog, int write, int atomic, const int test_open)
{
    /* A cell of ours of the right kind since our last release is, with
     * the bits that may differ masked off, a value in [lo, lo + span]:
     * same slot, not a free, a write if we write, plain if we are plain,
     * and a clock above last_release.  Each cell then costs one and, one
     * subtract and one compare (the clock test and the kind test in one
     * unsigned range test: a cell with other high bits falls below lo or
     * beyond lo + span).  An aligned 8-byte access is covered by an
     * 8-byte cell only, so its offset and size bits take part in the
     * compare; a smaller one ignores them there and tests the bytes of
     * the cell it found. */
    const uint64_t span_bits = (uint64_t)31 << RW_OFFSET_SHIFT;
    const uint64_t whole = sizelog == 3 && offset == 0;
    const uint64_t ignored = (whole ? 0 : span_bits) | (write ? 0 : RW_WRITE_BIT) |
                             (atomic ? RW_ATOMIC_BIT : 0);
    const uint64_t last_release = t->last_release;
    const uint64_t lo = ((uint64_t)t->slot << RW_SLOT_SHIFT) | (write ? RW_WRITE_BIT : 0) |
                        (whole ? (uint64_t)3 << RW_SIZELOG_SHIFT : 0) | (last_release + 1);
    const uint64_t span = RW_CLOCK_MASK - last_release - 1;
    const unsigned bytes = rw_cell_mask_by_bits[offset | sizelog << 3];
    rw_cell c = __atomic_load_n(cells, __ATOMIC_RELAXED);
    if ((c & ~ignored) - lo <= span && (whole || (bytes & ~rw_cell_mask(c)) == 0))
        return 1;
    /* A plain read of 1, 2 or 4 bytes in the open read's granule (its
     * second half, in Phoenix pca's rows): the caller adds it there
     * without the other cells' compares.  Tested only past cell 0, so
     * that an access found there pays nothing for it. */
    if (test_open && cells == t->open_cells)
        return -1;
#if RW_SHADOW_PLANES
    /* The other cells where their planes' flags are set (one load for
     * all of them: byte i of the word is plane i's flag). */
    const uint32_t planes = rw_plane_flags_word(cells, __ATOMIC_RELAXED);
    if (planes == 0)
        return 0;
#endif
#pragma GCC unroll 4
    for (int i = 1; i < RW_CELLS_PER_GRANULE; i++) {
#if RW_SHADOW_PLANES
        if (!(planes >> (8 * i) & 0xff))
            continue;
#endif
        c = __atomic_load_n(RW_CELL_AT(cells, i), __ATOMIC_RELAXED);
        if ((c & ~ignored) - lo <= span && (whole || (bytes & ~rw_cell_mask(c)) == 0))
            return 1;
    }
    return 0;
}

static inline __attribute__((always_inline)) int
rw_access_is_redundant(const rw_thread *t, const rw_cell *cells, unsigned offset,
                       unsigned sizelog, int write, int atomic)
{
    return rw_access_is_redundant_or_open(t, cells, offset, sizelog, write, atomic, 0);
}

/* The slow path of one single-operation access (rw_check_granule_slow
 * with a fresh operation position); kind = sizelog | write << 2 |
 * atomic << 3, packed so that every argument travels in a register.
 * cells may be NULL (not mapped yet): they are looked up again. */
void rw_check_access_slow(rw_thread *t, rw_cell *cells, uintptr_t addr, unsigned kind,
                          uintptr_t pc);
/* A plain read of 1, 2 or 4 bytes at addr in the open read's granule
 * (rw_access_is_redundant_or_open's -1): the entry points come here, to
 * add its bytes to the open read without the other cells' compares
 * (race_check.c, "The open read"). */
void rw_open_read_add1(rw_thread *t, uintptr_t addr, uintptr_t pc);
void rw_open_read_add2(rw_thread *t, uintptr_t addr, uintptr_t pc);
void rw_open_read_add4(rw_thread *t, uintptr_t addr, uintptr_t pc);
static inline __attribute__((always_inline)) void
rw_open_read_add_at(rw_thread *t, uintptr_t addr, unsigned sizelog, uintptr_t pc)
{
    if (sizelog == 0)
        rw_open_read_add1(t, addr, pc);
    else if (sizelog == 1)
        rw_open_read_add2(t, addr, pc);
    else
        rw_open_read_add4(t, addr, pc);
}
/* The same for an aligned 8-byte access (addr & 7 == 0; kind's size-log
 * bits are taken as 3): a function of its own, with only the 8-byte copy
 * of the store in it, so that its frame and registers are that copy's
 * alone.  rw_check_access_slow hands such accesses on to it. */
void rw_check_word_slow(rw_thread *t, rw_cell *cells, uintptr_t addr, unsigned kind,
                        uintptr_t pc);

/* One access of 1 << sizelog bytes at addr, not crossing a granule. */
static inline void rw_check_granule(rw_thread *t, uintptr_t addr, unsigned sizelog, int write,
                                    int atomic, uintptr_t pc, uint64_t *op_pos)
{
    rw_cell *cells = rw_shadow_cells(addr);
    if (__builtin_expect(cells == NULL, 0))
        return;
    unsigned offset = (unsigned)(addr & 7);
    if (rw_access_is_redundant(t, cells, offset, sizelog, write, atomic))
        return;
    rw_check_granule_slow(t, cells, addr, offset, sizelog, write, atomic, pc, op_pos);
}

/* An atomic access of 1 << sizelog bytes at addr, not crossing a granule
 * (instrument/tsan_atomic.c): the hot path's answer and, where the
 * granule holds only our own cells and other threads' atomic accesses,
 * the store over our own cell without the general slow path, which takes
 * everything else. */
void rw_check_atomic(rw_thread *t, uintptr_t addr, unsigned sizelog, int write, uintptr_t pc);

/* The accesses a granule holds, inline or in its extension (markers and
 * empty cells left out), copied into out[0..max); returns how many there
 * are (may exceed max).  For tests: where a cell is kept depends on the
 * layout (RW_CELLS_PER_GRANULE), what is kept does not. */
int rw_granule_accesses(uintptr_t addr, rw_cell *out, int max);

/* An access of any size and alignment (ranges, unaligned, 16 bytes). */
void rw_check_range(rw_thread *t, uintptr_t addr, size_t size, int write, int atomic,
                    uintptr_t pc);
/* rw_check_range of a plain range, returning 1 when our own cells of this
 * epoch already covered every byte (nothing was stored: rw_range_seen's
 * shadow test, answered by the check's own loads of the cells). */
int rw_check_range_covered(rw_thread *t, uintptr_t addr, size_t size, int write, uintptr_t pc);

/* At exit (self: the exiting thread): the unstored plain reads of the
 * other threads, which the exit ends, checked against what changed in
 * their granules since (race_check.c, "the open read"). */
void rw_open_reads_check_at_exit(rw_thread *self);

/* free(): a write of the whole block that leaves "freed" cells behind. */
void rw_check_free(rw_thread *t, uintptr_t addr, size_t size, uintptr_t pc);
/* The same for a part of a block past its head whose shadow the caller
 * knows to be mapped (LD_PRELOAD's noted pages): only the granules that
 * hold cells are checked and marked, none unconditionally, and the page
 * tables are not asked (shadow_resident.h). */
void rw_check_free_used(rw_thread *t, uintptr_t addr, size_t size, uintptr_t pc);
/* The free of a block whose memory goes back to the kernel right after
 * (glibc's munmap of an mmapped chunk): every granule that holds cells is
 * checked against the free, none is marked (an access after the munmap
 * faults; memory mapped there again starts with its shadow cleared).
 * shadow_mapped: the caller knows the
 * range's shadow to be mapped (LD_PRELOAD's noted pages), else the page
 * tables are asked (shadow_resident.h). */
void rw_check_free_unmapped(rw_thread *t, uintptr_t addr, size_t size, uintptr_t pc,
                            int shadow_mapped);

#endif
