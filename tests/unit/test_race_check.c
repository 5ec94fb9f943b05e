/* test_race_check.c: detector/race_check.c, FastTrack over shadow cells.
 *
 * No OS threads: an rw_thread is only state, so "threads" here are slots
 * made with rw_thread_create, and the interleaving is the order of the
 * calls.  Synchronization is done with rw_sync_release/_acquire on sync
 * objects.  A recording rw_race_handler checks which accesses race, with
 * the exact addr/cur/old cells it is given.
 *
 * Clock bookkeeping used for exact values: a new slot's first event is its
 * MARK at position 1, so its first stored access gets position 2.
 *
 * Overflow: a granule whose 4 inline cells are all needed gets an
 * extension (race_check.c) and a marker cell (slot 0 with RW_FREED_BIT,
 * the extension's index in the clock bits: is_marker below); the
 * tests check that no history is lost for up to a few hundred accesses
 * and that a cleared or freed granule does not keep a stale extension's
 * history.  The test case "regression" holds tests for bugs found and
 * fixed. */

#include "detector/race_check.h"
#include "detector/hb_floor.h"

#include <check.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "detector/syncvar.h"
#include "detector/thread.h"

#define G UINT64_C(0x200000001000)   /* a granule-aligned made-up address */
#define PC 0x4242

/* ---- the recording handler --------------------------------------- */

#define MAXCALLS 64
static struct call {
    rw_thread *t;
    uintptr_t addr;
    rw_cell cur, old;
    uintptr_t pc;
} calls[MAXCALLS];
static int ncalls;

static void record(rw_thread *t, uintptr_t addr, rw_cell cur, rw_cell old, uintptr_t pc)
{
    if (ncalls < MAXCALLS)
        calls[ncalls] = (struct call){ t, addr, cur, old, pc };
    ncalls++;
}

static rw_thread *mainth;

static void setup(void)
{
    ck_assert_int_eq(rw_shadow_init(), 0);
    ck_assert_int_eq(rw_threads_init(10), 0);
    rw_race_handler = record;
    ncalls = 0;
    mainth = rw_thread_create_main();
    ck_assert_ptr_nonnull(mainth);
    ck_assert_uint_eq(mainth->slot, 1);
}

/* ---- helpers ----------------------------------------------------- */

static rw_thread *spawn(void)
{
    rw_thread *t = rw_thread_create(mainth, 0);
    ck_assert_ptr_nonnull(t);
    return t;
}

/* One access to 1 << sizelog bytes at a (within one granule). */
static void acc(rw_thread *t, uintptr_t a, unsigned sizelog, int write, int atomic)
{
    uint64_t op = 0;
    rw_check_granule(t, a, sizelog, write, atomic, PC, &op);
}

static void wr(rw_thread *t, uintptr_t a, unsigned sizelog) { acc(t, a, sizelog, 1, 0); }
static void rd(rw_thread *t, uintptr_t a, unsigned sizelog) { acc(t, a, sizelog, 0, 0); }

static void release(rw_thread *t, uintptr_t obj)
{
    rw_sync *s = rw_sync_get(obj, 1);
    rw_spin_lock(&s->lock);
    rw_sync_release(t, s);
    rw_spin_unlock(&s->lock);
}

static void acquire(rw_thread *t, uintptr_t obj)
{
    rw_sync *s = rw_sync_get(obj, 1);
    rw_spin_lock(&s->lock);
    rw_sync_acquire(t, s);
    rw_spin_unlock(&s->lock);
}

/* Join: the joiner acquires the finished thread's exit clock. */
static void join(rw_thread *joiner, rw_thread_info *done)
{
    rw_vclock_join(&joiner->vc, &done->exit_vc);
}

static rw_cell *cells(uintptr_t a)
{
    return rw_shadow_cells(a);
}

/* A marker cell: slot 0 with the freed bit, which no access has. */
static int is_marker(rw_cell c)
{
    return (c & ~RW_CLOCK_MASK) == RW_FREED_BIT;
}

/* The granule's marker cell, or 0. */
static rw_cell marker_in(uintptr_t a)
{
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        if (is_marker(rw_cell_load(cells(a), i, __ATOMIC_RELAXED)))
            return rw_cell_load(cells(a), i, __ATOMIC_RELAXED);
    return 0;
}

/* The accesses the granule holds, inline or in its extension. */
static int accesses(uintptr_t a)
{
    return rw_granule_accesses(a, NULL, 0);
}

static int count_cells(uintptr_t a)
{
    int n = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        n += rw_cell_load(cells(a), i, __ATOMIC_RELAXED) != 0;
    return n;
}

static void assert_call(int i, rw_thread *t, uintptr_t addr, rw_cell cur, rw_cell old)
{
    ck_assert_int_gt(ncalls, i);
    ck_assert_ptr_eq(calls[i].t, t);
    ck_assert_msg(calls[i].addr == addr, "call %d addr %#lx, want %#lx", i,
                  (unsigned long)calls[i].addr, (unsigned long)addr);
    ck_assert_msg(calls[i].cur == cur, "call %d cur %#llx, want %#llx", i,
                  (unsigned long long)calls[i].cur, (unsigned long long)cur);
    ck_assert_msg(calls[i].old == old, "call %d old %#llx, want %#llx", i,
                  (unsigned long long)calls[i].old, (unsigned long long)old);
    ck_assert_uint_eq(calls[i].pc, PC);
}

/* ---- cells ------------------------------------------------------- */

START_TEST(test_cell_encoding)
{
    rw_cell c = rw_cell_make(0x3fff, 12345, 5, 1, 1, 0);
    ck_assert_uint_eq(rw_cell_slot(c), 0x3fff);
    ck_assert_uint_eq(rw_cell_clock(c), 12345);
    ck_assert_uint_eq(rw_cell_offset(c), 5);
    ck_assert_uint_eq(rw_cell_size(c), 2);
    ck_assert_uint_eq(rw_cell_mask(c), 0x60);
    ck_assert(rw_cell_is_write(c));
    ck_assert(!rw_cell_is_atomic(c));
    ck_assert(!rw_cell_is_freed(c));
    ck_assert(rw_cell_is_freed(c | RW_FREED_BIT));
    c = rw_cell_make(1, RW_CLOCK_MASK, 0, 3, 0, 1);
    ck_assert_uint_eq(rw_cell_clock(c), RW_CLOCK_MASK);
    ck_assert_uint_eq(rw_cell_slot(c), 1);
    ck_assert_uint_eq(rw_cell_mask(c), 0xff);
    ck_assert(rw_cell_is_atomic(c));
    ck_assert(!rw_cell_is_write(c));
    /* The key ignores the clock only. */
    ck_assert(rw_cell_key(rw_cell_make(2, 7, 1, 0, 1, 0)) ==
              rw_cell_key(rw_cell_make(2, 9, 1, 0, 1, 0)));
    ck_assert(rw_cell_key(rw_cell_make(2, 7, 1, 0, 1, 0)) !=
              rw_cell_key(rw_cell_make(3, 7, 1, 0, 1, 0)));
    /* dominates: write >= read, plain >= atomic */
    rw_cell w = rw_cell_make(1, 1, 0, 0, 1, 0), r = rw_cell_make(1, 1, 0, 0, 0, 0);
    rw_cell aw = rw_cell_make(1, 1, 0, 0, 1, 1), ar = rw_cell_make(1, 1, 0, 0, 0, 1);
    ck_assert(rw_cell_dominates(w, r));
    ck_assert(!rw_cell_dominates(r, w));
    ck_assert(rw_cell_dominates(w, aw));
    ck_assert(!rw_cell_dominates(aw, w));
    ck_assert(rw_cell_dominates(r, ar));
    ck_assert(!rw_cell_dominates(ar, r));
    ck_assert(rw_cell_dominates(aw, ar));
    ck_assert(!rw_cell_dominates(ar, aw));
}
END_TEST

/* ---- races and non-races ----------------------------------------- */

START_TEST(test_write_write_race)
{
    rw_thread *a = spawn(), *b = spawn();
    ck_assert_uint_eq(a->slot, 2);
    ck_assert_uint_eq(b->slot, 3);
    wr(a, G, 2);
    ck_assert_int_eq(ncalls, 0);
    ck_assert_uint_eq(a->pos, 2);
    ck_assert(rw_cell_load(cells(G), 0, __ATOMIC_RELAXED) == rw_cell_make(2, 2, 0, 2, 1, 0));
    wr(b, G, 2);
    ck_assert_int_eq(ncalls, 1);
    assert_call(0, b, G, rw_cell_make(3, 0, 0, 2, 1, 0), rw_cell_make(2, 2, 0, 2, 1, 0));
    /* The racing cell stays, the new access is stored beside it. */
    ck_assert(rw_cell_load(cells(G), 0, __ATOMIC_RELAXED) == rw_cell_make(2, 2, 0, 2, 1, 0));
    ck_assert(rw_cell_load(cells(G), 1, __ATOMIC_RELAXED) == rw_cell_make(3, 2, 0, 2, 1, 0));
    /* A third unsynchronized thread races too (first racing cell only). */
    rw_thread *c = spawn();
    wr(c, G + 1, 0);
    ck_assert_int_eq(ncalls, 2);
    assert_call(1, c, G + 1, rw_cell_make(4, 0, 1, 0, 1, 0), rw_cell_make(2, 2, 0, 2, 1, 0));
}
END_TEST

START_TEST(test_read_write_races)
{
    rw_thread *a = spawn(), *b = spawn();
    /* read then write */
    rd(a, G, 3);
    wr(b, G + 4, 2);
    ck_assert_int_eq(ncalls, 1);
    assert_call(0, b, G + 4, rw_cell_make(3, 0, 4, 2, 1, 0), rw_cell_make(2, 2, 0, 3, 0, 0));
    /* write then read, in another granule */
    wr(a, G + 8, 0);
    rd(b, G + 8, 0);
    ck_assert_int_eq(ncalls, 2);
    assert_call(1, b, G + 8, rw_cell_make(3, 0, 0, 0, 0, 0), rw_cell_make(2, 3, 0, 0, 1, 0));
}
END_TEST

START_TEST(test_read_read_no_race)
{
    rw_thread *a = spawn(), *b = spawn(), *c = spawn();
    rd(a, G, 3);
    rd(b, G, 3);
    rd(c, G + 2, 1);
    ck_assert_int_eq(ncalls, 0);
    /* Three accesses kept: inline with 4 cells, two inline and one in an
     * extension with 2. */
    ck_assert_int_eq(accesses(G), 3);
    /* Every reader is remembered: a later write races with the first. */
    rw_thread *d = spawn();
    wr(d, G + 2, 0);
    ck_assert_int_eq(ncalls, 1);
#if RW_CELLS_PER_GRANULE == 4
    assert_call(0, d, G + 2, rw_cell_make(5, 0, 2, 0, 1, 0), rw_cell_make(2, 2, 0, 3, 0, 0));
#else
    /* The first read scanned is b's: c's read moved a's into the
     * extension. */
    assert_call(0, d, G + 2, rw_cell_make(5, 0, 2, 0, 1, 0), rw_cell_make(3, 2, 0, 3, 0, 0));
#endif
}
END_TEST

START_TEST(test_distinct_bytes_no_race)
{
    rw_thread *a = spawn(), *b = spawn();
    wr(a, G, 1);            /* bytes 0-1 */
    wr(b, G + 2, 1);        /* bytes 2-3 */
    wr(a, G + 4, 0);        /* byte 4 */
    wr(b, G + 5, 0);        /* byte 5 */
    ck_assert_int_eq(ncalls, 0);
    /* Overlapping by one byte races. */
    wr(b, G + 1, 0);
    ck_assert_int_eq(ncalls, 1);
    assert_call(0, b, G + 1, rw_cell_make(3, 0, 1, 0, 1, 0), rw_cell_make(2, 2, 0, 1, 1, 0));
}
END_TEST

/* release -> acquire orders the accesses; acquire before release does
 * not; without any sync it races. */
START_TEST(test_release_acquire)
{
    rw_thread *a = spawn(), *b = spawn();
    const uintptr_t S = 0x5000;
    wr(a, G, 3);
    release(a, S);
    ck_assert_uint_eq(a->last_release, 2);
    ck_assert_uint_eq(rw_vclock_get(&rw_sync_get(S, 0)->vc, 2), 2);
    acquire(b, S);
    ck_assert_uint_eq(rw_vclock_get(&b->vc, 2), 2);
    wr(b, G, 3);
    ck_assert_int_eq(ncalls, 0);
    /* b's write replaced a's cell (it happens after it and covers it). */
    ck_assert(rw_cell_load(cells(G), 0, __ATOMIC_RELAXED) == rw_cell_make(3, 2, 0, 3, 1, 0));
    ck_assert_int_eq(count_cells(G), 1);

    /* a writes after its release: b's earlier acquire does not cover it. */
    wr(a, G + 8, 3);
    acquire(b, S);
    wr(b, G + 8, 3);
    ck_assert_int_eq(ncalls, 1);
    assert_call(0, b, G + 8, rw_cell_make(3, 0, 0, 3, 1, 0), rw_cell_make(2, 3, 0, 3, 1, 0));

    /* Acquire before the release: no order, race. */
    rw_thread *c = spawn(), *d = spawn();
    const uintptr_t S2 = 0x5008;
    acquire(d, S2);
    wr(c, G + 16, 2);
    release(c, S2);
    rd(d, G + 16, 2);
    ck_assert_int_eq(ncalls, 2);
    assert_call(1, d, G + 16, rw_cell_make(5, 0, 0, 2, 0, 0), rw_cell_make(4, 2, 0, 2, 1, 0));
    /* ... and acquiring afterwards orders the next access. */
    acquire(d, S2);
    wr(d, G + 16, 2);
    ck_assert_int_eq(ncalls, 2);
}
END_TEST

/* Happens-before is transitive through a chain of sync objects. */
START_TEST(test_transitive_order)
{
    rw_thread *a = spawn(), *b = spawn(), *c = spawn();
    wr(a, G, 3);
    release(a, 0x100);
    acquire(b, 0x100);
    release(b, 0x108);
    acquire(c, 0x108);
    wr(c, G, 3);
    ck_assert_int_eq(ncalls, 0);
}
END_TEST

/* release_store (mutex unlock) replaces: a's release is lost after b's
 * release_store if b never acquired a's. */
