/* test_syncvar.c: detector/syncvar.c, sync objects by address and the
 * release / release_store / acquire operations on vector clocks. */
#include "detector/syncvar.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "detector/thread.h"

static rw_thread *mainth;

static void setup(void)
{
    ck_assert_int_eq(rw_threads_init(8), 0);
    mainth = rw_thread_create_main();
    ck_assert_ptr_nonnull(mainth);
}

static rw_thread *spawn(void)
{
    rw_thread *t = rw_thread_create(mainth, 0);
    ck_assert_ptr_nonnull(t);
    return t;
}

/* Advance t's clock by n events (as accesses would). */
static void advance(rw_thread *t, int n)
{
    for (int i = 0; i < n; i++)
        rw_thread_event(t, RW_EV_ACCESS, 0x10);
}

START_TEST(test_get_create_and_lookup)
{
    const uintptr_t a = 0x1000, b = 0x1008;
    ck_assert_ptr_null(rw_sync_get(a, 0));
    rw_sync *s = rw_sync_get(a, 1);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->addr, a);
    ck_assert_uint_eq(s->vc.size, 0);
    ck_assert_uint_eq(s->read_vc.size, 0);
    ck_assert_uint_eq(s->owner, 0);
    ck_assert_uint_eq(s->recursion, 0);
    ck_assert_uint_eq(s->readers, 0);
    ck_assert_uint_ne(s->uid, 0);
    /* Same object every time, with or without create. */
    ck_assert_ptr_eq(rw_sync_get(a, 1), s);
    ck_assert_ptr_eq(rw_sync_get(a, 0), s);
    /* A neighbour is a different object with a different uid. */
    ck_assert_ptr_null(rw_sync_get(b, 0));
    rw_sync *t = rw_sync_get(b, 1);
    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_ne(t, s);
    ck_assert_uint_ne(t->uid, s->uid);
    ck_assert_uint_eq(t->addr, b);
}
END_TEST

/* Many objects (so that buckets hold chains): each found again. */
START_TEST(test_many_objects)
{
    enum { N = 200000 };
    static rw_sync *objs[N];
    int bad = 0;
    for (uintptr_t i = 0; i < N; i++) {
        objs[i] = rw_sync_get(0x700000000000 + i * 8, 1);
        bad += objs[i] == NULL;
    }
    ck_assert_int_eq(bad, 0);
    for (uintptr_t i = 0; i < N; i++) {
        rw_sync *s = rw_sync_get(0x700000000000 + i * 8, 0);
        bad += s != objs[i] || s->addr != 0x700000000000 + i * 8;
    }
    ck_assert_int_eq(bad, 0);
    /* uids are distinct */
    for (uintptr_t i = 1; i < N; i++)
        bad += objs[i]->uid == objs[i - 1]->uid;
    ck_assert_int_eq(bad, 0);
    ck_assert_ptr_null(rw_sync_get(0x700000000000 + (uintptr_t)N * 8, 0));
}
END_TEST

START_TEST(test_release_joins)
{
    rw_thread *a = spawn(), *b = spawn();   /* slots 2, 3 */
    advance(a, 4);                           /* a pos 5 */
    advance(b, 1);                           /* b pos 2 */
    rw_sync *s = rw_sync_get(0x2000, 1);
    rw_spin_lock(&s->lock);
    rw_sync_release(a, s);
    rw_spin_unlock(&s->lock);
    ck_assert_uint_eq(a->last_release, 5);
    ck_assert_uint_eq(rw_vclock_get(&a->vc, 2), 5);
    /* s = a's clock: main's 1 (from create) and a's 5 */
    ck_assert_uint_eq(rw_vclock_get(&s->vc, 1), 1);
    ck_assert_uint_eq(rw_vclock_get(&s->vc, 2), 5);
    ck_assert_uint_eq(rw_vclock_get(&s->vc, 3), 0);

    rw_sync_release_at(b, 0x2000);          /* accumulates */
    ck_assert_uint_eq(rw_vclock_get(&s->vc, 2), 5);
    ck_assert_uint_eq(rw_vclock_get(&s->vc, 3), 2);
    ck_assert_uint_eq(b->last_release, 2);

    /* A later release by a raises a's entry only. */
    advance(a, 3);
    rw_sync_release_at(a, 0x2000);
    ck_assert_uint_eq(rw_vclock_get(&s->vc, 2), 8);
    ck_assert_uint_eq(rw_vclock_get(&s->vc, 3), 2);
}
END_TEST

