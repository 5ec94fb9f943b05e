/* test_vclock.c: detector/vclock.c, dense vector clocks.
 *
 * Exact sizes, capacities and entries after reserve/set/join/assign/clear,
 * and the happens-before test leq on clocks of different lengths. */
#include "detector/vclock.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

/* Set entries from a list of (slot, clock) pairs. */
static void set_pairs(rw_vclock *v, const uint64_t *pairs, int n)
{
    for (int i = 0; i < n; i++)
        rw_vclock_set(v, (uint32_t)pairs[2 * i], pairs[2 * i + 1]);
}

/* Assert v holds exactly want[0..n-1] (and size n). */
static void assert_clock(const rw_vclock *v, const uint64_t *want, uint32_t n)
{
    ck_assert_uint_eq(v->size, n);
    for (uint32_t i = 0; i < n; i++)
        ck_assert_msg(v->clk[i] == want[i], "entry %u: got %llu, want %llu", i,
                      (unsigned long long)v->clk[i], (unsigned long long)want[i]);
}

START_TEST(test_init_empty)
{
    rw_vclock v;
    rw_vclock_init(&v);
    ck_assert_ptr_null(v.clk);
    ck_assert_uint_eq(v.size, 0);
    ck_assert_uint_eq(v.cap, 0);
    ck_assert_uint_eq(rw_vclock_get(&v, 0), 0);
    ck_assert_uint_eq(rw_vclock_get(&v, 16383), 0);
    rw_vclock_free(&v);
    ck_assert_ptr_null(v.clk);
}
END_TEST

START_TEST(test_set_grows_and_zero_fills)
{
    rw_vclock v;
    rw_vclock_init(&v);
    rw_vclock_set(&v, 5, 7);
    ck_assert_uint_eq(v.size, 6);
    ck_assert_uint_eq(v.cap, 8);
    const uint64_t want[] = { 0, 0, 0, 0, 0, 7 };
    assert_clock(&v, want, 6);
    ck_assert_uint_eq(rw_vclock_get(&v, 5), 7);
    ck_assert_uint_eq(rw_vclock_get(&v, 6), 0);
    ck_assert_uint_eq(rw_vclock_get(&v, 1000), 0);

    /* Setting a lower slot keeps the size. */
    rw_vclock_set(&v, 2, 3);
    const uint64_t want2[] = { 0, 0, 3, 0, 0, 7 };
    assert_clock(&v, want2, 6);

    /* Overwrite (set is not max). */
    rw_vclock_set(&v, 5, 1);
    ck_assert_uint_eq(rw_vclock_get(&v, 5), 1);
    rw_vclock_free(&v);
    ck_assert_uint_eq(v.size, 0);
    ck_assert_uint_eq(v.cap, 0);
}
END_TEST

START_TEST(test_reserve_capacity)
{
    rw_vclock v;
    rw_vclock_init(&v);
    ck_assert_int_eq(rw_vclock_reserve(&v, 0), 0);
    ck_assert_uint_eq(v.size, 1);
    ck_assert_uint_eq(v.cap, 8);
    ck_assert_int_eq(rw_vclock_reserve(&v, 7), 0);
    ck_assert_uint_eq(v.size, 8);
    ck_assert_uint_eq(v.cap, 8);
    /* cap doubles until it exceeds the slot */
    ck_assert_int_eq(rw_vclock_reserve(&v, 8), 0);
    ck_assert_uint_eq(v.size, 9);
    ck_assert_uint_eq(v.cap, 16);
    ck_assert_int_eq(rw_vclock_reserve(&v, 100), 0);
    ck_assert_uint_eq(v.size, 101);
    ck_assert_uint_eq(v.cap, 128);
    for (uint32_t i = 0; i < v.size; i++)
        ck_assert_uint_eq(v.clk[i], 0);
    /* Reserving a smaller slot changes nothing. */
    v.clk[50] = 9;
    ck_assert_int_eq(rw_vclock_reserve(&v, 50), 0);
    ck_assert_uint_eq(v.size, 101);
    ck_assert_uint_eq(v.clk[50], 9);
    /* The largest slot. */
    rw_vclock_set(&v, 16383, 42);
    ck_assert_uint_eq(v.size, 16384);
    ck_assert_uint_eq(v.cap, 16384);
    ck_assert_uint_eq(rw_vclock_get(&v, 16383), 42);
    ck_assert_uint_eq(rw_vclock_get(&v, 50), 9);
    ck_assert_uint_eq(rw_vclock_get(&v, 16382), 0);
    rw_vclock_free(&v);
}
END_TEST