START_TEST(test_release_store_replaces)
{
    rw_thread *a = spawn(), *b = spawn(), *c = spawn();
    const uintptr_t M = 0x6000;
    wr(a, G, 3);
    rw_sync_release_store_at(a, M);
    rw_sync_release_store_at(b, M);
    rw_sync_acquire_at(c, M);
    wr(c, G, 3);
    ck_assert_int_eq(ncalls, 1);
    /* With an accumulating release the order would be kept. */
    rw_thread *d = spawn(), *e = spawn(), *f = spawn();
    const uintptr_t SEM = 0x6008;
    wr(d, G + 8, 3);
    rw_sync_release_at(d, SEM);
    rw_sync_release_at(e, SEM);
    rw_sync_acquire_at(f, SEM);
    wr(f, G + 8, 3);
    ck_assert_int_eq(ncalls, 1);
}
END_TEST

/* Parent/child: create is a release into the child. */
START_TEST(test_create_and_join_order)
{
    wr(mainth, G, 3);
    rw_thread *a = spawn();
    wr(a, G, 3);                     /* after create: ordered */
    ck_assert_int_eq(ncalls, 0);
    wr(mainth, G + 8, 3);            /* parent after create */
    wr(a, G + 8, 3);                 /* not ordered */
    ck_assert_int_eq(ncalls, 1);
    ck_assert_ptr_eq(calls[0].t, a);
    ck_assert_uint_eq(rw_cell_slot(calls[0].old), 1);

    /* Finish + join orders the child's accesses before the parent's. */
    wr(a, G + 16, 3);
    rw_thread_finish(a);
    join(mainth, a->info);
    wr(mainth, G + 16, 3);
    ck_assert_int_eq(ncalls, 1);
    /* Without a join: race. */
    rw_thread *b = spawn();
    wr(b, G + 24, 3);
    rw_thread_finish(b);
    wr(mainth, G + 24, 3);
    ck_assert_int_eq(ncalls, 2);
    ck_assert_ptr_eq(calls[1].t, mainth);
    ck_assert_uint_eq(rw_cell_slot(calls[1].old), b->slot);
}
END_TEST

START_TEST(test_atomics)
{
    rw_thread *a = spawn(), *b = spawn();
    /* atomic / atomic: never a race */
    acc(a, G, 2, 1, 1);
    acc(b, G, 2, 1, 1);
    acc(b, G, 2, 0, 1);
    acc(a, G, 2, 0, 1);
    ck_assert_int_eq(ncalls, 0);

    /* atomic write / plain read: race, old cell is the atomic one */
    acc(a, G + 8, 3, 1, 1);
    acc(b, G + 8, 3, 0, 0);
    ck_assert_int_eq(ncalls, 1);
    assert_call(0, b, G + 8, rw_cell_make(3, 0, 0, 3, 0, 0), rw_cell_make(2, 3, 0, 3, 1, 1));
    ck_assert(rw_cell_is_atomic(calls[0].old));

    /* plain write / atomic read: race */
    acc(a, G + 16, 0, 1, 0);
    acc(b, G + 16, 0, 0, 1);
    ck_assert_int_eq(ncalls, 2);
    assert_call(1, b, G + 16, rw_cell_make(3, 0, 0, 0, 0, 1), rw_cell_make(2, 4, 0, 0, 1, 0));

    /* atomic read / plain read: no race (no write) */
    acc(a, G + 24, 2, 0, 1);
    acc(b, G + 24, 2, 0, 0);
    ck_assert_int_eq(ncalls, 2);
    /* plain write after atomic read: race */
    rw_thread *c = spawn();
    acc(c, G + 24, 2, 1, 0);
    ck_assert_int_eq(ncalls, 3);
    ck_assert(rw_cell_is_atomic(calls[2].old));
    ck_assert_uint_eq(rw_cell_slot(calls[2].old), 2);
}
END_TEST

/* ---- byte precision with 8 writers ------------------------------- */

/* Eight slots each write their own byte of one granule: no race among
 * them.  Then two more unsynchronized slots write the same byte one after
 * the other: that pair races. */
START_TEST(test_eight_writers_then_racing_pair)
{
    rw_thread *w[8];
    for (int i = 0; i < 8; i++)
        w[i] = spawn();
    for (int byte = 0; byte < 8; byte++) {
        uintptr_t g = G + 64 * (uintptr_t)byte;
        for (int i = 0; i < 8; i++)
            wr(w[i], g + i, 0);
        ck_assert_int_eq(ncalls, 0);
    }
    rw_thread *x = spawn(), *y = spawn();
    for (int byte = 0; byte < 8; byte++) {
        uintptr_t g = G + 64 * (uintptr_t)byte;
        int before = ncalls;
        /* x's write races with the earlier writer of that byte only if its
         * cell survived; don't count it. */
        wr(x, g + byte, 0);
        ncalls = before;
        wr(y, g + byte, 0);
        ck_assert_msg(ncalls == before + 1, "byte %d: %d race calls, want 1", byte,
                      ncalls - before);
        ck_assert_ptr_eq(calls[before].t, y);
        ck_assert_uint_eq(calls[before].addr, g + byte);
        ck_assert(calls[before].cur == rw_cell_make(y->slot, 0, byte, 0, 1, 0));
        /* The old cell is x's or (if it survived) the original writer's. */
        unsigned oslot = rw_cell_slot(calls[before].old);
        ck_assert(oslot == x->slot || oslot == w[byte]->slot);
        ck_assert_uint_eq(rw_cell_offset(calls[before].old), byte);
    }
}
END_TEST

/* Eight slots each write their own byte of one granule; a ninth,
 * unsynchronized slot then writes byte b.  Each of those eight accesses
 * races with exactly one earlier write.  With only 4 inline cells per
 * granule, ThreadSanitizer evicts 4 of the 8 earlier writes and misses
 * those races; racewatch must find all eight (overflow extension). */
START_TEST(test_byte_race_found_with_8_writers)
{
    rw_thread *w[8];
    for (int i = 0; i < 8; i++)
        w[i] = spawn();
    rw_thread *x = spawn();
    int found = 0;
    char missed[64] = "";
    for (int byte = 0; byte < 8; byte++) {
        uintptr_t g = G + 64 * (uintptr_t)byte;
        for (int i = 0; i < 8; i++)
            wr(w[i], g + i, 0);
        ck_assert_int_eq(ncalls, found);
        int before = ncalls;
        wr(x, g + byte, 0);
        if (ncalls == before + 1 && calls[before].addr == g + byte &&
            calls[before].old == rw_cell_make(w[byte]->slot, 2 + (uint64_t)byte, byte, 0, 1, 0) &&
            calls[before].cur == rw_cell_make(x->slot, 0, byte, 0, 1, 0))
            found++;
        else
            snprintf(missed + strlen(missed), sizeof missed - strlen(missed), " %d", byte);
    }
    ck_assert_msg(found == 8,
                  "only %d of 8 byte races found; missed on bytes:%s (%llu evictions)",
                  found, missed, (unsigned long long)rw_stats.evictions);
    ck_assert_uint_eq(rw_stats.evictions, 0);
}
END_TEST

/* 100 readers of one byte, each releasing into its own sync object; a
 * writer that acquired all of them but one races with exactly that one,
 * wherever its cell ended up (inline, moved to the extension, appended). */
START_TEST(test_overflow_keeps_every_reader)
{
    enum { NR = 100 };
    static rw_thread *r[NR];
    for (int i = 0; i < NR; i++)
        r[i] = spawn();
    const int ks[] = { 0, 1, 2, 3, 4, 5, 50, 99 };
    for (unsigned j = 0; j < sizeof ks / sizeof ks[0]; j++) {
        int k = ks[j];
        uintptr_t g = G + 0x1000 + 64 * (uintptr_t)j;
        uintptr_t sobj = 0x100000 + 0x1000 * (uintptr_t)j;
        for (int i = 0; i < NR; i++) {
            rd(r[i], g + 3, 0);
            release(r[i], sobj + 8 * (uintptr_t)i);
        }
        ck_assert_int_eq(ncalls, 0);
        rw_thread *w = spawn();
        for (int i = 0; i < NR; i++)
            if (i != k)
                acquire(w, sobj + 8 * (uintptr_t)i);
        wr(w, g, 3);
        ck_assert_msg(ncalls == 1, "k=%d: %d race calls, want 1", k, ncalls);
        ck_assert_ptr_eq(calls[0].t, w);
        ck_assert_uint_eq(calls[0].addr, g);
        ck_assert_msg(rw_cell_slot(calls[0].old) == r[k]->slot,
                      "k=%d: raced with slot %u, want %u", k, rw_cell_slot(calls[0].old),
                      r[k]->slot);
        ck_assert(calls[0].old == rw_cell_make(r[k]->slot, rw_cell_clock(calls[0].old), 3, 0, 0, 0));
        ncalls = 0;
    }
    ck_assert_uint_eq(rw_stats.evictions, 0);
}
END_TEST

/* A granule that overflowed and was then cleared (memory reused) must not
 * report races against the old extension's cells. */
START_TEST(test_cleared_overflow_forgets_extension)
{
    rw_thread *a[6];
    for (int i = 0; i < 6; i++) {
        a[i] = spawn();
        wr(a[i], G + (uintptr_t)i, 0);
    }
    ck_assert_int_eq(ncalls, 0);
    int markers = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        markers += is_marker(rw_cell_load(cells(G), i, __ATOMIC_RELAXED));
    ck_assert_int_eq(markers, 1);

    rw_shadow_clear(G, 8);
    ck_assert_int_eq(count_cells(G), 0);
    /* New, unsynchronized threads: overflow again on byte 7 (reads). */
    rw_thread *b[6];
    for (int i = 0; i < 6; i++) {
        b[i] = spawn();
        rd(b[i], G + 7, 0);
    }
    ck_assert_int_eq(ncalls, 0);
    /* Writes to bytes the old threads wrote: nothing to race with. */
    for (int i = 0; i < 6; i++)
        wr(b[i], G + (uintptr_t)i, 0);
    ck_assert_msg(ncalls == 0, "%d false race(s) with a cleared extension, first old slot %u",
                  ncalls, ncalls ? rw_cell_slot(calls[0].old) : 0);
    /* And the new history is kept: a write to byte 7 races with b[0]. */
    rw_thread *c = spawn();
    wr(c, G + 7, 0);
    ck_assert_int_eq(ncalls, 1);
    /* The first read of byte 7 scanned: b[0]'s with 4 cells, b[1]'s with
     * 2 (the third read moved b[0]'s into the extension).  With 2 cells
     * all six reads are kept; with 4, the three b[i] whose read was in the
     * extension gave it up for their write (own_oldest: a thread's own
     * older access is what a full extension gives up, RW_EVICT_OWN). */
    ck_assert_uint_eq(rw_cell_slot(calls[0].old), b[RW_CELLS_PER_GRANULE == 4 ? 0 : 1]->slot);
    rw_cell kept[16];
    int n = rw_granule_accesses(G, kept, 16), reads7 = 0;
    for (int i = 0; i < n && i < 16; i++)
        reads7 += !rw_cell_is_write(kept[i]) && rw_cell_offset(kept[i]) == 7;
    ck_assert_int_eq(reads7, RW_CELLS_PER_GRANULE == 4 ? 3 : 6);
}
END_TEST

/* free() over an overflowed granule: the free races with every live
 * access (one report per granule), and afterwards the freed cell alone
 * speaks for the granule. */
START_TEST(test_free_over_overflowed_granule)
{
    rw_thread *a[6];
    for (int i = 0; i < 6; i++) {
        a[i] = spawn();
        rd(a[i], G + (uintptr_t)i, 0);
    }
    rw_thread *f = spawn();
    rw_check_free(f, G, 8, PC);
    ck_assert_int_eq(ncalls, 1);
    ck_assert_ptr_eq(calls[0].t, f);
    rw_cell freed = rw_cell_make(f->slot, 2, 0, 3, 1, 0) | RW_FREED_BIT;
    ck_assert(rw_cell_load(cells(G), 0, __ATOMIC_RELAXED) == freed);
    ck_assert_int_eq(count_cells(G), 1);
    ncalls = 0;
    /* A thread that synchronized with the free: no race with the freed
     * cell, nor with the readers' old (extension) cells. */
    rw_thread *g = spawn();
    release(f, 0xa000);
    acquire(g, 0xa000);
    wr(g, G + 5, 0);
    ck_assert_int_eq(ncalls, 0);
    /* One that did not: races with the free. */
    rw_thread *h = spawn();
    wr(h, G + 1, 0);
    ck_assert_int_eq(ncalls, 1);
    ck_assert(calls[0].old == freed);
}
END_TEST

/* ---- the fast path ------------------------------------------------ */

START_TEST(test_fast_path_no_trace_event)
{
    rw_thread *a = spawn();
    wr(a, G, 2);
    ck_assert_uint_eq(a->pos, 2);
    rw_cell before[4];
    memcpy(before, cells(G), sizeof before);

    /* Same slot, same bytes, since the last release: nothing recorded. */
    wr(a, G, 2);
    ck_assert_uint_eq(a->pos, 2);
    rd(a, G, 2);                     /* a write covers a read */
    ck_assert_uint_eq(a->pos, 2);
    acc(a, G, 2, 1, 1);              /* a plain write covers an atomic one */
    ck_assert_uint_eq(a->pos, 2);
    ck_assert_mem_eq(before, cells(G), sizeof before);

    /* Function entry/exit are events but not releases: still fast. */
    rw_thread_func_entry(a, 0x111);
    ck_assert_uint_eq(a->pos, 3);
    wr(a, G, 2);
    ck_assert_uint_eq(a->pos, 3);
    rw_thread_func_exit(a);
    ck_assert_uint_eq(a->pos, 4);

    /* Different bytes or a stronger kind take the slow path. */
    rd(a, G + 8, 2);
    ck_assert_uint_eq(a->pos, 5);
    wr(a, G + 8, 2);                 /* write after read: stored again */
    ck_assert_uint_eq(a->pos, 6);
    ck_assert(rw_cell_load(cells(G + 8), 0, __ATOMIC_RELAXED) == rw_cell_make(a->slot, 6, 0, 2, 1, 0));
    ck_assert_int_eq(count_cells(G + 8), 1);
    acc(a, G + 16, 2, 1, 1);         /* atomic write... */
    ck_assert_uint_eq(a->pos, 7);
    wr(a, G + 16, 2);                /* ... does not cover a plain one */
    ck_assert_uint_eq(a->pos, 8);
    ck_assert(rw_cell_load(cells(G + 16), 0, __ATOMIC_RELAXED) == rw_cell_make(a->slot, 8, 0, 2, 1, 0));
    ck_assert_int_eq(count_cells(G + 16), 1);
    ck_assert_int_eq(ncalls, 0);
}
END_TEST

