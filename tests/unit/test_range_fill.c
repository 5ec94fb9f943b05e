/* test_range_fill.c: the range fill of detector/race_check.c
 * (rw_check_range: memcpy, memset, str*, read/write buffers), for the
 * cases it answers in one look at a granule without the general check:
 * a buffer reused across epochs (unaligned head and tail pieces among our
 * older cells), another thread's access that happens before ours, and a
 * run covered by several of our own cells together.  And the races it
 * must still report at a range's head and tail.
 *
 * No OS threads: "threads" are slots made with rw_thread_create, ordered
 * by the order of the calls and by rw_sync_release/_acquire.  Positions:
 * a new slot's first event is its MARK at position 1, so its first stored
 * access gets position 2; each range that stores takes one position. */

#include "detector/race_check.h"

#include <check.h>
#include <stdint.h>

#include "detector/syncvar.h"
#include "detector/thread.h"

#define G UINT64_C(0x200000002000) /* a granule-aligned made-up address */
#define PC 0x4242

#define MAXCALLS 16
static struct call {
    rw_thread *t;
    uintptr_t addr;
    rw_cell cur, old;
} calls[MAXCALLS];
static int ncalls;

static void record(rw_thread *t, uintptr_t addr, rw_cell cur, rw_cell old, uintptr_t pc)
{
    (void)pc;
    if (ncalls < MAXCALLS)
        calls[ncalls] = (struct call){ t, addr, cur, old };
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
}

static rw_thread *spawn(void)
{
    rw_thread *t = rw_thread_create(mainth, 0);
    ck_assert_ptr_nonnull(t);
    return t;
}

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

static rw_cell *cells(uintptr_t a) { return rw_shadow_cells(a); }

static int count_cells(uintptr_t a)
{
    int n = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        n += rw_cell_load(cells(a), i, __ATOMIC_RELAXED) != 0;
    return n;
}

static int has_cell(uintptr_t a, rw_cell c)
{
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        if (rw_cell_load(cells(a), i, __ATOMIC_RELAXED) == c)
            return 1;
    return 0;
}

/* Whether the granule holds the access, inline or in its extension (with
 * 2 cells per granule a third accessor's cell may be there). */
static int holds(uintptr_t a, rw_cell c)
{
    rw_cell kept[16];
    int n = rw_granule_accesses(a, kept, 16);
    for (int i = 0; i < n && i < 16; i++)
        if (kept[i] == c)
            return 1;
    return 0;
}

/* The decoder's shape: an unaligned range written, a release, the same
 * range written again.  The second fill finds only our older cells and
 * stores over them without the general check: head [3, 8) as one cell
 * (the granule's suffix from byte 3), a whole granule, tail [16, 21) as 4
 * and 1 bytes. */
START_TEST(test_reused_unaligned_range_no_slow_check)
{
    rw_thread *a = spawn();
    rw_check_range(a, G + 3, 18, 1, 0, PC);
    uint64_t first = a->pos;
    ck_assert_int_eq(count_cells(G), 1);
    ck_assert(has_cell(G, rw_cell_make(a->slot, first, 3, 3, 1, 0)));
    ck_assert_uint_eq(rw_cell_mask(rw_cell_load(cells(G), 0, __ATOMIC_RELAXED)), 0xf8);
    release(a, 0x100);
    uint64_t slow_before = rw_slow_checks;
    rw_check_range(a, G + 3, 18, 1, 0, PC);
    uint64_t second = a->pos;
    ck_assert_uint_gt(second, first);
    ck_assert_msg(rw_slow_checks == slow_before,
                  "BUG: %llu pieces of a reused range took the general check",
                  (unsigned long long)(rw_slow_checks - slow_before));
    /* The new cells replaced the old ones, byte for byte. */
    ck_assert_int_eq(count_cells(G), 1);
    ck_assert(has_cell(G, rw_cell_make(a->slot, second, 3, 3, 1, 0)));
    ck_assert_int_eq(count_cells(G + 8), 1);
    ck_assert(has_cell(G + 8, rw_cell_make(a->slot, second, 0, 3, 1, 0)));
    ck_assert_int_eq(count_cells(G + 16), 2);
    ck_assert(has_cell(G + 16, rw_cell_make(a->slot, second, 0, 2, 1, 0)));
    ck_assert(has_cell(G + 16, rw_cell_make(a->slot, second, 4, 0, 1, 0)));
    ck_assert_int_eq(ncalls, 0);
}
END_TEST

/* A run that two of our cells cover only together (a write of [0, 2),
 * then a read of [2, 4), then a read of [0, 4)): nothing new to store, no
 * trace position taken. */
