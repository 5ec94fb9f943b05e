/* test_shadow.c: detector/shadow.c, the two-level shadow map.
 *
 * The shadow never touches application memory, so the tests use made-up
 * addresses in the 47-bit user range: cell addresses are stable per
 * granule, chunks are mapped on first use only, and rw_shadow_clear zeroes
 * exactly the granules its range overlaps (partial ones at both ends too),
 * across chunk boundaries and over chunks that were never mapped. */
#include "detector/shadow.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

/* A chunk-aligned base that no other test in this file uses (each test
 * runs in its own forked process anyway). */
#define BASE UINT64_C(0x100000000000)    /* 16 TiB: chunk-aligned */
#define CHUNK RW_CHUNK_APP_SIZE

static void setup(void)
{
    ck_assert_int_eq(rw_shadow_init(), 0);
}

static rw_cell *dir_entry(uintptr_t addr)
{
    return rw_shadow_dir[addr >> RW_CHUNK_SHIFT];
}

/* Give every cell of the granules in [lo, hi) a recognizable value. */
static void fill(uintptr_t lo, uintptr_t hi)
{
    /* (no ck_assert in the loop: each passing check costs a write to
     * Check's log, too slow over a whole chunk) */
    int missing = 0;
    for (uintptr_t g = lo; g < hi; g += RW_GRANULE) {
        rw_cell *c = rw_shadow_cells(g);
        if (!c) {
            missing++;
            continue;
        }
        for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
            rw_cell_store(c, i, (rw_cell)g | (rw_cell)(i + 1) << 60, __ATOMIC_RELAXED);
    }
    ck_assert_int_eq(missing, 0);
}

static int granule_is_zero(uintptr_t g)
{
    rw_cell *c = rw_shadow_cells(g);
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        if (rw_cell_load(c, i, __ATOMIC_RELAXED))
            return 0;
    return 1;
}

static int granule_is_filled(uintptr_t g)
{
    rw_cell *c = rw_shadow_cells(g);
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        if (rw_cell_load(c, i, __ATOMIC_RELAXED) != ((rw_cell)g | (rw_cell)(i + 1) << 60))
            return 0;
    return 1;
}

START_TEST(test_constants)
{
    /* 4 cells by default, 2 with -Dcells_per_granule=2: a chunk of
     * shadow is 4 or 2 MiB per MiB of memory. */
    ck_assert(RW_CELLS_PER_GRANULE == 4 || RW_CELLS_PER_GRANULE == 2);
    ck_assert_uint_eq(RW_GRANULE, 8);
    ck_assert_uint_eq(RW_CHUNK_APP_SIZE, 1u << 20);
    ck_assert_uint_eq(RW_CHUNK_SHADOW_SIZE, (size_t)RW_CELLS_PER_GRANULE << 20);
}
END_TEST

START_TEST(test_init_idempotent)
{
    rw_cell **dir = rw_shadow_dir;
    ck_assert_ptr_nonnull(dir);
    ck_assert_int_eq(rw_shadow_init(), 0);
    ck_assert_ptr_eq(rw_shadow_dir, dir);
}
END_TEST