START_TEST(test_access_recorded_again_after_release)
{
    rw_thread *a = spawn();
    wr(a, G, 2);
    rd(a, G, 0);                     /* covered by our write since the last
                                        release: nothing to record */
    ck_assert_uint_eq(a->pos, 2);
    ck_assert(rw_cell_load(cells(G), 0, __ATOMIC_RELAXED) == rw_cell_make(a->slot, 2, 0, 2, 1, 0));
    ck_assert_uint_eq(rw_cell_load(cells(G), 1, __ATOMIC_RELAXED), 0);

    release(a, 0x7000);
    ck_assert_uint_eq(a->last_release, 2);
    rd(a, G, 0);                     /* after a release it is recorded */
    ck_assert_uint_eq(a->pos, 3);
    ck_assert(rw_cell_load(cells(G), 1, __ATOMIC_RELAXED) == rw_cell_make(a->slot, 3, 0, 0, 0, 0));
    wr(a, G, 2);
    ck_assert_uint_eq(a->pos, 4);
    /* The new cell replaced the old write; the read of byte 0 it covers
     * is left in place, dead (a newer own cell covers it), and counts as
     * empty: the next stored access of another slot takes it. */
    ck_assert(rw_cell_load(cells(G), 0, __ATOMIC_RELAXED) == rw_cell_make(a->slot, 4, 0, 2, 1, 0));
    ck_assert(rw_cell_load(cells(G), 1, __ATOMIC_RELAXED) == rw_cell_make(a->slot, 3, 0, 0, 0, 0));
    ck_assert_uint_eq(rw_cell_load(cells(G), 2, __ATOMIC_RELAXED), 0);
    ck_assert_uint_eq(rw_cell_load(cells(G), 3, __ATOMIC_RELAXED), 0);
    /* And fast again until the next release. */
    wr(a, G, 2);
    ck_assert_uint_eq(a->pos, 4);

    /* Creating a thread is a release by the parent too. */
    rw_thread *b = rw_thread_create(a, 0);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(a->last_release, 4);
    wr(a, G, 2);
    ck_assert_uint_eq(a->pos, 5);
    /* The child saw position 4, not 5: the parent's new write races. */
    wr(b, G, 2);
    ck_assert_int_eq(ncalls, 1);
    ck_assert(calls[0].old == rw_cell_make(a->slot, 5, 0, 2, 1, 0));
    ck_assert_uint_eq(rw_cell_slot(rw_cell_load(cells(G), 1, __ATOMIC_RELAXED)), b->slot);   /* took the dead cell */
}
END_TEST

/* ---- ranges ------------------------------------------------------ */

START_TEST(test_range_one_event_per_operation)
{
    rw_thread *a = spawn(), *b = spawn();
    /* 8 bytes at G+4: two 4-byte pieces in two granules, one position. */
    rw_check_range(a, G + 4, 8, 1, 0, PC);
    ck_assert_uint_eq(a->pos, 2);
    ck_assert(rw_cell_load(cells(G), 0, __ATOMIC_RELAXED) == rw_cell_make(a->slot, 2, 4, 2, 1, 0));
    ck_assert(rw_cell_load(cells(G + 8), 0, __ATOMIC_RELAXED) == rw_cell_make(a->slot, 2, 0, 2, 1, 0));
    /* 64 bytes: one position for 8 granules */
    rw_check_range(a, G + 64, 64, 0, 0, PC);
    ck_assert_uint_eq(a->pos, 3);
    for (int i = 0; i < 8; i++)
        ck_assert(cells(G + 64 + 8 * (uintptr_t)i)[0] == rw_cell_make(a->slot, 3, 0, 3, 0, 0));
    /* Again: all fast. */
    rw_check_range(a, G + 64, 64, 0, 0, PC);
    ck_assert_uint_eq(a->pos, 3);

    /* A race in the second granule gets that granule's address. */
    rw_check_range(b, G + 9, 1, 1, 0, PC);
    ck_assert_int_eq(ncalls, 1);
    assert_call(0, b, G + 9, rw_cell_make(b->slot, 0, 1, 0, 1, 0),
                rw_cell_make(a->slot, 2, 0, 2, 1, 0));
    /* An unaligned 3-byte range: cells of 2 and 1 bytes (at 1 and 3; a
     * 2-byte cell need not be naturally placed). */
    rw_check_range(b, G + 129, 3, 0, 0, PC);
    ck_assert(rw_cell_load(cells(G + 128), 0, __ATOMIC_RELAXED) == rw_cell_make(b->slot, 3, 1, 1, 0, 0));
    ck_assert(rw_cell_load(cells(G + 128), 1, __ATOMIC_RELAXED) == rw_cell_make(b->slot, 3, 3, 0, 0, 0));
    /* A 16-byte access over a race reports each granule once. */
    rw_check_range(b, G + 64, 16, 1, 0, PC);
    ck_assert_int_eq(ncalls, 3);
    ck_assert_uint_eq(calls[1].addr, G + 64);
    ck_assert_uint_eq(calls[2].addr, G + 72);
    /* Size 0: nothing. */
    uint64_t p = b->pos;
    rw_check_range(b, G + 256, 0, 1, 0, PC);
    ck_assert_uint_eq(b->pos, p);
    ck_assert_int_eq(count_cells(G + 256), 0);
}
END_TEST

/* ---- free ------------------------------------------------------- */

START_TEST(test_free_leaves_freed_cells)
{
    rw_thread *a = spawn(), *b = spawn();
    wr(a, G, 3);
    rd(a, G + 8, 2);
    rw_check_free(a, G, 16, PC);
    ck_assert_int_eq(ncalls, 0);
    ck_assert_uint_eq(a->pos, 4);           /* one event for the free */
    rw_cell freed = rw_cell_make(a->slot, 4, 0, 3, 1, 0) | RW_FREED_BIT;
    for (uintptr_t g = G; g < G + 16; g += 8) {
        ck_assert(rw_cell_load(cells(g), 0, __ATOMIC_RELAXED) == freed);
        for (int i = 1; i < RW_CELLS_PER_GRANULE; i++)
            ck_assert_uint_eq(rw_cell_load(cells(g), i, __ATOMIC_RELAXED), 0);
    }
    /* A later unsynchronized access races with the free. */
    rd(b, G + 4, 0);
    ck_assert_int_eq(ncalls, 1);
    assert_call(0, b, G + 4, rw_cell_make(b->slot, 0, 4, 0, 0, 0), freed);
    ck_assert(rw_cell_is_freed(calls[0].old));
    wr(b, G + 8, 3);
    ck_assert_int_eq(ncalls, 2);
    assert_call(1, b, G + 8, rw_cell_make(b->slot, 0, 0, 3, 1, 0), freed);

    /* The freeing thread itself: no race with its own free (G holds the
     * freed cell and b's read of byte 4). */
    rd(a, G + 1, 0);
    ck_assert_int_eq(ncalls, 2);

    /* After synchronizing with the free: no race. */
    rw_thread *c = spawn();
    release(a, 0x8100);
    acquire(c, 0x8100);
    wr(c, G + 1, 0);
    ck_assert_int_eq(ncalls, 2);
    /* ... unlike a thread that did not synchronize. */
    rw_thread *d = spawn();
    wr(d, G + 2, 0);
    ck_assert_int_eq(ncalls, 3);
    ck_assert(calls[2].old == freed);
}
END_TEST

START_TEST(test_free_races_with_earlier_access)
{
    rw_thread *a = spawn(), *b = spawn();
    wr(b, G + 2, 1);
    rw_check_free(a, G, 8, PC);
    ck_assert_int_eq(ncalls, 1);
    assert_call(0, a, G, rw_cell_make(a->slot, 0, 0, 3, 1, 0), rw_cell_make(b->slot, 2, 2, 1, 1, 0));
    /* The free's cell replaces everything. */
    ck_assert(rw_cell_load(cells(G), 0, __ATOMIC_RELAXED) == (rw_cell_make(a->slot, 2, 0, 3, 1, 0) | RW_FREED_BIT));
    ck_assert_int_eq(count_cells(G), 1);

    /* A read that was released before the free does not race. */
    rw_thread *c = spawn(), *d = spawn();
    rd(c, G + 32, 2);
    release(c, 0x8000);
    acquire(d, 0x8000);
    rw_check_free(d, G + 32, 5, PC);          /* partial granule: still whole */
    ck_assert_int_eq(ncalls, 1);
    ck_assert(rw_cell_load(cells(G + 32), 0, __ATOMIC_RELAXED) == (rw_cell_make(d->slot, 2, 0, 3, 1, 0) | RW_FREED_BIT));
}
END_TEST

/* A big block's free marks its first 4 KiB and, further on, only the
 * granules that hold accesses: those are still checked (the race with an
 * access at 40 KiB is found), the untouched ones stay empty (the cost of
 * freeing a mostly unused 64 KiB buffer, bench/libuv.py). */
START_TEST(test_big_free_marks_used_granules_past_4k)
{
    rw_thread *a = spawn(), *b = spawn();
    wr(b, G + 40960, 1);
    rw_check_free(a, G, 65536, PC);
    ck_assert_int_eq(ncalls, 1);
    ck_assert(calls[0].old == rw_cell_make(b->slot, 2, 0, 1, 1, 0));
    /* The head's empty granules hold the free's cell in cell 0: no last
     * cell of theirs has a page yet (race_check.c, mark_head_page_by_cas;
     * without planes, always the last cell). */
    const int head_cell = RW_SHADOW_PLANES ? 0 : RW_CELLS_PER_GRANULE - 1;
    ck_assert(rw_cell_load(cells(G), head_cell, __ATOMIC_RELAXED) ==
              (rw_cell_make(a->slot, a->pos, 0, 3, 1, 0) | RW_FREED_BIT));
    ck_assert_int_eq(count_cells(G), 1);
    ck_assert(rw_cell_is_freed(rw_cell_load(cells(G + 4088), head_cell, __ATOMIC_RELAXED)));
    ck_assert_int_eq(count_cells(G + 4088), 1);
    ck_assert(rw_cell_is_freed(rw_cell_load(cells(G + 40960), 0, __ATOMIC_RELAXED)));
    ck_assert_int_eq(count_cells(G + 4096), 0);
    ck_assert_int_eq(count_cells(G + 65528), 0);
}
END_TEST

/* Where the last cells of a head's granules have a page in use (four
 * threads' reads filled one granule's cells), its empty granules hold the
 * free's cell in their last cell, stored before one fence
 * (mark_freed_batch); the full granule gets the whole check and is
 * marked in cell 0. */
START_TEST(test_free_head_marks_last_cell_where_in_use)
{
    rw_thread *r[4], *f = spawn();
    for (int i = 0; i < 4; i++) {
        r[i] = spawn();
        rd(r[i], G + 8, 3);
        release(r[i], 0x9000 + 8 * (uintptr_t)i);
    }
    ck_assert_int_eq(count_cells(G + 8), 4);
    for (int i = 0; i < 4; i++)
        acquire(f, 0x9000 + 8 * (uintptr_t)i);
    rw_check_free(f, G, 4096, PC);
    ck_assert_int_eq(ncalls, 0);
    rw_cell freed = rw_cell_make(f->slot, f->pos, 0, 3, 1, 0) | RW_FREED_BIT;
    ck_assert(rw_cell_load(cells(G), RW_CELLS_PER_GRANULE - 1, __ATOMIC_RELAXED) == freed);
    ck_assert_int_eq(count_cells(G), 1);
    ck_assert(rw_cell_load(cells(G + 8), 0, __ATOMIC_RELAXED) == freed);
    ck_assert_int_eq(count_cells(G + 8), 1);
    ck_assert(rw_cell_load(cells(G + 4088), RW_CELLS_PER_GRANULE - 1, __ATOMIC_RELAXED) == freed);
    ck_assert_int_eq(count_cells(G + 4088), 1);
}
END_TEST

/* A free's batch finds a cell in any of a granule's cells, checks it
 * against the free and marks the granule (mark_freed_batch reads the
 * batch's planes as runs).  In the first page every plane is in use, so
 * the empty granules are marked by a plain store into the last cell: a
 * granule whose only cell is its last must not have it overwritten.  In
 * the second (a block of its own) the last plane has no page, so the empty ones are marked by
 * CAS into cell 0, two granules per cmpxchg16b where both are empty: a
 * granule whose only cell is in plane 1 or 2 must not pass for empty, and
 * one whose cell 0 holds a cell (an odd one, beside an empty even one)
 * must not be paired.  Each planted cell is another thread's 8-byte write,
 * unordered with the free: one report per granule, in address order. */
START_TEST(test_free_batch_sees_every_plane)
{
    rw_thread *a = spawn(), *b = spawn();
    rw_cell theirs = rw_cell_make(b->slot, 1, 0, 3, 1, 0);
    uintptr_t at[RW_CELLS_PER_GRANULE + RW_CELLS_PER_GRANULE - 1];
    int n = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        at[n] = G + 8 + 72 * (uintptr_t)i;
        rw_cell_store(cells(at[n++]), i, theirs, __ATOMIC_RELAXED);
    }
    for (int i = 0; i < RW_CELLS_PER_GRANULE - 1; i++) {
        at[n] = G + 4096 + 8 + 520 * (uintptr_t)i;
        rw_cell_store(cells(at[n++]), i, theirs, __ATOMIC_RELAXED);
    }
    rw_check_free(a, G, 4096, PC);
    rw_check_free(a, G + 4096, 4096, PC);
    ck_assert_int_eq(ncalls, n);
    rw_cell probe = rw_cell_make(a->slot, 0, 0, 3, 1, 0);
    for (int k = 0; k < n; k++) {
        assert_call(k, a, at[k], probe, theirs);
        ck_assert(rw_cell_is_freed(rw_cell_load(cells(at[k]), 0, __ATOMIC_RELAXED)));
        ck_assert_int_eq(count_cells(at[k]), 1);
    }
    /* The empty granules beside them: marked, one cell each. */
    ck_assert(rw_cell_is_freed(rw_cell_load(cells(G), RW_CELLS_PER_GRANULE - 1, __ATOMIC_RELAXED)));
    ck_assert_int_eq(count_cells(G), 1);
    ck_assert(rw_cell_is_freed(rw_cell_load(cells(G + 4096), RW_SHADOW_PLANES ? 0 : RW_CELLS_PER_GRANULE - 1,
                                            __ATOMIC_RELAXED)));
    ck_assert_int_eq(count_cells(G + 4096), 1);
}
END_TEST

