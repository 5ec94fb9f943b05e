/* test_heapblock.c: detector/heapblock.c, the table of heap blocks that
 * reports use for "Location is heap block of size N at 0x.. allocated by
 * thread K".  Addresses are made up (16-byte aligned, as malloc's are);
 * the table never dereferences them. */
#include "detector/heapblock.h"

#include <check.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>

#define H UINT64_C(0x5000000000)

static void assert_block(uintptr_t addr, uintptr_t start, size_t size, uint32_t stack,
                         uint32_t thread, int freed)
{
    rw_heapblock b = { 0 };
    ck_assert_msg(rw_heap_find(addr, &b) == 1, "no block found for %#lx", (unsigned long)addr);
    ck_assert_msg(b.start == start, "block of %#lx starts at %#lx, want %#lx",
                  (unsigned long)addr, (unsigned long)b.start, (unsigned long)start);
    ck_assert_uint_eq(b.size, size);
    ck_assert_uint_eq(b.alloc_stack, stack);
    ck_assert_uint_eq(b.thread, thread);
    ck_assert_int_eq(b.freed, freed);
}

/* The same without Check's per-assertion cost, for big loops. */
static int block_is(uintptr_t addr, uintptr_t start, size_t size, uint32_t stack, uint32_t thread)
{
    rw_heapblock b = { 0 };
    return rw_heap_find(addr, &b) == 1 && b.start == start && b.size == size &&
           b.alloc_stack == stack && b.thread == thread && b.freed == 0;
}

static void assert_none(uintptr_t addr)
{
    rw_heapblock b;
    ck_assert_msg(rw_heap_find(addr, &b) == 0, "unexpected block for %#lx", (unsigned long)addr);
}

START_TEST(test_add_find)
{
    rw_heap_add(H, 40, 7, 2);
    assert_block(H, H, 40, 7, 2, 0);
    assert_block(H + 1, H, 40, 7, 2, 0);
    assert_block(H + 16, H, 40, 7, 2, 0);
    assert_block(H + 39, H, 40, 7, 2, 0);
    assert_none(H + 40);
    assert_none(H + 48);
    assert_none(H - 1);
    assert_none(H - 16);
    assert_none(H + 1000);
}
END_TEST

START_TEST(test_adjacent_blocks)
{
    rw_heap_add(H, 32, 1, 1);
    rw_heap_add(H + 32, 32, 2, 3);
    rw_heap_add(H + 80, 16, 3, 4);           /* a gap of 16 before it */
    assert_block(H + 31, H, 32, 1, 1, 0);
    assert_block(H + 32, H + 32, 32, 2, 3, 0);
    assert_block(H + 63, H + 32, 32, 2, 3, 0);
    assert_none(H + 64);
    assert_none(H + 79);
    assert_block(H + 80, H + 80, 16, 3, 4, 0);
    assert_block(H + 95, H + 80, 16, 3, 4, 0);
    assert_none(H + 96);
}
END_TEST

START_TEST(test_zero_size_block)
{
    rw_heap_add(H, 0, 5, 1);
    assert_block(H, H, 0, 5, 1, 0);
    assert_none(H + 1);
    size_t size = 99;
    ck_assert_int_eq(rw_heap_mark_freed(H, &size), 1);
    ck_assert_uint_eq(size, 0);
}
END_TEST

START_TEST(test_mark_freed_and_remove)
{
    rw_heap_add(H, 100, 9, 3);
    size_t size = 0;
    ck_assert_int_eq(rw_heap_mark_freed(H, &size), 1);
    ck_assert_uint_eq(size, 100);
    assert_block(H + 50, H, 100, 9, 3, 1);
    /* A second free of the same block is not a known live block. */
    size = 0;
    ck_assert_int_eq(rw_heap_mark_freed(H, &size), 0);
    ck_assert_uint_eq(size, 0);
    /* Only a block's start frees it. */
    rw_heap_add(H + 0x1000, 64, 1, 1);
    ck_assert_int_eq(rw_heap_mark_freed(H + 0x1010, &size), 0);
    assert_block(H + 0x1010, H + 0x1000, 64, 1, 1, 0);
    /* Unknown address. */
    ck_assert_int_eq(rw_heap_mark_freed(H + 0x9000, &size), 0);

    rw_heap_remove(H);
    assert_none(H);
    assert_none(H + 50);
    ck_assert_int_eq(rw_heap_mark_freed(H, &size), 0);
    /* The other block is untouched. */
    assert_block(H + 0x1000, H + 0x1000, 64, 1, 1, 0);
    /* Removing an unknown block is harmless. */
    rw_heap_remove(H + 0x7770);
    /* The address can be a block again. */
    rw_heap_add(H, 8, 4, 5);
    assert_block(H + 7, H, 8, 4, 5, 0);
    assert_none(H + 8);
}
END_TEST