START_TEST(test_run_covered_by_own_cells_together)
{
    rw_thread *a = spawn();
    rw_check_range(a, G, 2, 1, 0, PC);
    rw_check_range(a, G + 2, 2, 0, 0, PC);
    ck_assert_int_eq(count_cells(G), 2);
    uint64_t pos = a->pos;
    rw_cell before[RW_CELLS_PER_GRANULE];
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        before[i] = rw_cell_load(cells(G), i, __ATOMIC_RELAXED);
    uint64_t slow_before = rw_slow_checks;
    rw_check_range(a, G, 4, 0, 0, PC);
    ck_assert_uint_eq(a->pos, pos);
    ck_assert_uint_eq(rw_slow_checks, slow_before);
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        ck_assert(rw_cell_load(cells(G), i, __ATOMIC_RELAXED) == before[i]);
    /* A write of the same bytes is not covered by a read of half. */
    rw_check_range(a, G, 4, 1, 0, PC);
    ck_assert_uint_gt(a->pos, pos);
    ck_assert(has_cell(G, rw_cell_make(a->slot, a->pos, 0, 2, 1, 0)));
    ck_assert_int_eq(ncalls, 0);
}
END_TEST

/* An I/O buffer handed back and forth (zstd -d's shape): a writes it,
 * hands it to b, b reads it, hands it back, a writes it again.  b's reads
 * happen before a's new write, which covers and dominates them: the fill
 * replaces a's old cell and clears b's, without the general check. */
START_TEST(test_handed_back_buffer_no_slow_check)
{
    rw_thread *a = spawn(), *b = spawn();
    rw_check_range(a, G, 64, 1, 0, PC);
    release(a, 0x200);
    acquire(b, 0x200);
    rw_check_range(b, G, 64, 0, 0, PC);
    ck_assert_int_eq(count_cells(G + 8), 2);
    release(b, 0x300);
    acquire(a, 0x300);
    uint64_t slow_before = rw_slow_checks;
    rw_check_range(a, G, 64, 1, 0, PC);
    ck_assert_msg(rw_slow_checks == slow_before,
                  "BUG: %llu granules of a handed-back buffer took the general check",
                  (unsigned long long)(rw_slow_checks - slow_before));
    for (uintptr_t g = G; g < G + 64; g += 8) {
        ck_assert_int_eq(count_cells(g), 1);
        ck_assert(has_cell(g, rw_cell_make(a->slot, a->pos, 0, 3, 1, 0)));
    }
    ck_assert_int_eq(ncalls, 0);
}
END_TEST

/* The same hand-over with b's read left unordered: a's new write races
 * with it at the range's head (byte 5 of [3, 21)) and at its tail (byte
 * 20): each reported once, for the piece that holds the byte, with b's
 * cell as the previous access. */
static void race_at(uintptr_t byte, uintptr_t piece, unsigned piece_off, unsigned piece_sizelog)
{
    rw_thread *a = spawn(), *b = spawn();
    rw_check_range(a, G + 3, 18, 1, 0, PC);
    release(a, 0x400);
    acquire(b, 0x400);
    rw_check_range(b, byte, 1, 0, 0, PC);
    ck_assert_int_eq(ncalls, 0);
    rw_cell read = rw_cell_make(b->slot, b->pos, (unsigned)(byte & 7), 0, 0, 0);
    ck_assert(holds(byte & ~(uintptr_t)7, read));
    release(a, 0x500); /* a's new epoch; b never acquires it */
    rw_check_range(a, G + 3, 18, 1, 0, PC);
    ck_assert_int_eq(ncalls, 1);
    ck_assert_ptr_eq(calls[0].t, a);
    ck_assert_uint_eq(calls[0].addr, piece);
    ck_assert(calls[0].cur == rw_cell_make(a->slot, 0, piece_off, piece_sizelog, 1, 0));
    ck_assert(calls[0].old == read);
    /* Once more in the same epoch: nothing new, no second report. */
    rw_check_range(a, G + 3, 18, 1, 0, PC);
    ck_assert_int_eq(ncalls, 1);
}

START_TEST(test_race_at_head_reported)
{
    race_at(G + 5, G + 4, 4, 2);
}
END_TEST

START_TEST(test_race_at_tail_reported)
{
    race_at(G + 20, G + 20, 4, 0);
}
END_TEST

/* A correct hand-over of the tail's byte: silent. */
START_TEST(test_ordered_tail_read_silent)
{
    rw_thread *a = spawn(), *b = spawn();
    rw_check_range(a, G + 3, 18, 1, 0, PC);
    release(a, 0x600);
    acquire(b, 0x600);
    rw_check_range(b, G + 20, 1, 0, 0, PC);
    release(b, 0x700);
    acquire(a, 0x700);
    rw_check_range(a, G + 3, 18, 1, 0, PC);
    ck_assert_int_eq(ncalls, 0);
    /* b's read was replaced by a's covering write of the piece. */
    ck_assert(holds(G + 16, rw_cell_make(a->slot, a->pos, 4, 0, 1, 0)));
    ck_assert_int_eq(rw_granule_accesses(G + 16, NULL, 0), 2);
}
END_TEST