/* A page of memory freed again and again at the same place (a buffer per
 * message) is marked in cell 0 by CAS until those frees have marked
 * FREE_CAS_PAGE_GRANULES (2048, four whole pages) that way, then in the
 * last cell (one page of shadow, then cheap stores). */
START_TEST(test_free_same_place_marks_last_cell_from_the_fifth)
{
#if RW_SHADOW_PLANES
    rw_thread *a = spawn();
    for (int i = 1; i <= 6; i++) {
        rw_check_free(a, G, 4096, PC);
        rw_cell freed = rw_cell_make(a->slot, a->pos, 0, 3, 1, 0) | RW_FREED_BIT;
        int cell = i <= 4 ? 0 : RW_CELLS_PER_GRANULE - 1;
        ck_assert(rw_cell_load(cells(G), cell, __ATOMIC_RELAXED) == freed);
        ck_assert(rw_cell_load(cells(G + 4088), cell, __ATOMIC_RELAXED) == freed);
        ck_assert_int_eq(count_cells(G + 2048), 1);
        rw_shadow_clear(G, 4096);
    }
    ck_assert_int_eq(ncalls, 0);
#endif
}
END_TEST

/* The used granules past 4 KiB are found by a line-wise scan that jumps
 * over empty shadow: accesses in the first granule past 4 KiB, inside a
 * line, right after a long empty stretch and in the very last granule
 * are all checked against the free (one report each) and marked. */
START_TEST(test_big_free_finds_every_used_granule)
{
    rw_thread *a = spawn(), *b = spawn();
    uintptr_t used[] = { G + 4096, G + 4096 + 24, G + 33000, G + 65528 };
    for (size_t k = 0; k < sizeof used / sizeof used[0]; k++)
        wr(b, used[k], 0);
    rw_check_free(a, G, 65536, PC);
    ck_assert_int_eq(ncalls, 4);
    for (size_t k = 0; k < sizeof used / sizeof used[0]; k++)
        ck_assert(rw_cell_is_freed(cells(used[k] & ~(uintptr_t)7)[0]));
    ck_assert_int_eq(count_cells(G + 4096 + 8), 0);
    ck_assert_int_eq(count_cells(G + 65520), 0);
}
END_TEST

/* Past a big block's head (rw_check_free_used: only granules that hold
 * cells are checked and marked), granules are taken two at a time where
 * cmpxchg16b exists (race_check.c, mark_used_pair): both of a pair in use,
 * one in use beside an empty one (which stays empty), an odd granule in
 * use beside an empty even one, a granule with two other threads' cells
 * (one report), the freeing thread's own cell and a cell ordered before
 * the free (marked, no report). */
START_TEST(test_used_free_marks_granules_two_at_a_time)
{
    rw_thread *a = spawn(), *b = spawn(), *c = spawn(), *d = spawn();
    const uintptr_t at = G + 8192;
    wr(d, at + 72, 3);
    release(d, 0x7100);
    acquire(a, 0x7100);
    wr(b, at, 3);
    wr(b, at + 8, 3);
    wr(b, at + 16, 3);
    wr(b, at + 40, 3);
    wr(b, at + 48, 3);
    rd(c, at + 48, 3);
    wr(a, at + 64, 3);
    unsigned before = ncalls;
    rw_check_free_used(a, at, 128, PC);
    static const uintptr_t racing[] = { 0, 8, 16, 40, 48 };
    ck_assert_int_eq(ncalls, before + 5);
    for (int k = 0; k < 5; k++) {
        ck_assert_ptr_eq(calls[before + k].t, a);
        ck_assert_uint_eq(calls[before + k].addr, at + racing[k]);
    }
    static const uintptr_t marked[] = { 0, 8, 16, 40, 48, 64, 72 };
    for (int k = 0; k < 7; k++) {
        ck_assert(rw_cell_is_freed(rw_cell_load(cells(at + marked[k]), 0, __ATOMIC_RELAXED)));
        ck_assert_int_eq(count_cells(at + marked[k]), 1);
    }
    ck_assert_int_eq(count_cells(at + 24), 0);
    ck_assert_int_eq(count_cells(at + 32), 0);
    ck_assert_int_eq(count_cells(at + 56), 0);
}
END_TEST

/* Past a big block's head, the walk starts with the empty-prefix scan
 * (race_check.c, mark_used_granules), then takes batches while they find
 * granules in use.  Whatever the first granule in use holds, the scan
 * must stop there: here one run of a page begins with a granule whose
 * only cell is in plane i (planted: another thread's 8-byte write), for
 * each plane, after an empty stretch of a different length each time;
 * then, further on, a dense stretch of 24 granules (batches) followed by
 * an empty one and a last granule in use.  One report per granule in use,
 * in address order, each marked; the empty granules stay empty. */
START_TEST(test_used_free_scan_stops_at_any_plane)
{
    rw_thread *a = spawn(), *b = spawn();
    rw_cell theirs = rw_cell_make(b->slot, 1, 0, 3, 1, 0);
    rw_cell probe = rw_cell_make(a->slot, 0, 0, 3, 1, 0);
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        /* Every plane present on this page, so that a cell alone in
         * plane i is there to be found (and not the plane's first). */
        uintptr_t page = G + 16384 + 4096 * (uintptr_t)i;
        for (int j = 0; j < RW_CELLS_PER_GRANULE; j++)
            rw_cell_store(cells(page + 4088), j, theirs, __ATOMIC_RELAXED);
        rw_shadow_clear(page + 4088, 8);
        uintptr_t first = page + 8 + 136 * (uintptr_t)i;
        rw_cell_store(cells(first), i, theirs, __ATOMIC_RELAXED);
        uintptr_t at[26];
        int n = 0;
        at[n++] = first;
        for (int k = 0; k < 24; k++) {
            at[n] = page + 2048 + 8 * (uintptr_t)k;
            wr(b, at[n++], 3);
        }
        at[n] = page + 4080;
        wr(b, at[n++], 3);
        ncalls = 0; /* MAXCALLS: one plane's reports at a time */
        const int before = 0;
        rw_check_free_used(a, page, 4096, PC);
        ck_assert_int_eq(ncalls, n);
        for (int k = 0; k < n; k++) {
            ck_assert_ptr_eq(calls[before + k].t, a);
            ck_assert_uint_eq(calls[before + k].addr, at[k]);
            ck_assert(rw_cell_is_freed(rw_cell_load(cells(at[k]), 0, __ATOMIC_RELAXED)));
            ck_assert_int_eq(count_cells(at[k]), 1);
        }
        assert_call(before, a, first, probe, theirs);
        ck_assert_int_eq(count_cells(page), 0);
        ck_assert_int_eq(count_cells(first - 8), 0);
        ck_assert_int_eq(count_cells(page + 2048 + 8 * 24), 0);
        ck_assert_int_eq(count_cells(page + 4088), 0);
    }
}
END_TEST

/* The free of a block glibc unmaps at once (rw_check_free_unmapped,
 * runtime/intercept_malloc.c): every granule that holds cells is checked
 * as rw_check_free_used checks it, none is marked, no cell changes.  On
 * one page where every plane is present: another thread's 8-byte write
 * planted alone in plane i of a granule, for each plane; the freeing
 * thread's own write; a write ordered before the free; two extensions
 * (six writers of one byte each, each ordered before the free), one of
 * them with a seventh, unordered writer's cell among its extension's; a dense stretch of 24 granules
 * (batches) and a last granule.  One report per granule that holds an
 * unordered cell, in address order; every cell as it was. */
START_TEST(test_unmapped_free_checks_without_marks)
{
    rw_thread *a = spawn(), *b = spawn(), *d = spawn();
    rw_thread *w[6], *o[6];
    for (int k = 0; k < 6; k++) {
        w[k] = spawn();
        o[k] = spawn();
    }
    const uintptr_t page = G + 65536;
    rw_cell theirs = rw_cell_make(b->slot, 1, 0, 3, 1, 0);
    rw_cell probe = rw_cell_make(a->slot, 0, 0, 3, 1, 0);
    for (int j = 0; j < RW_CELLS_PER_GRANULE; j++)
        rw_cell_store(cells(page + 4088), j, theirs, __ATOMIC_RELAXED);
    rw_shadow_clear(page + 4088, 8);
    uintptr_t at[40];
    int n = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        at[n] = page + 8 + 8 * (uintptr_t)i;
        rw_cell_store(cells(at[n++]), i, theirs, __ATOMIC_RELAXED);
    }
    wr(a, page + 64, 3);
    wr(d, page + 72, 3);
    release(d, 0x7200);
    acquire(a, 0x7200);
    at[n++] = page + 80;
    for (int k = 0; k < 6; k++) {
        wr(o[k], page + 80 + (uintptr_t)k, 0);
        wr(o[k], page + 88 + (uintptr_t)k, 0);
        release(o[k], 0x7300 + (uintptr_t)k);
        acquire(a, 0x7300 + (uintptr_t)k);
    }
    wr(w[0], page + 87, 0);
    ck_assert(marker_in(page + 80) != 0);
    ck_assert(marker_in(page + 88) != 0);
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) /* the unordered one: in the extension */
        ck_assert_uint_ne(rw_cell_slot(rw_cell_load(cells(page + 80), i, __ATOMIC_RELAXED)),
                          w[0]->slot);
    for (int k = 0; k < 24; k++) {
        at[n] = page + 2048 + 8 * (uintptr_t)k;
        wr(b, at[n++], 3);
    }
    at[n] = page + 4080;
    wr(b, at[n++], 3);
    rw_cell before[512][RW_CELLS_PER_GRANULE];
    for (int g = 0; g < 512; g++)
        for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
            before[g][i] = rw_cell_load(cells(page + 8 * (uintptr_t)g), i, __ATOMIC_RELAXED);
    const int accesses_80 = accesses(page + 80), accesses_88 = accesses(page + 88);
    ncalls = 0;
    rw_check_free_unmapped(a, page, 4096, PC, 1);
    ck_assert_int_eq(ncalls, n);
    for (int k = 0; k < n; k++) {
        ck_assert_ptr_eq(calls[k].t, a);
        ck_assert_msg(calls[k].addr == at[k], "report %d at %#lx, want %#lx", k,
                      (unsigned long)calls[k].addr, (unsigned long)at[k]);
    }
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        assert_call(i, a, at[i], probe, theirs);
    for (int g = 0; g < 512; g++)
        for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
            ck_assert_msg(rw_cell_load(cells(page + 8 * (uintptr_t)g), i, __ATOMIC_RELAXED) ==
                              before[g][i],
                          "granule %d cell %d changed by the free", g, i);
    ck_assert_int_eq(accesses(page + 80), accesses_80);
    ck_assert_int_eq(accesses(page + 88), accesses_88);
}
END_TEST

/* Whether the shadow page holding the cells of a is mapped. */
static int shadow_resident(uintptr_t a)
{
    unsigned char v = 0;
    uintptr_t page = (uintptr_t)cells(a) & ~(uintptr_t)4095;
    ck_assert_int_eq(mincore((void *)page, 4096, &v), 0);
    return v & 1;
}

/* A free checks the whole block, however big: accesses of another thread
 * at the very end of a 256 KiB and of a 3 MiB block (its shadow spans
 * four chunks), past the first 64 KiB where the check used to stop, race
 * with the free, and their granules are marked (a later use there is a
 * use after free).  Shadow pages that no access mapped are not even read
 * (shadow_resident.h): they stay unmapped. */
START_TEST(test_big_free_checks_to_the_end)
{
    static const size_t sizes[] = { 256 << 10, 3 << 20 };
    for (size_t k = 0; k < 2; k++) {
        uintptr_t base = G + (k ? (8 << 20) : 0), size = sizes[k];
        rw_thread *a = spawn(), *b = spawn();
        unsigned before = ncalls;
        wr(b, base + size - 8, 3);
        wr(b, base + size - 70000, 0);
        rw_check_free(a, base, size, PC);
        ck_assert_int_eq(ncalls, before + 2);
        ck_assert(rw_cell_is_freed(rw_cell_load(cells(base + size - 8), 0, __ATOMIC_RELAXED)));
        ck_assert(rw_cell_is_freed(rw_cell_load(cells(base + size - 70000), 0, __ATOMIC_RELAXED)));
        ck_assert_int_eq(count_cells(base + size - 16), 0);
        ck_assert(!shadow_resident(base + size / 2 + 4096));
        ck_assert(!shadow_resident(base + size - 16384));
    }
}
END_TEST

/* Clearing a big range clears every cell in it, including freed marks
 * and cells in another shadow chunk, and maps no shadow page that no
 * access mapped. */
START_TEST(test_big_clear_clears_only_mapped_shadow)
{
    rw_thread *a = spawn(), *b = spawn();
    uintptr_t size = 3 << 20;
    wr(b, G + 8, 3);
    wr(b, G + size - 8, 3);
    wr(a, G + (2 << 20) + 1024, 0);
    rw_check_free(a, G + (2 << 20), 1024, PC);
    rw_shadow_clear(G, size);
    ck_assert_int_eq(count_cells(G + 8), 0);
    ck_assert_int_eq(count_cells(G + size - 8), 0);
    ck_assert_int_eq(count_cells(G + (2 << 20)), 0);
    ck_assert_int_eq(count_cells(G + (2 << 20) + 1024), 0);
    ck_assert(!shadow_resident(G + (1 << 20) + 8192));
    ck_assert(!shadow_resident(G + size - 65536));
}
END_TEST

/* ---- slots reused across threads ---------------------------------- */