START_TEST(test_cells_stable_per_granule)
{
    uintptr_t a = BASE + 0x1230;   /* granule-aligned */
    rw_cell *c = rw_shadow_cells(a);
    ck_assert_ptr_nonnull(c);
    for (int i = 0; i < 8; i++)
        ck_assert_ptr_eq(rw_shadow_cells(a + i), c);
    /* Asking again gives the same cells. */
    ck_assert_ptr_eq(rw_shadow_cells(a), c);
    /* Next and previous granule: RW_GRANULE_STRIDE cells further / back
     * (1 with planes, RW_CELLS_PER_GRANULE without); cell i is i *
     * RW_CELL_STRIDE cells after cell 0. */
    const int n = RW_GRANULE_STRIDE;
    ck_assert_uint_eq(RW_GRANULE_STRIDE * RW_CELL_STRIDE,
                      RW_SHADOW_PLANES ? RW_CHUNK_APP_SIZE / RW_GRANULE : RW_CELLS_PER_GRANULE);
    ck_assert_ptr_eq(rw_shadow_cells(a + 8), c + n);
    ck_assert_ptr_eq(rw_shadow_cells(a + 15), c + n);
    ck_assert_ptr_eq(rw_shadow_cells(a - 1), c - n);
    /* Position inside the chunk: granule index * RW_GRANULE_STRIDE. */
    ck_assert_ptr_eq(rw_shadow_cells(BASE), c - (0x1230 / 8) * n);
    ck_assert_ptr_eq(rw_shadow_cells(BASE), dir_entry(BASE));
    ck_assert_ptr_eq(rw_shadow_cells(BASE + CHUNK - 1),
                     dir_entry(BASE) + (CHUNK / 8 - 1) * n);
    /* Fresh cells are empty; writes stick. */
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        ck_assert_uint_eq(rw_cell_load(c, i, __ATOMIC_RELAXED), 0);
    rw_cell_store(c, 1, 0xabc, __ATOMIC_RELAXED);
    ck_assert_uint_eq(rw_cell_load(rw_shadow_cells(a + 3), 1, __ATOMIC_RELAXED), 0xabc);
}
END_TEST

START_TEST(test_chunks_lazy)
{
    uintptr_t a = BASE + 5 * CHUNK + 0x777;
    size_t before = rw_shadow_mapped_bytes();
    ck_assert_ptr_null(dir_entry(a));
    ck_assert_ptr_null(dir_entry(a + CHUNK));

    rw_cell *c = rw_shadow_cells(a);
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_nonnull(dir_entry(a));
    ck_assert_uint_eq(rw_shadow_mapped_bytes() - before, RW_CHUNK_SHADOW_SIZE);
    /* The next chunk is still unmapped. */
    ck_assert_ptr_null(dir_entry(a + CHUNK));

    /* Anywhere in the same chunk: no new mapping. */
    rw_shadow_cells(BASE + 5 * CHUNK);
    rw_shadow_cells(BASE + 6 * CHUNK - 1);
    ck_assert_uint_eq(rw_shadow_mapped_bytes() - before, RW_CHUNK_SHADOW_SIZE);

    /* A new megabyte maps a second chunk, distinct from the first. */
    rw_cell *d = rw_shadow_cells(a + CHUNK);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(rw_shadow_mapped_bytes() - before, 2 * RW_CHUNK_SHADOW_SIZE);
    ck_assert_ptr_ne(dir_entry(a), dir_entry(a + CHUNK));

    /* rw_shadow_chunk_slow on a mapped chunk returns the installed one. */
    ck_assert_ptr_eq(rw_shadow_chunk_slow(a), dir_entry(a));
    ck_assert_uint_eq(rw_shadow_mapped_bytes() - before, 2 * RW_CHUNK_SHADOW_SIZE);
}
END_TEST

START_TEST(test_outside_user_space)
{
    ck_assert_ptr_null(rw_shadow_cells(RW_APP_LIMIT));
    ck_assert_ptr_null(rw_shadow_cells(RW_APP_LIMIT + 8));
    ck_assert_ptr_null(rw_shadow_cells(UINTPTR_MAX));
    ck_assert_ptr_nonnull(rw_shadow_cells(RW_APP_LIMIT - 1));
    ck_assert_ptr_nonnull(rw_shadow_cells(0));
}
END_TEST

