/* test_lockgraph.c: detector/lockgraph.c, the lock-order graph: held sets,
 * edges added once, a cycle found when an edge closes it (two and three
 * locks), reported once, no cycle for a consistent order. */
#include "detector/lockgraph.h"

#include <check.h>
#include <stdlib.h>

/* Thread `thread` takes locks in the given order (uids), all blocking. */
static int take(rw_held_set *h, const uint64_t *uids, int n, uint32_t thread, rw_lock_cycle *c)
{
    int found = 0;
    for (int i = 0; i < n; i++) {
        if (rw_lockgraph_acquire(h, uids[i], 0x1000 + uids[i], (uint32_t)(10 + uids[i]), thread, c))
            found = 1;
        rw_held_push(h, uids[i], 0x1000 + uids[i], (uint32_t)(10 + uids[i]));
    }
    return found;
}

START_TEST(test_held_set)
{
    rw_held_set h = { 0 };
    for (uint64_t i = 1; i <= 100; i++)
        rw_held_push(&h, i, i * 8, 0);
    ck_assert_uint_eq(h.n, 100); /* no limit of 64 locks */
    ck_assert(rw_held_contains(&h, 64));
    ck_assert(rw_held_remove(&h, 64));
    ck_assert(!rw_held_contains(&h, 64));
    ck_assert(!rw_held_remove(&h, 64));
    ck_assert_uint_eq(h.n, 99);
    rw_held_clear(&h);
    ck_assert_uint_eq(h.n, 0);
}
END_TEST

START_TEST(test_two_lock_inversion)
{
    rw_held_set t1 = { 0 }, t2 = { 0 };
    rw_lock_cycle c;
    uint64_t ab[] = { 1, 2 }, ba[] = { 2, 1 };
    ck_assert(!take(&t1, ab, 2, 2, &c));
    ck_assert_uint_eq(rw_lockgraph_edges(), 1);
    rw_held_clear(&t1);
    ck_assert(!take(&t1, ab, 2, 2, &c)); /* the same order again: nothing new */
    ck_assert_uint_eq(rw_lockgraph_edges(), 1);
    ck_assert(take(&t2, ba, 2, 3, &c));
    ck_assert_int_eq(c.n, 2);
    /* The closing edge first: 2 -> 1 by thread 3, then 1 -> 2 by thread 2. */
    ck_assert_uint_eq(c.edges[0].from, 2);
    ck_assert_uint_eq(c.edges[0].to, 1);
    ck_assert_uint_eq(c.edges[0].thread, 3);
    ck_assert_uint_eq(c.edges[0].to_stack, 11);
    ck_assert_uint_eq(c.edges[0].from_stack, 12);
    ck_assert_uint_eq(c.edges[1].from, 1);
    ck_assert_uint_eq(c.edges[1].to, 2);
    ck_assert_uint_eq(c.edges[1].thread, 2);
    ck_assert_uint_eq(c.edges[1].from_addr, 0x1001);
    /* Reported once. */
    rw_held_clear(&t2);
    ck_assert(!take(&t2, ba, 2, 3, &c));
}
END_TEST

START_TEST(test_three_lock_cycle)
{
    rw_held_set h = { 0 };
    rw_lock_cycle c;
    uint64_t ab[] = { 1, 2 }, bc[] = { 2, 3 }, ca[] = { 3, 1 };
    ck_assert(!take(&h, ab, 2, 2, &c));
    rw_held_clear(&h);
    ck_assert(!take(&h, bc, 2, 3, &c));
    rw_held_clear(&h);
    ck_assert(take(&h, ca, 2, 4, &c));
    ck_assert_int_eq(c.n, 3);
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(c.edges[i].to, c.edges[(i + 1) % 3].from);
}
END_TEST

START_TEST(test_consistent_order_and_nesting)
{
    rw_held_set h = { 0 };
    rw_lock_cycle c;
    uint64_t abc[] = { 1, 2, 3 };
    for (int round = 0; round < 3; round++) {
        ck_assert(!take(&h, abc, 3, 2, &c));
        rw_held_clear(&h);
    }
    ck_assert_uint_eq(rw_lockgraph_edges(), 3); /* 1->2, 1->3, 2->3 */
    /* A recursive relock adds no self edge. */
    uint64_t aa[] = { 1, 1 };
    ck_assert(!take(&h, aa, 2, 2, &c));
    ck_assert_uint_eq(rw_lockgraph_edges(), 3);
}
END_TEST

START_TEST(test_hundreds_of_locks)
{
    rw_held_set h = { 0 };
    rw_lock_cycle c;
    /* 300 locks always taken in increasing order, 20 deep: no cycle. */
    for (uint64_t start = 1; start <= 280; start++) {
        for (uint64_t k = start; k < start + 20; k++) {
            ck_assert(!rw_lockgraph_acquire(&h, k, k, 0, 2, &c));
            rw_held_push(&h, k, k, 0);
        }
        rw_held_clear(&h);
    }
    /* One inversion at the end is found: the shortest way back from 1 to
     * 299 is 1 -> 20 -> 39 -> ... -> 286 -> 299, so a cycle of 17 locks. */
    uint64_t inv[] = { 299, 1 };
    ck_assert(take(&h, inv, 2, 3, &c));
    ck_assert_int_eq(c.n, 17);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lockgraph");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_held_set);
    tcase_add_test(tc, test_two_lock_inversion);
    tcase_add_test(tc, test_three_lock_cycle);
    tcase_add_test(tc, test_consistent_order_and_nesting);
    tcase_add_test(tc, test_hundreds_of_locks);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