START_TEST(test_reused_slot_races_name_the_right_thread)
{
    rw_thread *x = spawn();                    /* never synchronizes */
    rw_thread *c1 = spawn();
    rw_thread_info *in1 = c1->info;
    wr(c1, G, 3);                              /* c1 pos 2 */
    rw_thread_finish(c1);
    join(mainth, in1);
    rw_thread *c2 = rw_thread_create(mainth, 0);
    ck_assert_ptr_eq(c2, c1);                  /* slot reused */
    rw_thread_info *in2 = c2->info;
    ck_assert_ptr_ne(in2, in1);
    ck_assert_uint_eq(c2->pos, 3);             /* MARK after final pos 2 */
    /* Same slot: the new occupant is ordered after the old. */
    wr(c2, G, 3);                              /* pos 4, replaces c1's cell */
    ck_assert_int_eq(ncalls, 0);
    ck_assert(rw_cell_load(cells(G), 0, __ATOMIC_RELAXED) == rw_cell_make(c2->slot, 4, 0, 3, 1, 0));
    ck_assert_int_eq(count_cells(G), 1);
    wr(c2, G + 8, 3);                          /* pos 5 */
    /* x races with it; the cell names slot 3, the clock names thread in2. */
    wr(x, G + 8, 3);
    ck_assert_int_eq(ncalls, 1);
    assert_call(0, x, G + 8, rw_cell_make(x->slot, 0, 0, 3, 1, 0),
                rw_cell_make(c2->slot, 5, 0, 3, 1, 0));
    ck_assert_ptr_eq(rw_thread_info_at(c2->slot, rw_cell_clock(calls[0].old)), in2);
    ck_assert_ptr_eq(rw_thread_info_at(c2->slot, 2), in1);
}
END_TEST

/* The old cell of a finished, reused slot names the old thread. */
START_TEST(test_old_occupant_cell_after_reuse)
{
    rw_thread *x = spawn();
    rw_thread *c1 = spawn();
    rw_thread_info *in1 = c1->info;
    wr(c1, G, 3);
    rw_thread_finish(c1);
    join(mainth, in1);
    rw_thread *c2 = rw_thread_create(mainth, 0);
    ck_assert_ptr_eq(c2, c1);
    wr(c2, G + 64, 3);
    wr(x, G, 3);
    ck_assert_int_eq(ncalls, 1);
    assert_call(0, x, G, rw_cell_make(x->slot, 0, 0, 3, 1, 0), rw_cell_make(c1->slot, 2, 0, 3, 1, 0));
    ck_assert_ptr_eq(rw_thread_info_at(c1->slot, 2), in1);
    ck_assert_ptr_eq(rw_thread_info_at(c1->slot, rw_cell_clock(rw_cell_load(cells(G + 64), 0, __ATOMIC_RELAXED))), c2->info);
}
END_TEST

/* ---- overflow ------------------------------------------------------ */

/* Five threads write five different bytes of one granule: one inline
 * cell becomes the marker and no access is lost, whichever cell was moved
 * to the extension. */
START_TEST(test_overflow_moves_a_cell_to_the_extension)
{
    rw_thread *w[5];
    for (int i = 0; i < 5; i++)
        w[i] = spawn();
    const int n = RW_CELLS_PER_GRANULE; /* the writes that fit inline */
    for (int i = 0; i < n; i++)
        wr(w[i], G + (uintptr_t)i, 0);
    ck_assert_int_eq(count_cells(G), n);
    uint64_t ev = rw_stats.evictions;
    for (int i = n; i < 5; i++)
        wr(w[i], G + (uintptr_t)i, 0);
    ck_assert_int_eq(ncalls, 0);
    ck_assert_uint_eq(rw_stats.evictions, ev);
    ck_assert_int_eq(accesses(G), 5);
    /* Exactly one marker; the other inline cells are n - 1 of the first
     * n writes, unchanged. */
    int markers = 0, kept = 0;
    for (int i = 0; i < n; i++) {
        rw_cell c = rw_cell_load(cells(G), i, __ATOMIC_RELAXED);
        if (is_marker(c)) {
            markers++;
            continue;
        }
        for (int j = 0; j < n; j++)
            kept += c == rw_cell_make(w[j]->slot, 2, (unsigned)j, 0, 1, 0);
    }
    ck_assert_int_eq(markers, 1);
    ck_assert_int_eq(kept, n - 1);
    /* A stranger races with each of the five writes, on its own byte. */
    rw_thread *x = spawn();
    for (int i = 0; i < 5; i++) {
        rd(x, G + (uintptr_t)i, 0);
        ck_assert_int_eq(ncalls, i + 1);
        assert_call(i, x, G + (uintptr_t)i, rw_cell_make(x->slot, 0, (unsigned)i, 0, 0, 0),
                    rw_cell_make(w[i]->slot, 2, (unsigned)i, 0, 1, 0));
    }
    /* A writer's later access (new epoch) to its byte replaces its own
     * cell wherever it is: a second stranger sees the new clock. */
    for (int i = 0; i < 5; i++) {
        release(w[i], 0x9000 + 8 * (uintptr_t)i);
        wr(w[i], G + (uintptr_t)i, 0);
        ck_assert_uint_eq(w[i]->pos, 3);
    }
    ncalls = 0;
    rw_thread *y = spawn();
    for (int i = 0; i < 5; i++) {
        wr(y, G + (uintptr_t)i, 0);
        ck_assert_int_eq(ncalls, i + 1);
        /* x's read of the byte may be the first racing cell scanned */
        ck_assert(calls[i].old == rw_cell_make(w[i]->slot, 3, (unsigned)i, 0, 1, 0) ||
                  calls[i].old == rw_cell_make(x->slot, rw_cell_clock(calls[i].old), (unsigned)i, 0, 0, 0));
    }
}
END_TEST

/* Each extended granule's marker names its own extension (an index,
 * so that the slow path finds it without a search or a lock), and a
 * later overflow of the same granule after a clear reuses it. */
START_TEST(test_markers_carry_their_extension)
{
    enum { GRANULES = 3 };
    rw_cell marker[GRANULES];
    for (int g = 0; g < GRANULES; g++) {
        for (int i = 0; i < 5; i++)
            rd(spawn(), G + 8 * (uintptr_t)g, 3);
        marker[g] = marker_in(G + 8 * (uintptr_t)g);
        ck_assert_msg(marker[g] != 0, "granule %d: no marker", g);
        ck_assert_msg(rw_cell_clock(marker[g]) != 0, "granule %d: marker without an index", g);
        for (int h = 0; h < g; h++)
            ck_assert_msg(marker[g] != marker[h], "granules %d and %d share a marker", h, g);
    }
    ck_assert_int_eq(ncalls, 0);
    rw_shadow_clear(G, 8);
    for (int i = 0; i < 5; i++)
        rd(spawn(), G, 3);
    ck_assert(marker_in(G) == marker[0]);
}
END_TEST

/* Six threads read one word, so their cells overflow into an extension;
 * reading it again is redundant (no trace position) whether the reader's
 * cell is inline or in the extension, and a seventh thread's unordered
 * write still races with a read, every time, each of six rounds. */
START_TEST(test_extended_granule_rereads_and_race)
{
    for (int round = 0; round < 6; round++) {
        uintptr_t g = G + 64 * (uintptr_t)round;
        rw_thread *r[6];
        for (int i = 0; i < 6; i++) {
            r[i] = spawn();
            rd(r[i], g, 3);
        }
        ck_assert(marker_in(g) != 0);
        for (int i = 0; i < 6; i++) {
            uint64_t pos = r[i]->pos;
            rd(r[i], g + 4, 2);
            rd(r[i], g, 3);
            ck_assert_msg(r[i]->pos == pos, "round %d reader %d stored a redundant read", round, i);
        }
        ck_assert_int_eq(ncalls, 0);
        rw_thread *w = spawn();
        wr(w, g + (uintptr_t)round % 8, 0);
        ck_assert_msg(ncalls == 1, "round %d: %d race calls, want 1", round, ncalls);
        int found = 0;
        for (int i = 0; i < 6; i++)
            found |= rw_cell_slot(calls[0].old) == r[i]->slot;
        ck_assert_msg(found, "round %d: raced with slot %u, not a reader", round,
                      rw_cell_slot(calls[0].old));
        ncalls = 0;
    }
}
END_TEST

/* No handler installed: races are not reported, and nothing crashes. */
START_TEST(test_no_handler)
{
    rw_race_handler = NULL;
    rw_thread *a = spawn(), *b = spawn();
    wr(a, G, 3);
    wr(b, G, 3);
    ck_assert_int_eq(ncalls, 0);
    ck_assert_int_eq(count_cells(G), 2);
}
END_TEST

/* ---- known bugs ---------------------------------------------------- */

/* BUG (performance; detector/race_check.h rw_check_granule +
 * race_check.c rw_check_granule_slow): the hot path only looks at the 4
 * inline cells.  Once a granule has an extension, a thread whose own
 * access was moved there never takes the fast path again: every repeated
 * access in the same epoch (same slot, same bytes, no release since) goes
 * to the slow path, takes the bucket and extension spinlocks, scans up to
 * 256 cells, records a new trace event (t->pos advances, so history is
 * used up faster) and rewrites its cell.  Nothing is learnt.  Example:
 * 8 threads each updating their own byte of a flags word in a loop.
 * Fix: in rw_check_granule_slow, before recording, return early when a
 * scanned cell (inline or extension) has our slot, the same offset and
 * size, clock > t->last_release and dominates the access, the same test
 * the inline fast path makes (and/or prefer moving other slots' cells
 * out of the inline cells, so that a thread's latest access stays
 * inline). */
START_TEST(test_regression_fast_path_misses_extension_cells)
{
    rw_thread *w[8];
    for (int i = 0; i < 8; i++)
        w[i] = spawn();
    for (int i = 0; i < 8; i++)
        wr(w[i], G + (uintptr_t)i, 0);
    ck_assert_int_eq(ncalls, 0);
    int slow = 0;
    char which[64] = "";
    for (int i = 0; i < 8; i++) {
        uint64_t p = w[i]->pos;
        wr(w[i], G + (uintptr_t)i, 0);      /* same epoch, same byte */
        if (w[i]->pos != p) {
            slow++;
            snprintf(which + strlen(which), sizeof which - strlen(which), " %d", i);
        }
    }
    ck_assert_int_eq(ncalls, 0);
    ck_assert_msg(slow == 0,
                  "BUG: %d of 8 repeated same-epoch writes recorded a new trace event "
                  "(writers:%s): their cells live in the extension, which the fast path "
                  "never sees", slow, which);
}
END_TEST

/* KNOWN WEAKNESS / BUG (byte precision; detector/race_check.c,
 * rw_check_granule_slow, the "no room" branch with own_oldest()): when a
 * granule's cells are full and one of them is the accessing thread's own,
 * its oldest own cell is overwritten even when it covers OTHER bytes, so
 * an unsynchronized access to those bytes by another thread is no longer
 * seen as a race.  The plainest case needs no other thread: one thread
 * fills a char buffer byte by byte (buf[i] = ...; 8 one-byte writes), its
 * writes of bytes 4..7 overwrite those of bytes 0..3, and a second thread
 * that then reads buf[0..3] without synchronization is not reported.  This
 * is the char-array case the design names as one where byte precision
 * matters.
 * Fix: when the own cell to give up is in the current epoch (clock >
 * t->last_release) and has the same write/atomic kind, merge it with the
 * new access into one wider aligned cell (offset/sizelog of the smallest
 * aligned block covering both) carrying the newer clock: with no release
 * between the two positions, every other thread's clock for this slot is
 * either below both or at least both, so the merged cell decides
 * happens-before exactly as the two did (the report then shows the newer
 * access's stack).  Otherwise move the own cell to the extension as other
 * threads' cells are. */
START_TEST(test_regression_bytewise_fill_loses_races)
{
    rw_thread *t = spawn(), *u = spawn();
    int found = 0;
    char missed[64] = "";
    for (int byte = 0; byte < 8; byte++) {
        uintptr_t g = G + 64 * (uintptr_t)byte;
        for (int i = 0; i < 8; i++)
            wr(t, g + (uintptr_t)i, 0);
        int before = ncalls;
        rd(u, g + (uintptr_t)byte, 0);
        if (ncalls == before + 1 && rw_cell_slot(calls[before].old) == t->slot &&
            rw_cell_offset(calls[before].old) <= (unsigned)byte &&
            (rw_cell_mask(calls[before].old) >> byte & 1))
            found++;
        else
            snprintf(missed + strlen(missed), sizeof missed - strlen(missed), " %d", byte);
    }
    ck_assert_msg(found == 8,
                  "BUG: a byte-by-byte fill by one thread, then an unsynchronized read of "
                  "byte b by another: race found for %d of 8 bytes, missed on bytes:%s",
                  found, missed);
}
END_TEST

/* Two 4-byte reads of one granule become one 8-byte cell (buddy merging);
 * a later read of either half, or of any byte, since the last release, is
 * covered by it and must stay on the fast path: no trace event, no store.
 * The fast path used to compare offset and size for equality, so every
 * read of a merged granule went to the slow path (kmeans: 119x native). */
START_TEST(test_regression_merged_cell_leaves_fast_path)
{
    rw_thread *a = spawn();
    rd(a, G, 2);
    rd(a, G + 4, 2);
    ck_assert_uint_eq(a->pos, 3);
    ck_assert(rw_cell_load(cells(G), 0, __ATOMIC_RELAXED) == rw_cell_make(a->slot, 3, 0, 3, 0, 0));
    ck_assert_int_eq(count_cells(G), 1);
    rw_cell before[4];
    memcpy(before, cells(G), sizeof before);
    uint64_t slow_before = rw_slow_checks;
    rd(a, G, 2);
    rd(a, G + 4, 2);
    rd(a, G + 6, 1);
    rd(a, G + 3, 0);
    rd(a, G + 1, 2);                 /* unaligned, inside the granule */
    ck_assert_msg(rw_slow_checks == slow_before,
                  "BUG: %llu of 5 reads covered by our own merged cell took the slow path",
                  (unsigned long long)(rw_slow_checks - slow_before));
    ck_assert_uint_eq(a->pos, 3);
    ck_assert_mem_eq(before, cells(G), sizeof before);
    /* A write is not covered by a read; another slot is not us. */
    wr(a, G, 2);
    ck_assert_uint_eq(a->pos, 4);
    rw_thread *b = spawn();
    rd(b, G + 4, 2);
    ck_assert_uint_eq(b->pos, 2);
    ck_assert_int_eq(ncalls, 0);
}
END_TEST

