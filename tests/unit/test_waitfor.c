/* test_waitfor.c: detector/waitfor.c, the deadlock checks, with a model
 * whose answers the test sets: all threads asleep (and not while one
 * runs, can go on, or is unwatched), cycles through mutex owners and
 * joins, a cycle not through the blocking thread left to its own last
 * thread, thread exit re-checking the others. */
#include "detector/waitfor.h"

#include <check.h>
#include <stdlib.h>

#define N 8
static rw_waiter w[N];
static int can[N];          /* can_end answer per waiter */
static int owner[N];        /* holder index per waiter, -1 none */
static int unwatched;

static int idx(const rw_waiter *x)
{
    return (int)(x - w);
}

static int can_end(const rw_waiter *x)
{
    return can[idx(x)];
}

static rw_waiter *holder(const rw_waiter *x)
{
    int o = owner[idx(x)];
    return o >= 0 ? &w[o] : NULL;
}

static int unwatched_threads(int nlive)
{
    (void)nlive;
    return unwatched;
}

static const rw_wait_model model = { can_end, holder, unwatched_threads };

static void setup(int n)
{
    rw_waitfor_set_model(&model);
    for (int i = 0; i < n; i++) {
        w[i].number = (uint32_t)(i + 1);
        can[i] = 0;
        owner[i] = -1;
        rw_waitfor_add(&w[i]);
    }
    unwatched = 0;
}

static int block(int i, int kind, rw_deadlock_report *r)
{
    int v = rw_waitfor_block(&w[i], kind, "pthread_mutex_lock", &w[i], NULL, 0, 0, r);
    if (v != RW_NO_DEADLOCK)
        rw_waitfor_unlock();
    return v;
}

START_TEST(test_all_asleep)
{
    rw_deadlock_report r;
    setup(3);
    ck_assert_int_eq(block(1, RW_WAIT_MUTEX, &r), RW_NO_DEADLOCK);
    ck_assert_int_eq(block(2, RW_WAIT_COND, &r), RW_NO_DEADLOCK);
    ck_assert_int_eq(rw_waitfor_blocked(), 2);
    ck_assert_int_eq(block(0, RW_WAIT_JOIN, &r), RW_ALL_ASLEEP);
    ck_assert_int_eq(r.n, 3);
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(r.threads[i]->number, (uint32_t)(i + 1)); /* by number */
}
END_TEST

START_TEST(test_not_while_one_can_go_on)
{
    rw_deadlock_report r;
    setup(2);
    can[1] = 1; /* e.g. the mutex it waits for is free */
    ck_assert_int_eq(block(1, RW_WAIT_MUTEX, &r), RW_NO_DEADLOCK);
    ck_assert_int_eq(block(0, RW_WAIT_MUTEX, &r), RW_NO_DEADLOCK);
    /* Woken: once it runs again nobody is asleep. */
    rw_waitfor_unblock(&w[1]);
    ck_assert_int_eq(rw_waitfor_blocked(), 1);
}
END_TEST

START_TEST(test_not_with_unwatched_threads)
{
    rw_deadlock_report r;
    setup(1);
    unwatched = 1;
    ck_assert_int_eq(block(0, RW_WAIT_SEM, &r), RW_NO_DEADLOCK);
}
END_TEST

START_TEST(test_cycle_while_others_run)
{
    rw_deadlock_report r;
    setup(4); /* thread 1 (index 0) keeps running */
    owner[1] = 2;
    owner[2] = 1;
    ck_assert_int_eq(block(1, RW_WAIT_MUTEX, &r), RW_NO_DEADLOCK);
    ck_assert_int_eq(block(2, RW_WAIT_MUTEX, &r), RW_CYCLE);
    ck_assert_int_eq(r.n, 2);
    ck_assert_ptr_eq(r.threads[0], &w[2]);
    ck_assert_ptr_eq(r.threads[1], &w[1]);
}
END_TEST

START_TEST(test_cycle_of_one)
{
    rw_deadlock_report r;
    setup(2);
    owner[1] = 1; /* relocking a mutex it holds */
    ck_assert_int_eq(block(1, RW_WAIT_MUTEX, &r), RW_CYCLE);
    ck_assert_int_eq(r.n, 1);
}
END_TEST

START_TEST(test_chain_to_a_running_thread_is_no_cycle)
{
    rw_deadlock_report r;
    setup(3);
    owner[1] = 2; /* 2 waits for 3, which runs */
    ck_assert_int_eq(block(1, RW_WAIT_MUTEX, &r), RW_NO_DEADLOCK);
    /* A cycle 3 -> 4 -> 3 not through the blocking thread is not its to
     * report; with a path leading into it, nothing is reported either. */
    owner[2] = 1;
    ck_assert_int_eq(block(2, RW_WAIT_MUTEX, &r), RW_CYCLE);
}
END_TEST

START_TEST(test_exit_rechecks)
{
    rw_deadlock_report r;
    setup(3);
    ck_assert_int_eq(block(1, RW_WAIT_MUTEX, &r), RW_NO_DEADLOCK);
    ck_assert_int_eq(block(0, RW_WAIT_JOIN, &r), RW_NO_DEADLOCK);
    /* The last running thread ends without waking anyone. */
    int v = rw_waitfor_remove(&w[2], &r);
    ck_assert_int_eq(v, RW_ALL_ASLEEP);
    rw_waitfor_unlock();
    ck_assert_int_eq(r.n, 2);
    ck_assert_int_eq(rw_waitfor_live(), 2);
}
END_TEST

START_TEST(test_exit_that_frees_a_joiner)
{
    rw_deadlock_report r;
    setup(2);
    ck_assert_int_eq(block(0, RW_WAIT_JOIN, &r), RW_NO_DEADLOCK);
    can[0] = 1; /* its target ended */
    ck_assert_int_eq(rw_waitfor_remove(&w[1], &r), RW_NO_DEADLOCK);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("waitfor");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_all_asleep);
    tcase_add_test(tc, test_not_while_one_can_go_on);
    tcase_add_test(tc, test_not_with_unwatched_threads);
    tcase_add_test(tc, test_cycle_while_others_run);
    tcase_add_test(tc, test_cycle_of_one);
    tcase_add_test(tc, test_chain_to_a_running_thread_is_no_cycle);
    tcase_add_test(tc, test_exit_rechecks);
    tcase_add_test(tc, test_exit_that_frees_a_joiner);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