/* A run stored as fewer cells than naturally placed pieces: [3, 8) is one
 * cell (the suffix from byte 3), [1, 4) a 2-byte cell at 1 and a byte at
 * 3.  Another thread's unordered access of any of their bytes races with
 * them (the previous access is the cell that holds the byte, with its
 * exact bytes); one outside them, or an ordered one, does not.  Byte k of
 * bytes[] is tried in its own granule G + 64 k, written the same way. */
static void race_with_run(unsigned lo, unsigned len, const unsigned *bytes, const unsigned *masks,
                          int n, int ordered)
{
    rw_thread *a = spawn(), *b = spawn();
    for (int k = 0; k < n; k++)
        rw_check_range(a, G + 64 * (uintptr_t)k + lo, len, 1, 0, PC);
    if (ordered) {
        release(a, 0x800);
        acquire(b, 0x800);
    }
    for (int k = 0; k < n; k++) {
        int before = ncalls;
        uintptr_t byte = G + 64 * (uintptr_t)k + bytes[k];
        rw_check_range(b, byte, 1, 1, 0, PC);
        if (ordered || !masks[k]) {
            ck_assert_int_eq(ncalls, before);
            continue;
        }
        ck_assert_int_eq(ncalls, before + 1);
        ck_assert_ptr_eq(calls[before].t, b);
        ck_assert_uint_eq(calls[before].addr, byte);
        ck_assert_uint_eq(rw_cell_slot(calls[before].old), a->slot);
        ck_assert_uint_eq(rw_cell_mask(calls[before].old), masks[k]);
        ck_assert(rw_cell_is_write(calls[before].old));
    }
}

START_TEST(test_suffix_run_one_cell)
{
    rw_thread *a = spawn();
    rw_check_range(a, G + 3, 5, 1, 0, PC);
    ck_assert_int_eq(count_cells(G), 1);
    ck_assert_uint_eq(rw_cell_mask(rw_cell_load(cells(G), 0, __ATOMIC_RELAXED)), 0xf8);
    rw_check_range(a, G + 17, 3, 1, 0, PC);
    ck_assert_int_eq(count_cells(G + 16), 2);
    ck_assert(has_cell(G + 16, rw_cell_make(a->slot, a->pos, 1, 1, 1, 0)));
    ck_assert(has_cell(G + 16, rw_cell_make(a->slot, a->pos, 3, 0, 1, 0)));
    ck_assert_int_eq(ncalls, 0);
}
END_TEST

static const unsigned suffix_bytes[] = { 2, 3, 4, 5, 6, 7 };
static const unsigned suffix_masks[] = { 0, 0xf8, 0xf8, 0xf8, 0xf8, 0xf8 };
static const unsigned pair_bytes[] = { 0, 1, 2, 3, 4 };
static const unsigned pair_masks[] = { 0, 0x06, 0x06, 0x08, 0 };

START_TEST(test_suffix_run_race_each_byte)
{
    race_with_run(3, 5, suffix_bytes, suffix_masks, 6, 0);
}
END_TEST

START_TEST(test_suffix_run_ordered_silent)
{
    race_with_run(3, 5, suffix_bytes, suffix_masks, 6, 1);
}
END_TEST

START_TEST(test_unaligned_pair_race_each_byte)
{
    race_with_run(1, 3, pair_bytes, pair_masks, 5, 0);
}
END_TEST

START_TEST(test_unaligned_pair_ordered_silent)
{
    race_with_run(1, 3, pair_bytes, pair_masks, 5, 1);
}
END_TEST

static Suite *range_fill_suite(void)
{
    Suite *s = suite_create("range_fill");
    TCase *tc = tcase_create("fill");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_reused_unaligned_range_no_slow_check);
    tcase_add_test(tc, test_run_covered_by_own_cells_together);
    tcase_add_test(tc, test_handed_back_buffer_no_slow_check);
    tcase_add_test(tc, test_race_at_head_reported);
    tcase_add_test(tc, test_race_at_tail_reported);
    tcase_add_test(tc, test_ordered_tail_read_silent);
    tcase_add_test(tc, test_suffix_run_one_cell);
    tcase_add_test(tc, test_suffix_run_race_each_byte);
    tcase_add_test(tc, test_suffix_run_ordered_silent);
    tcase_add_test(tc, test_unaligned_pair_race_each_byte);
    tcase_add_test(tc, test_unaligned_pair_ordered_silent);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(range_fill_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