/* Rounds of two threads reading the same granule in two halves, ordered
 * between rounds (kmeans' clusters[] and means[] under a new pair of
 * threads each iteration): each round's merged 8-byte cells make the
 * previous round's redundant.  They used to stay (the first 4-byte read
 * cannot replace an 8-byte cell, and the merge kept them), so the granule
 * filled up and every later store evicted one of the thread's own cells
 * (or, with other threads' cells only, overflowed into an extension). */
START_TEST(test_regression_ordered_read_rounds_fill_granule)
{
    rw_thread *a = spawn(), *b = spawn();
    uint64_t evictions = rw_stats.evictions;
    for (int round = 0; round < 6; round++) {
        rd(a, G, 2);
        rd(a, G + 4, 2);
        rd(b, G, 2);
        rd(b, G + 4, 2);
        release(a, 0x7000);
        acquire(b, 0x7000);
        release(b, 0x7008);
        acquire(a, 0x7008);
    }
    int marker = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        marker |= is_marker(rw_cell_load(cells(G), i, __ATOMIC_RELAXED));
    /* With 2 cells, a thread's new read of a half beside its own older
     * 8-byte cell and the other thread's needs a third cell: an extension,
     * but still no eviction. */
    ck_assert_msg(rw_stats.evictions == evictions && marker == (RW_CELLS_PER_GRANULE < 4),
                  "BUG: ordered rounds of reads kept stale cells: %llu evictions, extension %s",
                  (unsigned long long)(rw_stats.evictions - evictions), marker ? "yes" : "no");
    /* What is kept still races: an unordered write by a third thread. */
    rw_thread *c = rw_thread_create(mainth, 0);
    wr(c, G + 4, 2);
    ck_assert_int_eq(ncalls, 1);
    ck_assert(rw_cell_slot(calls[0].old) == a->slot || rw_cell_slot(calls[0].old) == b->slot);
}
END_TEST

/* ---- stored accesses of one thread's own granules ------------------- */

/* A thread reading its own input byte by byte (Phoenix's
 * linear_regression, histogram) stores every byte: each store finds only
 * its own cells in the granule and takes the store of store_own_granule,
 * not the general check.  The bytes still merge into one 8-byte cell, and
 * another thread's write of any byte races with it. */
START_TEST(test_own_bytewise_reads_skip_the_general_check)
{
    rw_thread *a = spawn();
    uint64_t slow_before = rw_slow_checks, full_before = rw_full_checks;
    for (int i = 0; i < 8; i++)
        rd(a, G + (uintptr_t)i, 0);
    ck_assert_uint_eq(rw_slow_checks - slow_before, 8);
#if RW_CELLS_PER_GRANULE == 4
    ck_assert_msg(rw_full_checks == full_before,
                  "%llu of 8 stores into a granule of our own took the general check",
                  (unsigned long long)(rw_full_checks - full_before));
    ck_assert(rw_cell_load(cells(G), 0, __ATOMIC_RELAXED) == rw_cell_make(a->slot, a->pos, 0, 3, 0, 0));
#else
    /* With 2 cells the seventh byte finds no room ([0,4), [4,6) and
     * [6,7) would be three cells): it and the eighth take the general
     * check, which stores our run of bytes as [0,4) and [3,7), then as
     * [0,8) (store_own_run): no extension, nothing given up. */
    ck_assert_uint_eq(rw_full_checks - full_before, 2);
    ck_assert(marker_in(G) == 0);
    ck_assert(rw_cell_load(cells(G), 0, __ATOMIC_RELAXED) == rw_cell_make(a->slot, a->pos, 0, 3, 0, 0));
    ck_assert_int_eq(count_cells(G), 1);
    full_before = rw_full_checks;
#endif
    /* Read then write of an accumulator: the write replaces the read. */
    rd(a, G + 64, 2);
    wr(a, G + 64, 2);
    ck_assert_uint_eq(rw_full_checks, full_before);
    ck_assert(rw_cell_load(cells(G + 64), 0, __ATOMIC_RELAXED) == rw_cell_make(a->slot, a->pos, 0, 2, 1, 0));
    ck_assert_int_eq(count_cells(G + 64), 1);
    ck_assert_int_eq(ncalls, 0);
    rw_thread *b = spawn();
    wr(b, G + 5, 0);
    ck_assert_uint_eq(rw_full_checks, full_before + 1);
    ck_assert_int_eq(ncalls, 1);
    assert_call(0, b, G + 5, rw_cell_make(b->slot, 0, 5, 0, 1, 0),
                rw_cell_make(a->slot, 9, 0, 3, 0, 0));
}
END_TEST

/* Another thread's cell that cannot race with the access (other bytes, a
 * read beside our read, an access that happens before ours) is checked
 * and left in place by the store without the general check; a cell that
 * races, a freed cell or a marker takes the general check, and its race
 * is found. */
START_TEST(test_foreign_cell_takes_the_general_check)
{
    rw_thread *a = spawn(), *b = spawn();
    wr(a, G, 2);
    uint64_t full_before = rw_full_checks;
    rd(b, G + 4, 2);                 /* other bytes: no race, no general check */
    ck_assert_uint_eq(rw_full_checks, full_before);
    ck_assert_int_eq(ncalls, 0);
    ck_assert_int_eq(count_cells(G), 2);
    rd(b, G + 2, 0);                 /* a's write of these bytes: general check */
    ck_assert_uint_eq(rw_full_checks, full_before + 1);
    ck_assert_int_eq(ncalls, 1);
    assert_call(0, b, G + 2, rw_cell_make(b->slot, 0, 2, 0, 0, 0),
                rw_cell_make(a->slot, 2, 0, 2, 1, 0));
    /* A freed cell, even our own, takes the general check. */
    rw_check_free(a, G + 64, 8, PC);
    full_before = rw_full_checks;
    wr(a, G + 64, 2);
    ck_assert_uint_eq(rw_full_checks, full_before + 1);
}
END_TEST

/* Phoenix pca: two threads read the same matrix rows, in halves of each
 * 8-byte granule (4-byte ints), again after every release (each claims
 * its next row under a mutex), beside the main thread's initializing
 * write.  Every such read is stored (a new epoch), and none can race: the
 * other cells are the other reader's reads and a write that happens
 * before.  They used to take the general check (scan_cells, merge and
 * superseded searches over every cell, dead-cell search): 3.0x
 * ThreadSanitizer's time.  Now the store without the general check takes
 * them, and the granule keeps every thread's newest reads without
 * overflowing; an unordered write still races with them. */
START_TEST(test_reads_beside_other_readers_skip_the_general_check)
{
    wr(mainth, G, 3);                /* the matrix, written before the threads */
    rw_thread *a = spawn(), *b = spawn();
    uint64_t evictions = rw_stats.evictions;
    uint64_t full_before = rw_full_checks, slow_before = rw_slow_checks;
    for (int round = 0; round < 8; round++) {
        rd(a, G, 2);                 /* matrix[j][k], matrix[j][k + 1] */
        rd(a, G + 4, 2);
        rd(b, G, 2);
        rd(b, G + 4, 2);
        release(a, 0x7100);          /* the row lock */
        acquire(b, 0x7100);
        release(b, 0x7100);
        acquire(a, 0x7100);
    }
    ck_assert_uint_eq(rw_slow_checks - slow_before, 32);
#if RW_CELLS_PER_GRANULE == 4
    ck_assert_msg(rw_full_checks == full_before,
                  "BUG: %llu of 32 reads beside other readers took the general check",
                  (unsigned long long)(rw_full_checks - full_before));
    ck_assert(!marker_in(G));
#else
    /* With 2 cells, three accessors (the write, two readers) do not fit:
     * the granule is extended and most reads take the general check. */
    ck_assert_uint_eq(rw_full_checks - full_before, 23);
    ck_assert(marker_in(G) != 0);
#endif
    ck_assert_uint_eq(rw_stats.evictions, evictions);
    ck_assert_int_eq(ncalls, 0);
    /* The newest merged reads of both threads and the write are there
     * (inline with 4 cells; inline or in the extension with 2). */
    int a8 = 0, b8 = 0, w = 0;
    rw_cell kept[16];
    int nkept = rw_granule_accesses(G, kept, 16);
    ck_assert_int_le(nkept, 16);
    for (int i = 0; i < nkept; i++) {
        rw_cell c = kept[i];
        a8 |= c == rw_cell_make(a->slot, rw_cell_clock(c), 0, 3, 0, 0) &&
              rw_cell_clock(c) > a->last_release - 4 && rw_cell_clock(c) <= a->last_release;
        b8 |= c == rw_cell_make(b->slot, rw_cell_clock(c), 0, 3, 0, 0) &&
              rw_cell_clock(c) > b->last_release - 4 && rw_cell_clock(c) <= b->last_release;
        w |= c == rw_cell_make(mainth->slot, 2, 0, 3, 1, 0);
    }
#if RW_CELLS_PER_GRANULE == 4
    /* (with shadow planes, main's write may have given its cell to a
     * reader's: only once it is below the happens-before floor) */
    int w_spent = RW_SHADOW_PLANES && rw_hb_floor_covers(rw_cell_make(mainth->slot, 2, 0, 3, 1, 0));
    ck_assert_msg(a8 && b8 && (w || w_spent), "granule lost a cell: a %d b %d main's write %d",
                  a8, b8, w);
#else
    /* With 2 cells a thread's halves may stay apart (one inline, one in
     * the extension), so each thread's newest round covers the word in one
     * or two cells; main's write is dropped once the granule is full: it
     * is below the happens-before floor (every live thread knows it). */
    unsigned a_bytes = 0, b_bytes = 0;
    for (int i = 0; i < nkept; i++) {
        rw_cell c = kept[i];
        if (rw_cell_is_write(c))
            continue;
        if (rw_cell_slot(c) == a->slot && rw_cell_clock(c) > a->last_release - 4 &&
            rw_cell_clock(c) <= a->last_release)
            a_bytes |= rw_cell_mask(c);
        if (rw_cell_slot(c) == b->slot && rw_cell_clock(c) > b->last_release - 4 &&
            rw_cell_clock(c) <= b->last_release)
            b_bytes |= rw_cell_mask(c);
    }
    (void)a8, (void)b8, (void)w;
    ck_assert_msg(a_bytes == 0xff && b_bytes == 0xff, "granule lost a read: a %#x b %#x", a_bytes,
                  b_bytes);
#endif
    /* A third thread's unordered write of one byte races with a read. */
    rw_thread *c = spawn();
    full_before = rw_full_checks;
    wr(c, G + 5, 0);
    ck_assert_uint_eq(rw_full_checks, full_before + 1);
    ck_assert_int_eq(ncalls, 1);
    ck_assert(rw_cell_slot(calls[0].old) == a->slot || rw_cell_slot(calls[0].old) == b->slot);
}
END_TEST

/* One access as instrumented code makes it (instrument/tsan_access.c):
 * the hot path (a plain read in the open read's granule added to it past
 * cell 0), then rw_check_access_slow (the slow path's own entry for
 * single accesses, with the common store inlined into it). */
static void acc_entry(rw_thread *t, uintptr_t a, unsigned sizelog, int write)
{
    rw_cell *c = cells(a);
    int found = rw_access_is_redundant_or_open(t, c, (unsigned)(a & 7), sizelog, write, 0,
                                               !write && sizelog < 3);
    if (found < 0)
        rw_open_read_add_at(t, a, sizelog, PC);
    else if (found == 0)
        rw_check_access_slow(t, c, a, sizelog | (unsigned)write << 2, PC);
}

/* The hot path's open-read test: the second 4-byte read of a granule
 * (Phoenix pca's rows) goes from the hot path straight to the open read
 * (rw_access_is_redundant_or_open says -1), in each of two epochs; the
 * bytes it adds are stored with the first half's, so another thread's
 * unordered one-byte write into that half races with it, once. */
START_TEST(test_open_read_second_half_added_by_the_hot_path)
{
    rw_thread *r = spawn(), *w = spawn();
    for (int epoch = 0; epoch < 2; epoch++) {
        acc_entry(r, G, 2, 0);
        ck_assert_ptr_eq(r->open_cells, cells(G));
        ck_assert_int_eq(rw_access_is_redundant_or_open(r, cells(G), 4, 2, 0, 0, 1), -1);
        acc_entry(r, G + 4, 2, 0);
        ck_assert_uint_eq(r->open_read.mask, 0xff);
        rw_open_read_flush(r);
        release(r, 0x200); /* a new epoch: the next round is stored again */
    }
    ck_assert_int_eq(ncalls, 0);
    wr(w, G + 5, 0);
    ck_assert_int_eq(ncalls, 1);
    ck_assert_ptr_eq(calls[0].t, w);
    ck_assert_uint_eq(calls[0].addr, G + 5);
    ck_assert_uint_eq(rw_cell_slot(calls[0].old), r->slot);
    ck_assert_uint_eq(rw_cell_mask(calls[0].old) & 0x20, 0x20);
}
END_TEST

/* The open read's pair (race_check.c): a reader's 4-byte reads of an
 * even granule and the next one, in each of two epochs; the even one is
 * held when the next one opens, and both are stored at the next store
 * (one cmpxchg16b where the processor has it).  Another thread's
 * unordered one-byte writes into either granule then race with the
 * reads, once each, naming the reader's cells. */
START_TEST(test_open_read_pair_held_and_stored)
{
    rw_thread *r = spawn(), *w = spawn();
    for (int epoch = 0; epoch < 2; epoch++) {
        for (unsigned at = 0; at < 16; at += 4)
            acc_entry(r, G + at, 2, 0);
        ck_assert_ptr_eq(r->open_cells, cells(G + 8));
        ck_assert_uint_eq(r->open_read.mask, 0xff);
#if RW_SHADOW_PLANES && defined(__x86_64__)
        if (__builtin_cpu_supports("cmpxchg16b")) {
            ck_assert_ptr_eq(r->held_cells, cells(G));
            ck_assert_uint_eq(r->held_read.mask, 0xff);
        }
#endif
        rw_open_read_flush(r);
        ck_assert_ptr_null(r->open_cells);
        ck_assert_ptr_null(r->held_cells);
        release(r, 0x200);
    }
    rw_cell kept[4];
    for (unsigned at = 0; at < 16; at += 8) {
        ck_assert_int_eq(rw_granule_accesses(G + at, kept, 4), 1);
        ck_assert_uint_eq(rw_cell_slot(kept[0]), r->slot);
        ck_assert_uint_eq(rw_cell_mask(kept[0]), 0xff);
        ck_assert(rw_cell_clock(kept[0]) <= r->last_release);
    }
    ck_assert_int_eq(ncalls, 0);
    wr(w, G + 5, 0);
    wr(w, G + 13, 0);
    ck_assert_int_eq(ncalls, 2);
    ck_assert_uint_eq(calls[0].addr, G + 5);
    ck_assert_uint_eq(calls[1].addr, G + 13);
    for (int i = 0; i < 2; i++)
        ck_assert_uint_eq(rw_cell_slot(calls[i].old), r->slot);
}
END_TEST