/* Small blocks' nodes come from the table's own mappings, never from the
 * program's heap (a node after each of the program's blocks spread them
 * apart), and a removed node serves its bucket's next block, with that
 * block's own fields. */
START_TEST(test_small_nodes_off_the_heap)
{
    const uintptr_t S = H + 0x20000000;
    enum { N = 20000 };
    size_t heap_before = mallinfo2().uordblks;
    for (int round = 0; round < 3; round++) {
        for (uintptr_t i = 0; i < N; i++)
            rw_heap_add(S + i * 32, 12 + (size_t)round, (uint32_t)(i + 1), (uint32_t)round + 1);
        ck_assert_uint_eq(mallinfo2().uordblks, heap_before);
        int bad = 0;
        for (uintptr_t i = 0; i < N; i++)
            bad += !block_is(S + i * 32 + 11, S + i * 32, 12 + (size_t)round, (uint32_t)(i + 1),
                             (uint32_t)round + 1);
        ck_assert_int_eq(bad, 0);
        for (uintptr_t i = 0; i < N; i++)
            rw_heap_remove(S + i * 32);
        assert_none(S);
        assert_none(S + (N - 1) * 32);
    }
    ck_assert_uint_eq(mallinfo2().uordblks, heap_before);
}
END_TEST

/* Blocks of 64 KiB and more are kept on their own list: found from any
 * address inside, however far from the start. */
START_TEST(test_large_blocks)
{
    const uintptr_t L = H + 0x10000000;
    const size_t big = 10u << 20;              /* 10 MiB */
    rw_heap_add(L, big, 11, 2);
    assert_block(L, L, big, 11, 2, 0);
    assert_block(L + 0x12345, L, big, 11, 2, 0);
    assert_block(L + big - 1, L, big, 11, 2, 0);
    assert_none(L + big);
    assert_none(L - 1);

    /* Exactly 64 KiB is large; one byte less is small but still found
     * from its last byte. */
    const uintptr_t E = H + 0x20000000;
    rw_heap_add(E, 65536, 12, 2);
    assert_block(E + 65535, E, 65536, 12, 2, 0);
    const uintptr_t F = H + 0x30000000;
    rw_heap_add(F, 65535, 13, 2);
    assert_block(F + 65534, F, 65535, 13, 2, 0);
    assert_block(F, F, 65535, 13, 2, 0);
    assert_none(F + 65535);

    size_t size = 0;
    ck_assert_int_eq(rw_heap_mark_freed(L, &size), 1);
    ck_assert_uint_eq(size, big);
    assert_block(L + 5, L, big, 11, 2, 1);
    ck_assert_int_eq(rw_heap_mark_freed(L, &size), 0);
    rw_heap_remove(L);
    assert_none(L + 5);
    assert_block(E, E, 65536, 12, 2, 0);

    /* A small block right after a large one. */
    rw_heap_add(E + 65536, 16, 14, 3);
    assert_block(E + 65536 + 15, E + 65536, 16, 14, 3, 0);
    assert_block(E + 65535, E, 65536, 12, 2, 0);
}
END_TEST

/* Addresses near zero do not make the walk underflow. */
START_TEST(test_low_addresses)
{
    assert_none(0);
    assert_none(8);
    assert_none(100);
    rw_heap_add(0x20, 16, 1, 1);
    assert_block(0x2f, 0x20, 16, 1, 1, 0);
    assert_none(0x30);
    assert_none(0x10);
}
END_TEST

