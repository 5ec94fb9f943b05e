/* test_stackdepot.c: detector/stackdepot.c, stacks stored once by id. */
#include "detector/stackdepot.h"

#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

START_TEST(test_empty_stack)
{
    uintptr_t pcs[1] = { 0x1 };
    ck_assert_uint_eq(rw_stack_put(pcs, 0), 0);
    uintptr_t out[4] = { 9, 9, 9, 9 };
    ck_assert_uint_eq(rw_stack_get(0, out, 4), 0);
    ck_assert_uint_eq(out[0], 9);
    /* Unknown ids give nothing. */
    ck_assert_uint_eq(rw_stack_get(1, out, 4), 0);
    ck_assert_uint_eq(rw_stack_get(12345, out, 4), 0);
    ck_assert_uint_eq(rw_stack_get(UINT32_MAX, out, 4), 0);
}
END_TEST

START_TEST(test_same_stack_same_id)
{
    const uintptr_t a[] = { 0x401000, 0x402000, 0x403000 };
    uint32_t id = rw_stack_put(a, 3);
    ck_assert_uint_ne(id, 0);
    ck_assert_uint_eq(rw_stack_put(a, 3), id);
    /* An equal copy in other memory. */
    uintptr_t copy[3] = { 0x401000, 0x402000, 0x403000 };
    ck_assert_uint_eq(rw_stack_put(copy, 3), id);

    uintptr_t out[8] = { 0 };
    ck_assert_uint_eq(rw_stack_get(id, out, 8), 3);
    ck_assert_uint_eq(out[0], 0x401000);
    ck_assert_uint_eq(out[1], 0x402000);
    ck_assert_uint_eq(out[2], 0x403000);
    ck_assert_uint_eq(out[3], 0);
    /* max cuts (innermost kept). */
    uintptr_t two[2] = { 0 };
    ck_assert_uint_eq(rw_stack_get(id, two, 2), 2);
    ck_assert_uint_eq(two[0], 0x401000);
    ck_assert_uint_eq(two[1], 0x402000);
    ck_assert_uint_eq(rw_stack_get(id, two, 0), 0);
}
END_TEST

START_TEST(test_different_stacks_different_ids)
{
    const uintptr_t a[] = { 0x10, 0x20, 0x30 };
    const uintptr_t b[] = { 0x10, 0x20, 0x31 };   /* one pc differs */
    const uintptr_t c[] = { 0x30, 0x20, 0x10 };   /* same pcs, other order */
    uint32_t ia = rw_stack_put(a, 3);
    uint32_t ib = rw_stack_put(b, 3);
    uint32_t ic = rw_stack_put(c, 3);
    uint32_t ip = rw_stack_put(a, 2);             /* a prefix */
    uint32_t i1 = rw_stack_put(a, 1);
    ck_assert_uint_ne(ia, 0);
    ck_assert_uint_ne(ia, ib);
    ck_assert_uint_ne(ia, ic);
    ck_assert_uint_ne(ib, ic);
    ck_assert_uint_ne(ip, ia);
    ck_assert_uint_ne(ip, i1);
    ck_assert_uint_ne(i1, ia);
    uintptr_t out[4];
    ck_assert_uint_eq(rw_stack_get(ip, out, 4), 2);
    ck_assert_uint_eq(out[0], 0x10);
    ck_assert_uint_eq(out[1], 0x20);
    ck_assert_uint_eq(rw_stack_get(i1, out, 4), 1);
    ck_assert_uint_eq(out[0], 0x10);
    ck_assert_uint_eq(rw_stack_get(ic, out, 4), 3);
    ck_assert_uint_eq(out[0], 0x30);
    ck_assert_uint_eq(out[2], 0x10);
    /* Still the same ids later. */
    ck_assert_uint_eq(rw_stack_put(b, 3), ib);
    ck_assert_uint_eq(rw_stack_put(a, 2), ip);
}
END_TEST

/* Stacks longer than RW_MAX_STACK keep their first (innermost) frames. */
START_TEST(test_long_stack_truncated)
{
    uintptr_t a[100], b[100];
    for (int i = 0; i < 100; i++)
        a[i] = b[i] = 0x1000 + (uintptr_t)i;
    b[80] = 0xdead;                               /* past the limit */
    uint32_t ia = rw_stack_put(a, 100);
    ck_assert_uint_eq(rw_stack_put(b, 100), ia);
    ck_assert_uint_eq(rw_stack_put(a, RW_MAX_STACK), ia);
    uintptr_t out[100];
    ck_assert_uint_eq(rw_stack_get(ia, out, 100), RW_MAX_STACK);
    for (int i = 0; i < RW_MAX_STACK; i++)
        ck_assert_uint_eq(out[i], 0x1000 + (uintptr_t)i);
    b[10] = 0xbeef;                               /* within the limit */
    ck_assert_uint_ne(rw_stack_put(b, 100), ia);
}
END_TEST