/* A race that the open read's direct store finds by its re-read (a write
 * stored in another cell between the open and the store, the store's own
 * CAS succeeding) names the read of the first byte both touch: its
 * address, size and pc, as the piece-by-piece store's reports do. */
START_TEST(test_open_read_store_names_the_read_its_re_read_finds)
{
    rw_thread *r = spawn(), *w = spawn();
    acc_entry(r, G, 2, 0);
    acc_entry(r, G + 4, 2, 0);
    rw_open_read_flush(r);
    release(r, 0x200); /* r's next reads are a new epoch, stored over these */
    acc_entry(r, G, 2, 0);
    ck_assert_ptr_eq(r->open_cells, cells(G));
    wr(w, G + 4, 2); /* races with r's first reads; stored beside them */
    ck_assert_int_eq(ncalls, 1);
    acc_entry(r, G + 4, 2, 0);
    rw_open_read_flush(r);
    ck_assert_int_eq(ncalls, 2);
    ck_assert_ptr_eq(calls[1].t, r);
    ck_assert_uint_eq(calls[1].addr, G + 4);
    ck_assert_uint_eq(rw_cell_offset(calls[1].cur), 4);
    ck_assert_uint_eq(rw_cell_size(calls[1].cur), 4);
    ck_assert_uint_eq(rw_cell_slot(calls[1].old), w->slot);
}
END_TEST

/* A cell of thread x[k] given as the same cell of thread y[k] (markers
 * and empty cells as they are). */
static rw_cell cell_as_of(rw_cell c, rw_thread *const *x, rw_thread *const *y, int n)
{
    if (c == 0 || is_marker(c))
        return c;
    for (int k = 0; k < n; k++)
        if (rw_cell_slot(c) == x[k]->slot)
            return (c & ~((uint64_t)(RW_MAX_SLOTS - 1) << RW_SLOT_SHIFT)) |
                   (uint64_t)y[k]->slot << RW_SLOT_SHIFT;
    return c;
}

/* The single-access entry must store exactly as rw_check_granule_slow
 * does.  Two sets of threads run the same steps, each on its own granule,
 * one set through rw_check_granule, the other through the entry:
 * SPLASH-3 ocean's pattern (a thread's read and write of its own word
 * after each barrier), barnes' (other threads read the word that one
 * wrote before a barrier, then one of them writes it), 4-byte halves
 * that merge, a byte-by-byte read that overflows into an extension, and
 * racy accesses among them.  The two sets' threads make the same events,
 * so after every step the two granules hold the same cells (the other
 * set's slots; markers may point to different records), and each step
 * reports the same number of races in both. */
START_TEST(test_entry_stores_as_the_slow_path_does)
{
    const uintptr_t X = G, Y = G + 64;
    enum { N = 6 };
    rw_thread *x[N], *y[N];
    for (int k = 0; k < N; k++)
        x[k] = spawn();
    for (int k = 0; k < N; k++)
        y[k] = spawn();
    static const struct step {
        int thread, offset, sizelog, write, barrier;
    } steps[] = {
        { 0, 0, 3, 1, 1 },                                       /* initialized */
        { 1, 0, 3, 0, 0 }, { 1, 0, 3, 1, 0 }, { 1, 0, 3, 0, 1 }, /* ocean: read, write */
        { 1, 0, 3, 0, 0 }, { 1, 0, 3, 1, 1 },
        { 2, 0, 3, 0, 0 }, { 3, 0, 3, 0, 0 }, { 4, 0, 3, 0, 0 }, /* barnes: readers */
        { 1, 0, 3, 0, 1 },
        { 2, 0, 3, 0, 0 }, { 3, 0, 3, 0, 0 }, { 4, 0, 3, 0, 0 }, { 1, 0, 3, 0, 0 },
        { 5, 4, 2, 0, 0 }, { 5, 0, 2, 0, 1 },                    /* halves that merge */
        { 5, 0, 2, 0, 0 }, { 5, 4, 2, 0, 0 }, { 2, 0, 3, 1, 1 }, /* a write over readers */
        { 1, 0, 0, 0, 0 }, { 2, 1, 0, 0, 0 }, { 3, 2, 0, 0, 0 }, /* bytes: an extension */
        { 4, 3, 0, 0, 0 }, { 5, 4, 0, 0, 0 }, { 0, 5, 0, 0, 1 },
        { 1, 0, 0, 0, 0 }, { 2, 1, 0, 0, 0 }, { 3, 2, 0, 1, 0 }, { 4, 3, 0, 0, 1 },
        { 1, 0, 3, 1, 0 }, { 2, 0, 3, 0, 0 },                    /* races: write, then read */
        { 3, 4, 2, 1, 0 }, { 1, 0, 3, 0, 0 }, { 1, 0, 3, 0, 0 },
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        const struct step *st = &steps[i];
        int calls_before = ncalls;
        acc(x[st->thread], X + (uintptr_t)st->offset, (unsigned)st->sizelog, st->write, 0);
        int calls_x = ncalls - calls_before;
        acc_entry(y[st->thread], Y + (uintptr_t)st->offset, (unsigned)st->sizelog, st->write);
        ck_assert_msg(ncalls - calls_before == 2 * calls_x,
                      "step %zu: %d reports through rw_check_granule, %d through the entry", i,
                      calls_x, ncalls - calls_before - calls_x);
        for (int c = 0; c < RW_CELLS_PER_GRANULE; c++) {
            rw_cell cx = cell_as_of(rw_cell_load(cells(X), c, __ATOMIC_RELAXED), x, y, N), cy = rw_cell_load(cells(Y), c, __ATOMIC_RELAXED);
            ck_assert_msg(cx == cy || (is_marker(cx) && is_marker(cy)),
                          "step %zu, cell %d: %#llx through rw_check_granule, %#llx through the entry",
                          i, c, (unsigned long long)cx, (unsigned long long)cy);
        }
        if (st->barrier) {
            for (int k = 0; k < N; k++) {
                release(x[k], 0x7300 + (uintptr_t)k);
                release(y[k], 0x7400 + (uintptr_t)k);
            }
            for (int k = 0; k < N; k++)
                for (int j = 0; j < N; j++) {
                    acquire(x[k], 0x7300 + (uintptr_t)j);
                    acquire(y[k], 0x7400 + (uintptr_t)j);
                }
        }
    }
    ck_assert_int_gt(ncalls, 0);
    ck_assert(marker_in(X) && marker_in(Y));
}
END_TEST

/* Phoenix's kmeans: each round's threads read the means that the
 * previous round's threads wrote in halves.  A store made without the
 * general check (store_no_conflict) clears the cells of other slots that
 * happen before it and that it covers and dominates, as the general path
 * does: left in place (2.9x the slow-path calls in kmeans), they filled
 * the granule and the next round's reader made an extension.  Nothing is
 * lost: a third thread unordered with the write still races with it. */
START_TEST(test_covering_store_clears_older_foreign_cells)
{
    uintptr_t g = G + 0x800000;
    rw_thread *a = spawn(), *b = spawn(), *c = spawn();
    rd(a, g, 3);
    rd(b, g, 3);
    release(a, 0x7200);
    release(b, 0x7201);
    acquire(mainth, 0x7200);
    acquire(mainth, 0x7201);
    uint64_t full_before = rw_full_checks;
    wr(mainth, g, 2);     /* the first half: beside the two reads */
    wr(mainth, g + 4, 2); /* the second: merged into one 8-byte write */
    /* With 2 cells the first half finds no room beside the two reads:
     * both halves take the general check. */
    ck_assert_uint_eq(rw_full_checks, full_before + (RW_CELLS_PER_GRANULE == 4 ? 0 : 2));
#if RW_CELLS_PER_GRANULE == 4
    int live = 0, merged = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell x = rw_cell_load(cells(g), i, __ATOMIC_RELAXED);
        live += x != 0;
        merged |= x == rw_cell_make(mainth->slot, rw_cell_clock(x), 0, 3, 1, 0);
    }
    ck_assert_msg(merged, "the merged write is not in the granule");
    ck_assert_msg(live <= 2, "BUG: %d cells left: the reads the write covers stay", live);
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell x = rw_cell_load(cells(g), i, __ATOMIC_RELAXED);
        ck_assert_msg(x == 0 || rw_cell_slot(x) == mainth->slot, "a reader's cell is left");
    }
#else
    /* With 2 cells the first half made an extension (the reads moved
     * there) and the second went inline over a read that happens before
     * it: the halves stay apart, the reads stay in the extension. */
    rw_cell kept[8];
    int nkept = rw_granule_accesses(g, kept, 8);
    ck_assert_int_eq(nkept, 4);
    unsigned written = 0;
    for (int i = 0; i < nkept; i++)
        if (rw_cell_slot(kept[i]) == mainth->slot && rw_cell_is_write(kept[i]))
            written |= rw_cell_mask(kept[i]);
    ck_assert_uint_eq(written, 0xff);
#endif
    ck_assert_int_eq(ncalls, 0);
    rd(c, g + 6, 1);
    ck_assert_int_eq(ncalls, 1);
    ck_assert_uint_eq(rw_cell_slot(calls[0].old), mainth->slot);
}
END_TEST

/* SPLASH-3 lu at 4 threads extends 360,000 granules, each holding a few
 * cells more than four: the first cells of an extension live in its
 * record, so such a granule allocates nothing beside the record (a
 * separate array of 8 cells, 80 bytes of malloc each, doubled lu-p4's
 * peak memory against 2 threads).  The cells are all kept: each of the
 * five readers still races with a write that is ordered after the
 * other four. */
START_TEST(test_small_extension_allocates_no_cell_array)
{
    enum { NG = 2000, NR = 5 };
    rw_thread *r[NR];
    for (int i = 0; i < NR; i++)
        r[i] = spawn();
    uintptr_t base = G + 0x400000;
    /* One extension first: the page of records it comes from is made. */
    for (int i = 0; i < NR; i++)
        rd(r[i], base + (uintptr_t)i, 0);
    ck_assert(marker_in(base));
    struct mallinfo2 before = mallinfo2();
    for (int g = 1; g <= NG; g++)
        for (int i = 0; i < NR; i++)
            rd(r[i], base + 8 * (uintptr_t)g + (uintptr_t)i, 0);
    struct mallinfo2 after = mallinfo2();
    for (int g = 1; g <= NG; g++)
        ck_assert(marker_in(base + 8 * (uintptr_t)g));
    size_t grown = after.uordblks - before.uordblks;
    ck_assert_msg(grown < NG * 8, "BUG: %zu bytes of malloc for %d small extensions", grown,
                  (int)NG);
    ck_assert_int_eq(ncalls, 0);
    for (int k = 0; k < NR; k++) {
        for (int i = 0; i < NR; i++)
            release(r[i], 0x200000 + 8 * (uintptr_t)i);
        rw_thread *w = spawn();
        for (int i = 0; i < NR; i++)
            if (i != k)
                acquire(w, 0x200000 + 8 * (uintptr_t)i);
        ncalls = 0;
        wr(w, base + 8 * (uintptr_t)(7 + k), 3);
        ck_assert_msg(ncalls == 1 && rw_cell_slot(calls[0].old) == r[k]->slot,
                      "reader %d: %d race calls", k, ncalls);
    }
}
END_TEST

/* An inline cell of the granule by the given slot, or 0. */
static rw_cell inline_cell_of(uintptr_t a, unsigned slot)
{
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        if (!is_marker(rw_cell_load(cells(a), i, __ATOMIC_RELAXED)) && rw_cell_load(cells(a), i, __ATOMIC_RELAXED) != 0 && rw_cell_slot(rw_cell_load(cells(a), i, __ATOMIC_RELAXED)) == slot)
            return rw_cell_load(cells(a), i, __ATOMIC_RELAXED);
    return 0;
}

/* SPLASH-3 barnes' tree nodes, Phoenix's kmeans means: a word written
 * before the threads start (here in two halves, in two epochs), then read
 * by three threads; the third read overflows the granule, and the reader
 * that made the extension has its cell there, where the hot path does not
 * look.  Its next read is stored inline over a cell that happens before
 * it (one of the writes), which moves into the extension; the read after
 * that is answered by the hot path.  Before, every read of that thread
 * left the hot path and looked into the extension.  Nothing is lost: two
 * threads unordered with the writes still race with each half, and one
 * unordered with the readers races with a read. */
START_TEST(test_extended_granule_keeps_new_reader_inline)
{
    uintptr_t g = G + 0x900000;
    rw_thread *y = spawn(), *z = spawn(); /* before the writes */
    wr(mainth, g, 2);
    release(mainth, 0x7300);
    wr(mainth, g + 4, 2);
    rw_thread *r[3];
    for (int i = 0; i < 3; i++)
        r[i] = spawn();
    for (int i = 0; i < 3; i++)
        rd(r[i], g, 3);
    ck_assert(marker_in(g) != 0);
    ck_assert_int_eq(ncalls, 0);
    ck_assert_msg(inline_cell_of(g, r[2]->slot) == 0, "the overflowing read is inline already");
#if RW_CELLS_PER_GRANULE == 4
    rd(r[2], g, 3);               /* same epoch: stored inline this time */
    ck_assert_msg(inline_cell_of(g, r[2]->slot) != 0,
                  "BUG: the read stays in the extension, away from the hot path");
    uint64_t slow_before = rw_slow_checks, pos = r[2]->pos;
    rd(r[2], g, 3);
    rd(r[2], g + 4, 2);
    ck_assert_uint_eq(rw_slow_checks, slow_before);
    ck_assert_uint_eq(r[2]->pos, pos);
#else
    /* With 2 cells the marker takes one and r[1]'s read (stored over the
     * write that happens before it) the other, which does not happen
     * before r[2]: r[2]'s read stays in the extension, where the slow
     * path finds it without storing. */
    uint64_t slow_before = rw_slow_checks, pos = r[2]->pos;
    rd(r[2], g, 3);
    ck_assert(inline_cell_of(g, r[1]->slot) != 0);
    ck_assert(inline_cell_of(g, r[2]->slot) == 0);
    rd(r[2], g + 4, 2);
    ck_assert_uint_eq(rw_slow_checks, slow_before + 2);
    ck_assert_uint_eq(r[2]->pos, pos);
#endif
    for (int i = 0; i < 2; i++) {
        if (inline_cell_of(g, r[i]->slot) == 0)
            continue; /* the cell the extension took */
        pos = r[i]->pos;
        rd(r[i], g, 3);
        ck_assert_uint_eq(r[i]->pos, pos);
    }
    ck_assert_int_eq(ncalls, 0);
    rd(y, g, 2);
    ck_assert_int_eq(ncalls, 1);
    ck_assert(calls[0].old == rw_cell_make(mainth->slot, 2, 0, 2, 1, 0));
    rd(z, g + 4, 2);
    ck_assert_int_eq(ncalls, 2);
    ck_assert(calls[1].old == rw_cell_make(mainth->slot, rw_cell_clock(calls[1].old), 4, 2, 1, 0));
    rw_thread *w = spawn();
    ncalls = 0;
    wr(w, g + 1, 0);
    ck_assert_int_eq(ncalls, 1);
    ck_assert(rw_cell_slot(calls[0].old) != mainth->slot);
}
END_TEST