/* Many blocks: each found, with its own data. */
START_TEST(test_many_blocks)
{
    enum { N = 20000 };
    for (uintptr_t i = 0; i < N; i++)
        rw_heap_add(H + i * 48, 40, (uint32_t)i, (uint32_t)(i % 5));
    rw_heapblock tmp;
    int bad = 0;
    for (uintptr_t i = 0; i < N; i++) {
        bad += !block_is(H + i * 48 + 39, H + i * 48, 40, (uint32_t)i, (uint32_t)(i % 5));
        bad += rw_heap_find(H + i * 48 + 40, &tmp) != 0;
    }
    ck_assert_int_eq(bad, 0);
    for (uintptr_t i = 0; i < N; i += 2)
        rw_heap_remove(H + i * 48);
    for (uintptr_t i = 0; i < N; i++) {
        if (i % 2)
            bad += !block_is(H + i * 48, H + i * 48, 40, (uint32_t)i, (uint32_t)(i % 5));
        else
            bad += rw_heap_find(H + i * 48 + 3, &tmp) != 0;
    }
    ck_assert_int_eq(bad, 0);
}
END_TEST

/* Many large blocks (the quarantine holds up to 256 of 64 KiB): removed
 * from the head, the tail and the middle of their list, in any order,
 * each marked freed and removed by its start; the others still found,
 * whole, and the removed ones not at all. */
START_TEST(test_many_large_blocks)
{
    enum { N = 300 };
    const uintptr_t B = H + 0x40000000;
    const size_t size = 65536 + 16;
    for (uintptr_t i = 0; i < N; i++)
        rw_heap_add(B + i * 0x20000, size, (uint32_t)i, 4);
    int bad = 0;
    size_t got = 0;
    /* The newest (list head), the oldest (tail), then every third. */
    uintptr_t order[N];
    int n = 0, gone[N] = { 0 };
    order[n++] = N - 1;
    order[n++] = 0;
    for (uintptr_t i = 3; i < N - 1; i += 3)
        order[n++] = i;
    for (int k = 0; k < n; k++) {
        uintptr_t i = order[k];
        bad += rw_heap_mark_freed(B + i * 0x20000, &got) != 1 || got != size;
        rw_heap_remove(B + i * 0x20000);
        gone[i] = 1;
    }
    rw_heapblock tmp;
    for (uintptr_t i = 0; i < N; i++) {
        uintptr_t s = B + i * 0x20000;
        if (gone[i])
            bad += rw_heap_find(s + size - 1, &tmp) != 0 || rw_heap_mark_freed(s, &got) != 0;
        else
            bad += !block_is(s + size - 1, s, size, (uint32_t)i, 4) ||
                   !block_is(s + 100, s, size, (uint32_t)i, 4);
    }
    ck_assert_int_eq(bad, 0);
    for (uintptr_t i = 0; i < N; i++)
        if (!gone[i])
            rw_heap_remove(B + i * 0x20000);
    for (uintptr_t i = 0; i < N; i++)
        bad += rw_heap_find(B + i * 0x20000 + 5, &tmp) != 0;
    ck_assert_int_eq(bad, 0);
}
END_TEST

START_TEST(test_lock_all)
{
    rw_heap_lock_all();
    rw_heap_unlock_all();
    rw_heap_add(H, 16, 1, 1);
    assert_block(H, H, 16, 1, 1, 0);
}
END_TEST

static Suite *heapblock_suite(void)
{
    Suite *s = suite_create("heapblock");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_add_find);
    tcase_add_test(tc, test_adjacent_blocks);
    tcase_add_test(tc, test_zero_size_block);
    tcase_add_test(tc, test_mark_freed_and_remove);
    tcase_add_test(tc, test_large_blocks);
    tcase_add_test(tc, test_small_nodes_off_the_heap);
    tcase_add_test(tc, test_low_addresses);
    tcase_add_test(tc, test_many_blocks);
    tcase_add_test(tc, test_many_large_blocks);
    tcase_add_test(tc, test_lock_all);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(heapblock_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
