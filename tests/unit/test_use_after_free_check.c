/* test_use_after_free_check.c: the race check's use-after-free hook
 * (detector/race_check.c, rw_use_after_free_handler): a plain access to
 * a freed granule takes the slow path, and a free that happens before it
 * (the same thread, or a thread synchronized with the freeing one) goes
 * to the use-after-free handler with the free's cell; an unordered free
 * goes to the race handler only ("Previous free"); bytes outside the
 * freed cell, or memory never freed, reach neither. */
#include "detector/race_check.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "detector/syncvar.h"
#include "detector/thread.h"

#define G UINT64_C(0x200000001000)
#define PC 0x4242

static int nraces, nuafs;
static rw_cell last_uaf_old, last_uaf_cur;
static uintptr_t last_uaf_addr;

static void on_race(rw_thread *t, uintptr_t addr, rw_cell cur, rw_cell old, uintptr_t pc)
{
    (void)t, (void)addr, (void)cur, (void)old, (void)pc;
    nraces++;
}

static void on_uaf(rw_thread *t, uintptr_t addr, rw_cell cur, rw_cell old, uintptr_t pc)
{
    (void)t;
    ck_assert_uint_eq(pc, PC);
    last_uaf_addr = addr;
    last_uaf_cur = cur;
    last_uaf_old = old;
    nuafs++;
}

static rw_thread *mainth;

static void setup(void)
{
    ck_assert_int_eq(rw_shadow_init(), 0);
    ck_assert_int_eq(rw_threads_init(10), 0);
    rw_race_handler = on_race;
    rw_use_after_free_handler = on_uaf;
    nraces = nuafs = 0;
    mainth = rw_thread_create_main();
    ck_assert_ptr_nonnull(mainth);
}

static void acc(rw_thread *t, uintptr_t a, unsigned sizelog, int write)
{
    uint64_t op = 0;
    rw_check_granule(t, a, sizelog, write, 0, PC, &op);
}

static void sync_edge(rw_thread *from, rw_thread *to, uintptr_t obj)
{
    rw_sync *s = rw_sync_get(obj, 1);
    rw_spin_lock(&s->lock);
    rw_sync_release(from, s);
    rw_spin_unlock(&s->lock);
    rw_spin_lock(&s->lock);
    rw_sync_acquire(to, s);
    rw_spin_unlock(&s->lock);
}

START_TEST(test_same_thread_use_after_free)
{
    rw_thread *a = rw_thread_create(mainth, 0);
    acc(a, G + 4, 2, 1);
    rw_check_free(a, G, 16, PC);
    acc(a, G + 4, 2, 0);
    ck_assert_int_eq(nraces, 0);
    ck_assert_int_eq(nuafs, 1);
    ck_assert(rw_cell_is_freed(last_uaf_old));
    ck_assert_uint_eq(rw_cell_slot(last_uaf_old), a->slot);
    ck_assert_uint_eq(last_uaf_addr, G + 4);
    ck_assert(!rw_cell_is_write(last_uaf_cur));
    ck_assert_uint_eq(rw_cell_size(last_uaf_cur), 4);
    /* A store into the second granule: another report. */
    acc(a, G + 8, 3, 1);
    ck_assert_int_eq(nuafs, 2);
    ck_assert(rw_cell_is_write(last_uaf_cur));
}
END_TEST

START_TEST(test_ordered_free_in_another_thread)
{
    rw_thread *f = rw_thread_create(mainth, 0);
    rw_thread *u = rw_thread_create(mainth, 0);
    rw_check_free(f, G, 8, PC);
    sync_edge(f, u, 0xa000);
    acc(u, G, 0, 0);
    ck_assert_int_eq(nraces, 0);
    ck_assert_int_eq(nuafs, 1);
    ck_assert_uint_eq(rw_cell_slot(last_uaf_old), f->slot);
}
END_TEST

START_TEST(test_unordered_free_is_a_race_only)
{
    rw_thread *f = rw_thread_create(mainth, 0);
    rw_thread *u = rw_thread_create(mainth, 0);
    rw_check_free(f, G, 8, PC);
    acc(u, G, 0, 0);
    ck_assert_int_eq(nraces, 1);
    ck_assert_int_eq(nuafs, 0);
}
END_TEST

START_TEST(test_live_memory_reaches_no_handler)
{
    rw_thread *a = rw_thread_create(mainth, 0);
    acc(a, G, 3, 1);
    rw_check_free(a, G + 64, 8, PC);
    acc(a, G, 3, 0);
    acc(a, G + 56, 3, 1);
    ck_assert_int_eq(nraces, 0);
    ck_assert_int_eq(nuafs, 0);
    /* Memory cleared since the free (malloc handed it out again). */
    rw_shadow_clear(G + 64, 8);
    acc(a, G + 64, 3, 1);
    ck_assert_int_eq(nuafs, 0);
}
END_TEST

START_TEST(test_no_handler_installed)
{
    rw_use_after_free_handler = NULL;
    rw_thread *a = rw_thread_create(mainth, 0);
    rw_check_free(a, G, 8, PC);
    acc(a, G, 3, 1);
    ck_assert_int_eq(nraces, 0);
}
END_TEST

static Suite *uaf_suite(void)
{
    Suite *s = suite_create("use_after_free_check");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_same_thread_use_after_free);
    tcase_add_test(tc, test_ordered_free_in_another_thread);
    tcase_add_test(tc, test_unordered_free_is_a_race_only);
    tcase_add_test(tc, test_live_memory_reaches_no_handler);
    tcase_add_test(tc, test_no_handler_installed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(uaf_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