START_TEST(test_release_store_replaces)
{
    rw_thread *a = spawn(), *b = spawn();
    advance(a, 4);
    advance(b, 1);
    rw_sync_release_store_at(a, 0x3000);
    rw_sync *s = rw_sync_get(0x3000, 0);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(rw_vclock_get(&s->vc, 2), 5);
    rw_sync_release_store_at(b, 0x3000);
    /* b never saw a: a's entry is gone. */
    ck_assert_uint_eq(rw_vclock_get(&s->vc, 2), 0);
    ck_assert_uint_eq(rw_vclock_get(&s->vc, 3), 2);
    ck_assert_uint_eq(rw_vclock_get(&s->vc, 1), 1);
    ck_assert_uint_eq(b->last_release, 2);
}
END_TEST

START_TEST(test_acquire)
{
    rw_thread *a = spawn(), *b = spawn();
    advance(a, 4);                           /* a pos 5 */
    advance(b, 9);                           /* b pos 10 */
    rw_sync_release_at(a, 0x4000);
    ck_assert_uint_eq(rw_vclock_get(&b->vc, 2), 0);
    rw_sync_acquire_at(b, 0x4000);
    ck_assert_uint_eq(rw_vclock_get(&b->vc, 2), 5);
    /* b's own entry is its current position */
    ck_assert_uint_eq(rw_vclock_get(&b->vc, 3), 10);
    /* acquiring does not make b release anything and does not advance */
    ck_assert_uint_eq(b->pos, 10);
    ck_assert_uint_eq(b->last_release, 0);
    /* the object is unchanged */
    rw_sync *s = rw_sync_get(0x4000, 0);
    ck_assert_uint_eq(rw_vclock_get(&s->vc, 3), 0);

    /* a acquires its own older release back: own entry = its pos. */
    advance(a, 2);                           /* a pos 7 */
    rw_sync_acquire_at(a, 0x4000);
    ck_assert_uint_eq(rw_vclock_get(&a->vc, 2), 7);

    /* Acquiring a lower clock never lowers an entry. */
    rw_sync_release_at(b, 0x4008);           /* b: {1:1, 2:5, 3:10} */
    rw_thread *c = spawn();
    advance(c, 1);
    rw_vclock_set(&c->vc, 2, 6);
    rw_sync_acquire_at(c, 0x4008);
    ck_assert_uint_eq(rw_vclock_get(&c->vc, 2), 6);
    ck_assert_uint_eq(rw_vclock_get(&c->vc, 3), 10);
}
END_TEST

START_TEST(test_acquire_unknown_does_not_create)
{
    rw_thread *a = spawn();
    rw_vclock before;
    rw_vclock_init(&before);
    rw_vclock_assign(&before, &a->vc);
    rw_sync_acquire_at(a, 0x5000);
    ck_assert_ptr_null(rw_sync_get(0x5000, 0));
    ck_assert(rw_vclock_leq(&a->vc, &before) && rw_vclock_leq(&before, &a->vc));
    rw_vclock_free(&before);
}
END_TEST

START_TEST(test_reset)
{
    rw_thread *a = spawn();
    advance(a, 3);
    rw_sync_release_at(a, 0x6000);
    rw_sync *s = rw_sync_get(0x6000, 0);
    s->owner = 2;
    s->recursion = 3;
    s->readers = 4;
    rw_vclock_set(&s->read_vc, 2, 9);
    uint64_t uid = s->uid;
    rw_sync_reset(0x6000);
    ck_assert_ptr_eq(rw_sync_get(0x6000, 0), s);   /* same object */
    ck_assert_uint_ne(s->uid, uid);
    ck_assert_uint_eq(s->owner, 0);
    ck_assert_uint_eq(s->recursion, 0);
    ck_assert_uint_eq(s->readers, 0);
    for (uint32_t i = 0; i < s->vc.size; i++)
        ck_assert_uint_eq(s->vc.clk[i], 0);
    for (uint32_t i = 0; i < s->read_vc.size; i++)
        ck_assert_uint_eq(s->read_vc.clk[i], 0);
    /* After a reset, an acquire gives nothing. */
    rw_thread *b = spawn();
    rw_sync_acquire_at(b, 0x6000);
    ck_assert_uint_eq(rw_vclock_get(&b->vc, a->slot), 0);
    /* Reset of an unknown address creates nothing. */
    rw_sync_reset(0x6008);
    ck_assert_ptr_null(rw_sync_get(0x6008, 0));
}
END_TEST

START_TEST(test_lock_all)
{
    rw_syncs_lock_all();
    rw_syncs_unlock_all();
    /* Still usable afterwards. */
    ck_assert_ptr_nonnull(rw_sync_get(0x7000, 1));
}
END_TEST

static Suite *syncvar_suite(void)
{
    Suite *s = suite_create("syncvar");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_get_create_and_lookup);
    tcase_add_test(tc, test_many_objects);
    tcase_add_test(tc, test_release_joins);
    tcase_add_test(tc, test_release_store_replaces);
    tcase_add_test(tc, test_acquire);
    tcase_add_test(tc, test_acquire_unknown_does_not_create);
    tcase_add_test(tc, test_reset);
    tcase_add_test(tc, test_lock_all);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(syncvar_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