/* The readers of an extended granule whose cells are inline store their
 * next epoch's reads there without the general check (and without the
 * extension's lock): the store without the general check checks the
 * extension's cells after its store, so a write kept in the extension
 * still races with such a read, and is reported, every time.  Each of
 * several granules is extended by a different one of four cells; in the
 * one where the unordered write of byte 7 is what moved to the extension,
 * the racing read takes the short path. */
START_TEST(test_extended_granule_inline_store_skips_the_general_check)
{
    int short_path_races = 0;
    for (int k = 0; k < 4; k++) {
        uintptr_t g = G + 0xa00000 + 64 * (uintptr_t)k;
        rw_thread *u = spawn(), *p = spawn(), *a = spawn(), *b = spawn(), *c = spawn();
        wr(u, g + 7, 0);
        rd(p, g, 2);
        rd(a, g, 2);
        rd(b, g, 2);
        for (int j = 0; j < k; j++)
            rd(c, G + 0xb00000 + 8 * (uintptr_t)j, 3); /* moves c's position on */
        rd(c, g, 2);
        ck_assert(marker_in(g) != 0);
        ck_assert_int_eq(ncalls, 0);
        /* p, a, b: a new epoch's read of bytes 0..3, beside the others'
         * reads and the write of byte 7: no race, no general check when
         * the reader's cell is inline. */
        rw_thread *rs[3] = { p, a, b };
        for (int i = 0; i < 3; i++) {
            int was_inline = inline_cell_of(g, rs[i]->slot) != 0;
            release(rs[i], 0x7400 + 8 * (uintptr_t)i);
            uint64_t full_before = rw_full_checks;
            rd(rs[i], g, 2);
            ck_assert_int_eq(ncalls, 0);
            if (was_inline)
                ck_assert_msg(rw_full_checks == full_before,
                              "BUG: granule %d reader %d: an inline re-read took the general check",
                              k, i);
        }
        /* p reads the word: races with u's write of byte 7 wherever it
         * is, and replaces its own read of bytes 0..3. */
        int u_inline = inline_cell_of(g, u->slot) != 0;
        int p_inline = inline_cell_of(g, p->slot) != 0;
        release(p, 0x7500);
        uint64_t full_before = rw_full_checks;
        rd(p, g, 3);
        ck_assert_msg(ncalls == 1, "granule %d: %d race calls, want 1", k, ncalls);
        assert_call(0, p, g, rw_cell_make(p->slot, 0, 0, 3, 0, 0),
                    rw_cell_make(u->slot, 2, 7, 0, 1, 0));
        if (!u_inline && p_inline && rw_full_checks == full_before)
            short_path_races++;
        ncalls = 0;
    }
    ck_assert_msg(short_path_races > 0, "no granule had the write in the extension");
}
END_TEST

/* The first store into a fresh granule that starts a 64 KiB block of
 * shadow maps the next block writable (MADV_POPULATE_WRITE): the hot
 * path's first look at it then finds a real page, not the kernel's zero
 * page, whose replacement on the first store cost a TLB shootdown per
 * 4 KiB of shadow in a multithreaded program (linear_regression: 1.6 s of
 * system time in a 2.6 s run). */
START_TEST(test_fresh_block_maps_the_next_block)
{
    rw_thread *a = spawn();
    uintptr_t g = G + ((uintptr_t)1 << 20); /* a chunk no other access touched */
    (void)rw_shadow_cells(g);
    while (!rw_shadow_starts_prefault_block(cells(g)))
        g += 8;
    uintptr_t next = (uintptr_t)cells(g) + RW_PREFAULT_BLOCK;
    unsigned char vec[RW_PREFAULT_BLOCK / 4096 * 2];
    ck_assert_int_eq(mincore((void *)next, sizeof vec * 4096, vec), 0);
    for (size_t i = 0; i < sizeof vec; i++)
        ck_assert_msg(!(vec[i] & 1), "shadow page %zu resident before any access", i);
    rd(a, g, 0);
    ck_assert_int_eq(mincore((void *)next, sizeof vec * 4096, vec), 0);
    for (size_t i = 0; i < RW_PREFAULT_BLOCK / 4096; i++)
        ck_assert_msg(vec[i] & 1, "page %zu of the next shadow block not mapped", i);
    for (size_t i = RW_PREFAULT_BLOCK / 4096; i < sizeof vec; i++)
        ck_assert_msg(!(vec[i] & 1), "page %zu two blocks ahead mapped", i);
    /* A range fill of a fresh granule does the same. */
    /* (the block after the one rd prefaulted: app bytes per block of
     * shadow, RW_PREFAULT_BLOCK / RW_RUN_BYTES(1) granules) */
    uintptr_t h = g + RW_PREFAULT_BLOCK / RW_RUN_BYTES(1) * RW_GRANULE;
    ck_assert(rw_shadow_starts_prefault_block(cells(h)));
    rw_check_range(a, h, 64, 1, 0, PC);
    ck_assert_int_eq(mincore((void *)((uintptr_t)cells(h) + RW_PREFAULT_BLOCK), 4096, vec), 0);
    ck_assert(vec[0] & 1);
    ck_assert_int_eq(ncalls, 0);
}
END_TEST

#if RW_SHADOW_PLANES
/* Pages of plane i >= 1 resident for the granules of [lo, hi). */
static size_t resident_plane_pages(uintptr_t lo, uintptr_t hi, int i)
{
    uintptr_t first = (uintptr_t)RW_CELL_AT(cells(lo), i) & ~(uintptr_t)4095;
    uintptr_t last = (uintptr_t)RW_CELL_AT(cells(hi - 8), i) | 4095;
    size_t pages = (last + 1 - first) / 4096, n = 0;
    unsigned char vec[64];
    ck_assert_uint_le(pages, sizeof vec);
    ck_assert_int_eq(mincore((void *)first, pages * 4096, vec), 0);
    for (size_t k = 0; k < pages; k++)
        n += vec[k] & 1;
    return n;
}

/* With shadow planes, data that one thread writes and reads in 8-byte
 * words keeps every cell in plane 0: the other planes' pages are never
 * even read (on a kernel without a shared zero page a read would give
 * them memory), and their flags stay unset.  So does data handed over
 * to another thread once every live thread has acquired the writes (they
 * are below the happens-before floor: the reader's cell replaces the
 * write's), after at most one page of plane 1 taken before the floor
 * was recomputed.  A granule that a second thread
 * reads without synchronization needs cell 1: its flag is set, the
 * second reader's next read is answered by the hot path there, and a
 * racing write of either reader's bytes is still found. */
START_TEST(test_planes_untouched_by_one_accessor)
{
    rw_thread *a = spawn(), *b = spawn();
    uintptr_t lo = G + ((uintptr_t)3 << 20), hi = lo + 64 * 1024;
    for (uintptr_t g = lo; g < hi; g += 8)
        wr(a, g, 3);
    for (uintptr_t g = lo; g < hi; g += 4)
        rd(a, g, 2);
    ck_assert_int_eq(ncalls, 0);
    for (int i = 1; i < RW_CELLS_PER_GRANULE; i++) {
        ck_assert_uint_eq(resident_plane_pages(lo, hi, i), 0);
        ck_assert_uint_eq(rw_plane_flags(cells(lo))[i], 0);
    }
    release(a, 0x77);
    acquire(b, 0x77);
    acquire(mainth, 0x77);
    for (uintptr_t g = lo; g < hi; g += 8)
        rd(b, g, 3);
    ck_assert_int_eq(ncalls, 0);
    ck_assert_uint_le(resident_plane_pages(lo, hi, 1), 1);
    for (int i = 2; i < RW_CELLS_PER_GRANULE; i++)
        ck_assert_uint_eq(resident_plane_pages(lo, hi, i), 0);
    /* Without the floor (another live thread that did not acquire) every
     * granule would need cell 1: all 16 pages. */
    /* A second reader without synchronization: cell 1. */
    rw_thread *c = spawn();
    rd(c, lo + 8, 3);
    ck_assert_int_eq(ncalls, 0);
    ck_assert_uint_eq(rw_plane_flags(cells(lo))[1], 1);
    uint64_t slow = rw_slow_checks;
    rd(c, lo + 8, 3);
    rd(b, lo + 8, 3);
    ck_assert_uint_eq(rw_slow_checks, slow);
    for (int i = 2; i < RW_CELLS_PER_GRANULE; i++)
        ck_assert_uint_eq(resident_plane_pages(lo, hi, i), 0);
    /* b's read happens before a's write; c's, in plane 1, races. */
    release(b, 0x78);
    acquire(a, 0x78);
    wr(a, lo + 8, 0);
    ck_assert_int_eq(ncalls, 1);
    ck_assert(calls[0].old == rw_cell_make(c->slot, rw_cell_clock(calls[0].old), 0, 3, 0, 0));
}
END_TEST
#endif

static Suite *race_check_suite(void)
{
    Suite *s = suite_create("race_check");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_cell_encoding);
    tcase_add_test(tc, test_write_write_race);
    tcase_add_test(tc, test_read_write_races);
    tcase_add_test(tc, test_read_read_no_race);
    tcase_add_test(tc, test_distinct_bytes_no_race);
    tcase_add_test(tc, test_release_acquire);
    tcase_add_test(tc, test_transitive_order);
    tcase_add_test(tc, test_release_store_replaces);
    tcase_add_test(tc, test_create_and_join_order);
    tcase_add_test(tc, test_atomics);
    tcase_add_test(tc, test_eight_writers_then_racing_pair);
    tcase_add_test(tc, test_byte_race_found_with_8_writers);
    tcase_add_test(tc, test_overflow_keeps_every_reader);
    tcase_add_test(tc, test_cleared_overflow_forgets_extension);
    tcase_add_test(tc, test_free_over_overflowed_granule);
    tcase_add_test(tc, test_fast_path_no_trace_event);
    tcase_add_test(tc, test_access_recorded_again_after_release);
    tcase_add_test(tc, test_range_one_event_per_operation);
    tcase_add_test(tc, test_free_leaves_freed_cells);
    tcase_add_test(tc, test_free_races_with_earlier_access);
    tcase_add_test(tc, test_big_free_marks_used_granules_past_4k);
    tcase_add_test(tc, test_free_head_marks_last_cell_where_in_use);
    tcase_add_test(tc, test_free_same_place_marks_last_cell_from_the_fifth);
    tcase_add_test(tc, test_free_batch_sees_every_plane);
    tcase_add_test(tc, test_big_free_finds_every_used_granule);
    tcase_add_test(tc, test_used_free_marks_granules_two_at_a_time);
    tcase_add_test(tc, test_used_free_scan_stops_at_any_plane);
    tcase_add_test(tc, test_unmapped_free_checks_without_marks);
    tcase_add_test(tc, test_big_free_checks_to_the_end);
    tcase_add_test(tc, test_big_clear_clears_only_mapped_shadow);
    tcase_add_test(tc, test_reused_slot_races_name_the_right_thread);
    tcase_add_test(tc, test_old_occupant_cell_after_reuse);
    tcase_add_test(tc, test_overflow_moves_a_cell_to_the_extension);
    tcase_add_test(tc, test_markers_carry_their_extension);
    tcase_add_test(tc, test_extended_granule_rereads_and_race);
    tcase_add_test(tc, test_no_handler);
    tcase_add_test(tc, test_own_bytewise_reads_skip_the_general_check);
    tcase_add_test(tc, test_foreign_cell_takes_the_general_check);
    tcase_add_test(tc, test_reads_beside_other_readers_skip_the_general_check);
    tcase_add_test(tc, test_entry_stores_as_the_slow_path_does);
    tcase_add_test(tc, test_small_extension_allocates_no_cell_array);
    tcase_add_test(tc, test_covering_store_clears_older_foreign_cells);
    tcase_add_test(tc, test_fresh_block_maps_the_next_block);
#if RW_SHADOW_PLANES
    tcase_add_test(tc, test_planes_untouched_by_one_accessor);
#endif
    tcase_add_test(tc, test_extended_granule_keeps_new_reader_inline);
    tcase_add_test(tc, test_extended_granule_inline_store_skips_the_general_check);
    tcase_add_test(tc, test_open_read_second_half_added_by_the_hot_path);
    tcase_add_test(tc, test_open_read_pair_held_and_stored);
    tcase_add_test(tc, test_open_read_store_names_the_read_its_re_read_finds);
    suite_add_tcase(s, tc);

    TCase *kb = tcase_create("regression");
    tcase_set_timeout(kb, 60);
    tcase_set_tags(kb, "regression");
    tcase_add_checked_fixture(kb, setup, NULL);
    tcase_add_test(kb, test_regression_fast_path_misses_extension_cells);
    tcase_add_test(kb, test_regression_bytewise_fill_loses_races);
    tcase_add_test(kb, test_regression_merged_cell_leaves_fast_path);
    tcase_add_test(kb, test_regression_ordered_read_rounds_fill_granule);
    suite_add_tcase(s, kb);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(race_check_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