/* Large clock values survive (42-bit clocks and beyond). */
START_TEST(test_large_values)
{
    rw_vclock v;
    rw_vclock_init(&v);
    rw_vclock_set(&v, 1, (UINT64_C(1) << 42) - 1);
    rw_vclock_set(&v, 2, UINT64_MAX);
    ck_assert_uint_eq(rw_vclock_get(&v, 1), (UINT64_C(1) << 42) - 1);
    ck_assert(rw_vclock_get(&v, 2) == UINT64_MAX);
    rw_vclock_free(&v);
}
END_TEST

START_TEST(test_join_pointwise_max)
{
    rw_vclock a, b;
    rw_vclock_init(&a);
    rw_vclock_init(&b);
    const uint64_t pa[] = { 1, 3, 2, 5 };
    const uint64_t pb[] = { 1, 4, 3, 2 };
    set_pairs(&a, pa, 2);
    set_pairs(&b, pb, 2);

    ck_assert_int_eq(rw_vclock_join(&a, &b), 1);
    const uint64_t want[] = { 0, 4, 5, 2 };
    assert_clock(&a, want, 4);
    /* b unchanged */
    const uint64_t wantb[] = { 0, 4, 0, 2 };
    assert_clock(&b, wantb, 4);

    /* Joining again changes nothing. */
    ck_assert_int_eq(rw_vclock_join(&a, &b), 0);
    assert_clock(&a, want, 4);

    /* Joining an empty clock changes nothing. */
    rw_vclock e;
    rw_vclock_init(&e);
    ck_assert_int_eq(rw_vclock_join(&a, &e), 0);
    assert_clock(&a, want, 4);

    /* Joining into an empty clock copies, growing it. */
    ck_assert_int_eq(rw_vclock_join(&e, &a), 1);
    assert_clock(&e, want, 4);

    /* A shorter source leaves the tail of a longer destination alone. */
    rw_vclock s;
    rw_vclock_init(&s);
    rw_vclock_set(&s, 1, 10);
    ck_assert_int_eq(rw_vclock_join(&a, &s), 1);
    const uint64_t want2[] = { 0, 10, 5, 2 };
    assert_clock(&a, want2, 4);

    /* A source with only zeros changes nothing but may grow dst. */
    rw_vclock z;
    rw_vclock_init(&z);
    ck_assert_int_eq(rw_vclock_reserve(&z, 9), 0);
    ck_assert_int_eq(rw_vclock_join(&a, &z), 0);
    ck_assert_uint_eq(a.size, 10);
    const uint64_t want3[] = { 0, 10, 5, 2, 0, 0, 0, 0, 0, 0 };
    assert_clock(&a, want3, 10);

    rw_vclock_free(&a);
    rw_vclock_free(&b);
    rw_vclock_free(&e);
    rw_vclock_free(&s);
    rw_vclock_free(&z);
}
END_TEST

START_TEST(test_assign)
{
    rw_vclock a, b;
    rw_vclock_init(&a);
    rw_vclock_init(&b);
    const uint64_t pa[] = { 1, 3, 6, 9 };
    set_pairs(&a, pa, 2);
    const uint64_t pb[] = { 1, 1, 2, 8 };
    set_pairs(&b, pb, 2);

    /* dst longer than src: the tail is zeroed (size is kept). */
    rw_vclock_assign(&a, &b);
    const uint64_t want[] = { 0, 1, 8, 0, 0, 0, 0 };
    assert_clock(&a, want, 7);
    ck_assert(rw_vclock_leq(&a, &b));
    ck_assert(rw_vclock_leq(&b, &a));

    /* dst shorter than src: grows to src. */
    rw_vclock c;
    rw_vclock_init(&c);
    rw_vclock_set(&c, 0, 77);
    rw_vclock_assign(&c, &a);
    assert_clock(&c, want, 7);

    /* Assigning an empty clock zeroes everything. */
    rw_vclock e;
    rw_vclock_init(&e);
    rw_vclock_assign(&c, &e);
    const uint64_t zeros[7] = { 0 };
    assert_clock(&c, zeros, 7);

    /* Assigning to an empty clock from an empty clock. */
    rw_vclock e2;
    rw_vclock_init(&e2);
    rw_vclock_assign(&e2, &e);
    ck_assert_uint_eq(e2.size, 0);

    /* Self-assignment is the identity. */
    rw_vclock_assign(&b, &b);
    const uint64_t wantb[] = { 0, 1, 8 };
    assert_clock(&b, wantb, 3);

    rw_vclock_free(&a);
    rw_vclock_free(&b);
    rw_vclock_free(&c);
}
END_TEST