/* A small range with partial granules at both ends. */
START_TEST(test_clear_partial_granules)
{
    uintptr_t g = BASE + 0x4000;
    fill(g - 16, g + 48);                 /* granules g-16 .. g+40 */
    /* [g+3, g+19): granules g, g+8, g+16 */
    rw_shadow_clear(g + 3, 16);
    ck_assert(granule_is_filled(g - 16));
    ck_assert(granule_is_filled(g - 8));
    ck_assert(granule_is_zero(g));
    ck_assert(granule_is_zero(g + 8));
    ck_assert(granule_is_zero(g + 16));
    ck_assert(granule_is_filled(g + 24));
    ck_assert(granule_is_filled(g + 32));
    ck_assert(granule_is_filled(g + 40));

    /* One byte in the middle of a granule clears that granule only. */
    rw_shadow_clear(g + 37, 1);
    ck_assert(granule_is_filled(g + 24));
    ck_assert(granule_is_zero(g + 32));
    ck_assert(granule_is_filled(g + 40));

    /* The last byte of a granule: that granule only (end is exclusive). */
    rw_shadow_clear(g - 9, 1);             /* byte 7 of granule g-16 */
    ck_assert(granule_is_zero(g - 16));
    ck_assert(granule_is_filled(g - 8));

    /* An aligned range ending on a granule boundary does not touch the
     * next granule. */
    fill(g, g + 48);
    rw_shadow_clear(g + 8, 16);
    ck_assert(granule_is_filled(g));
    ck_assert(granule_is_zero(g + 8));
    ck_assert(granule_is_zero(g + 16));
    ck_assert(granule_is_filled(g + 24));

    /* Size 0 clears nothing. */
    rw_shadow_clear(g + 24, 0);
    ck_assert(granule_is_filled(g + 24));
}
END_TEST

/* A clear of 64 KiB of application memory (256 KiB of shadow, the
 * zero-line skipping path of alloc.c) with single cells scattered where a
 * line-wise scan could miss them (two per granule, so two in a line): the
 * first and last granule, cells in the middle of a 64-byte line, the last cell of a 256-byte step, one
 * cell alone in a page.  Every one is cleared, the neighbours outside the
 * range are not. */
START_TEST(test_clear_scattered_cells_in_big_range)
{
    uintptr_t lo = BASE + 24 * CHUNK + 0x10000, hi = lo + 0x10000;
    fill(lo - 8, lo);
    fill(hi, hi + 8);
    uintptr_t lone[] = { lo, lo + 8 + 8, lo + 0x2000 + 56, lo + 0x4000 - 8, lo + 0x8888, hi - 8 };
    for (size_t k = 0; k < sizeof lone / sizeof lone[0]; k++) {
        rw_cell_store(rw_shadow_cells(lone[k]), k % RW_CELLS_PER_GRANULE, 0x5a5a5a5aull << 8 | k, __ATOMIC_RELAXED);
        rw_cell_store(rw_shadow_cells(lone[k]), RW_CELLS_PER_GRANULE - 1, 0x5a5a5a5aull << 8 | k, __ATOMIC_RELAXED);
    }
    rw_shadow_clear(lo, hi - lo);
    size_t nonzero = 0;
    for (uintptr_t g = lo; g < hi; g += RW_GRANULE)
        nonzero += !granule_is_zero(g);
    ck_assert_uint_eq(nonzero, 0);
    ck_assert(granule_is_filled(lo - 8));
    ck_assert(granule_is_filled(hi));
}
END_TEST

/* A range whose partial granules straddle a chunk boundary. */
START_TEST(test_clear_across_one_boundary)
{
    uintptr_t edge = BASE + 8 * CHUNK;
    fill(edge - 32, edge + 32);
    rw_shadow_clear(edge - 5, 7);          /* bytes edge-5 .. edge+1 */
    ck_assert(granule_is_filled(edge - 32));
    ck_assert(granule_is_filled(edge - 16));
    ck_assert(granule_is_zero(edge - 8));
    ck_assert(granule_is_zero(edge));
    ck_assert(granule_is_filled(edge + 8));
    ck_assert(granule_is_filled(edge + 24));
}
END_TEST

/* A range of several megabytes: partial granules at both ends, whole
 * chunks in the middle (madvise path), a chunk never mapped in between. */