/* Many stacks: distinct ids, all retrievable. */
START_TEST(test_many_stacks)
{
    enum { N = 50000 };
    static uint32_t ids[N];
    int bad = 0;
    for (int i = 0; i < N; i++) {
        uintptr_t pcs[3] = { 0x400000 + (uintptr_t)i, 0x500000 + (uintptr_t)(i % 7), 0x600000 };
        ids[i] = rw_stack_put(pcs, 1 + (uint32_t)(i % 3));
        bad += ids[i] == 0;
    }
    ck_assert_int_eq(bad, 0);
    for (int i = 1; i < N; i++)
        bad += ids[i] == ids[i - 1];
    ck_assert_int_eq(bad, 0);
    for (int i = 0; i < N; i++) {
        uintptr_t out[4] = { 0 };
        uint32_t n = rw_stack_get(ids[i], out, 4);
        uintptr_t pcs[3] = { 0x400000 + (uintptr_t)i, 0x500000 + (uintptr_t)(i % 7), 0x600000 };
        bad += n != 1 + (uint32_t)(i % 3);
        for (uint32_t j = 0; j < n && j < 3; j++)
            bad += out[j] != pcs[j];
        bad += rw_stack_put(pcs, n) != ids[i];
    }
    ck_assert_int_eq(bad, 0);
}
END_TEST

/* Several threads putting the same stacks at once agree on the ids. */
enum { NT = 4, NS = 2000 };
static uint32_t tids[NT][NS];

static void *putter(void *arg)
{
    int k = (int)(intptr_t)arg;
    for (int j = 0; j < NS; j++) {
        int i = (j + k * 500) % NS;
        uintptr_t pcs[2] = { 0x900000 + (uintptr_t)i, 0x42 };
        tids[k][i] = rw_stack_put(pcs, 2);
    }
    return NULL;
}

START_TEST(test_concurrent_puts)
{
    pthread_t th[NT];
    for (int k = 0; k < NT; k++)
        ck_assert_int_eq(pthread_create(&th[k], NULL, putter, (void *)(intptr_t)k), 0);
    for (int k = 0; k < NT; k++)
        pthread_join(th[k], NULL);
    int bad = 0;
    for (int i = 0; i < NS; i++) {
        bad += tids[0][i] == 0;
        for (int k = 1; k < NT; k++)
            bad += tids[k][i] != tids[0][i];
        uintptr_t out[2] = { 0 };
        bad += rw_stack_get(tids[0][i], out, 2) != 2;
        bad += out[0] != 0x900000 + (uintptr_t)i;
    }
    ck_assert_int_eq(bad, 0);
}
END_TEST

/* Past its budget the depot keeps a stack's RW_DEPOT_SHORT innermost
 * frames, so stacks that differ only further out share one id, and its
 * arena never holds more than budget and reserve. */
START_TEST(test_budget)
{
    uintptr_t pcs[RW_MAX_STACK];
    uint32_t i = 0, first = 0;
    while (rw_stackdepot_bytes() <= RW_DEPOT_BUDGET) {
        for (uint32_t k = 0; k < RW_MAX_STACK; k++)
            pcs[k] = 0x10000 + k;
        pcs[RW_MAX_STACK - 1] = 0x800000 + i++; /* the outermost frame */
        uint32_t got = rw_stack_put(pcs, RW_MAX_STACK);
        ck_assert_uint_ne(got, 0);
        first = first ? first : got;
    }
    uintptr_t out[RW_MAX_STACK];
    pcs[RW_MAX_STACK - 1] = 0x7000000;
    uint32_t id = rw_stack_put(pcs, RW_MAX_STACK);
    ck_assert_uint_ne(id, 0);
    ck_assert_uint_eq(rw_stack_get(id, out, RW_MAX_STACK), RW_DEPOT_SHORT);
    for (uint32_t k = 0; k < RW_DEPOT_SHORT; k++)
        ck_assert_uint_eq(out[k], 0x10000 + k);
    pcs[RW_MAX_STACK - 1] = 0x7000001;
    ck_assert_uint_eq(rw_stack_put(pcs, RW_MAX_STACK), id);
    /* Short stacks fill the reserve; then new stacks get no id. */
    uint32_t zeros = 0;
    for (uint32_t k = 0; zeros == 0; k++) {
        uintptr_t inner[RW_DEPOT_SHORT] = { 0x900000 + k, 2, 3, 4 };
        zeros += rw_stack_put(inner, RW_DEPOT_SHORT) == 0;
    }
    ck_assert_uint_le(rw_stackdepot_bytes(), RW_DEPOT_BUDGET + RW_DEPOT_RESERVE);
    /* What is stored stays there. */
    ck_assert_uint_eq(rw_stack_get(id, out, RW_MAX_STACK), RW_DEPOT_SHORT);
    ck_assert_uint_eq(rw_stack_get(first, out, RW_MAX_STACK), RW_MAX_STACK);
    ck_assert_uint_eq(out[RW_MAX_STACK - 1], 0x800000);
}
END_TEST

START_TEST(test_lock_all)
{
    rw_stackdepot_lock_all();
    rw_stackdepot_unlock_all();
    uintptr_t pcs[1] = { 7 };
    ck_assert_uint_ne(rw_stack_put(pcs, 1), 0);
}
END_TEST

static Suite *stackdepot_suite(void)
{
    Suite *s = suite_create("stackdepot");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_empty_stack);
    tcase_add_test(tc, test_same_stack_same_id);
    tcase_add_test(tc, test_different_stacks_different_ids);
    tcase_add_test(tc, test_long_stack_truncated);
    tcase_add_test(tc, test_many_stacks);
    tcase_add_test(tc, test_concurrent_puts);
    tcase_add_test(tc, test_budget);
    tcase_add_test(tc, test_lock_all);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(stackdepot_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