START_TEST(test_clear_keeps_memory)
{
    rw_vclock v;
    rw_vclock_init(&v);
    rw_vclock_set(&v, 3, 5);
    rw_vclock_set(&v, 20, 6);
    uint64_t *mem = v.clk;
    uint32_t cap = v.cap;
    rw_vclock_clear(&v);
    ck_assert_ptr_eq(v.clk, mem);
    ck_assert_uint_eq(v.cap, cap);
    ck_assert_uint_eq(v.size, 21);
    for (uint32_t i = 0; i < 21; i++)
        ck_assert_uint_eq(v.clk[i], 0);
    /* clear of an empty clock is harmless */
    rw_vclock e;
    rw_vclock_init(&e);
    rw_vclock_clear(&e);
    ck_assert_uint_eq(e.size, 0);
    rw_vclock_free(&v);
}
END_TEST

START_TEST(test_leq)
{
    rw_vclock a, b, e;
    rw_vclock_init(&a);
    rw_vclock_init(&b);
    rw_vclock_init(&e);

    /* empty <= anything, and empty <= empty */
    ck_assert_int_eq(rw_vclock_leq(&e, &e), 1);
    rw_vclock_set(&a, 1, 2);
    ck_assert_int_eq(rw_vclock_leq(&e, &a), 1);
    ck_assert_int_eq(rw_vclock_leq(&a, &e), 0);

    rw_vclock_set(&a, 2, 4);            /* a = {0,2,4} */
    rw_vclock_set(&b, 1, 2);
    rw_vclock_set(&b, 2, 4);            /* b = {0,2,4} */
    ck_assert_int_eq(rw_vclock_leq(&a, &b), 1);
    ck_assert_int_eq(rw_vclock_leq(&b, &a), 1);

    rw_vclock_set(&b, 2, 3);            /* b = {0,2,3}: a[2] > b[2] */
    ck_assert_int_eq(rw_vclock_leq(&a, &b), 0);
    ck_assert_int_eq(rw_vclock_leq(&b, &a), 1);

    /* Concurrent: neither <= the other. */
    rw_vclock_set(&b, 1, 3);            /* b = {0,3,3}, a = {0,2,4} */
    ck_assert_int_eq(rw_vclock_leq(&a, &b), 0);
    ck_assert_int_eq(rw_vclock_leq(&b, &a), 0);

    /* Longer a with a zero tail is <= a shorter b. */
    rw_vclock_set(&b, 2, 4);            /* b = {0,3,4} */
    ck_assert_int_eq(rw_vclock_reserve(&a, 30), 0);
    ck_assert_int_eq(rw_vclock_leq(&a, &b), 1);
    /* ... but not once the tail is non-zero. */
    rw_vclock_set(&a, 30, 1);
    ck_assert_int_eq(rw_vclock_leq(&a, &b), 0);
    ck_assert_int_eq(rw_vclock_leq(&b, &a), 0);

    /* After a join, both inputs are <= the result. */
    rw_vclock j;
    rw_vclock_init(&j);
    rw_vclock_join(&j, &a);
    rw_vclock_join(&j, &b);
    ck_assert_int_eq(rw_vclock_leq(&a, &j), 1);
    ck_assert_int_eq(rw_vclock_leq(&b, &j), 1);
    ck_assert_int_eq(rw_vclock_leq(&j, &a), 0);

    rw_vclock_free(&a);
    rw_vclock_free(&b);
    rw_vclock_free(&j);
}
END_TEST

static Suite *vclock_suite(void)
{
    Suite *s = suite_create("vclock");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_init_empty);
    tcase_add_test(tc, test_set_grows_and_zero_fills);
    tcase_add_test(tc, test_reserve_capacity);
    tcase_add_test(tc, test_large_values);
    tcase_add_test(tc, test_join_pointwise_max);
    tcase_add_test(tc, test_assign);
    tcase_add_test(tc, test_clear_keeps_memory);
    tcase_add_test(tc, test_leq);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(vclock_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