START_TEST(test_clear_large_range_spanning_chunks)
{
    uintptr_t a = BASE + 16 * CHUNK;       /* chunk A */
    uintptr_t b = a + CHUNK;               /* chunk B: fully used */
    uintptr_t c = b + CHUNK;               /* chunk C: never mapped */
    uintptr_t d = c + CHUNK;               /* chunk D */
    fill(b - 256, b);                      /* tail of A */
    fill(b, c);                            /* all of B */
    fill(d, d + 256);                      /* head of D */
    ck_assert_ptr_null(dir_entry(c));
    size_t mapped = rw_shadow_mapped_bytes();

    uintptr_t lo = b - 100;                /* inside granule b-104 */
    uintptr_t hi = d + 201;                /* inside granule d+200 */
    rw_shadow_clear(lo, hi - lo);

    ck_assert(granule_is_filled(b - 112));
    for (uintptr_t g = b - 104; g < b; g += 8)
        ck_assert_msg(granule_is_zero(g), "A granule %#lx not cleared", (unsigned long)g);
    rw_cell *cb = dir_entry(b);
    size_t nonzero = 0, first = SIZE_MAX;
    for (size_t i = 0; i < RW_CHUNK_SHADOW_SIZE / sizeof(rw_cell); i++) {
        if (cb[i] != 0) {
            nonzero++;
            if (first == SIZE_MAX)
                first = i;
        }
    }
    ck_assert_msg(nonzero == 0, "%zu cells of chunk B not cleared, first %zu", nonzero, first);
    for (uintptr_t g = d; g <= d + 200; g += 8)
        ck_assert_msg(granule_is_zero(g), "D granule %#lx not cleared", (unsigned long)g);
    ck_assert(granule_is_filled(d + 208));
    ck_assert(granule_is_filled(d + 248));

    /* Clearing does not map the chunk that was never used. */
    ck_assert_ptr_null(dir_entry(c));
    ck_assert_uint_eq(rw_shadow_mapped_bytes(), mapped);

    /* The cleared chunk is still usable. */
    rw_cell_store(cb + RW_GRANULE_STRIDE, RW_CELLS_PER_GRANULE - 1, 5, __ATOMIC_RELAXED);
    ck_assert_uint_eq(rw_cell_load(rw_shadow_cells(b + 8), RW_CELLS_PER_GRANULE - 1, __ATOMIC_RELAXED), 5);
}
END_TEST

/* Clearing memory whose chunk was never mapped maps nothing. */
START_TEST(test_clear_unmapped_is_noop)
{
    uintptr_t a = BASE + 40 * CHUNK;
    size_t mapped = rw_shadow_mapped_bytes();
    rw_shadow_clear(a, 3 * CHUNK);
    ck_assert_ptr_null(dir_entry(a));
    ck_assert_ptr_null(dir_entry(a + CHUNK));
    ck_assert_ptr_null(dir_entry(a + 2 * CHUNK));
    ck_assert_uint_eq(rw_shadow_mapped_bytes(), mapped);
}
END_TEST

/* A range running past the end of user space is cut at the limit. */
START_TEST(test_clear_at_user_space_end)
{
    uintptr_t g = RW_APP_LIMIT - 16;
    fill(g - 8, RW_APP_LIMIT);
    rw_shadow_clear(g, 1000);
    ck_assert(granule_is_filled(g - 8));
    ck_assert(granule_is_zero(g));
    ck_assert(granule_is_zero(g + 8));
    /* Entirely outside: nothing happens (and nothing crashes). */
    rw_shadow_clear(RW_APP_LIMIT, 64);
    rw_shadow_clear(UINTPTR_MAX - 4, 100);
    ck_assert(granule_is_filled(g - 8));
}
END_TEST

static Suite *shadow_suite(void)
{
    Suite *s = suite_create("shadow");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_constants);
    tcase_add_test(tc, test_init_idempotent);
    tcase_add_test(tc, test_cells_stable_per_granule);
    tcase_add_test(tc, test_chunks_lazy);
    tcase_add_test(tc, test_outside_user_space);
    tcase_add_test(tc, test_clear_partial_granules);
    tcase_add_test(tc, test_clear_across_one_boundary);
    tcase_add_test(tc, test_clear_scattered_cells_in_big_range);
    tcase_add_test(tc, test_clear_large_range_spanning_chunks);
    tcase_add_test(tc, test_clear_unmapped_is_noop);
    tcase_add_test(tc, test_clear_at_user_space_end);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(shadow_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
