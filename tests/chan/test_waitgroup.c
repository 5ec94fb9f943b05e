/* test_waitgroup.c: libracewatch-chan's wait group alone, no detector.
 *
 * Wait returns at once on a zero counter; waits for every Done of 16
 * workers; releases several waiters at once; a group reused right after
 * reaching zero still releases the earlier waiters; a static all-zero
 * group works like Go's zero value. */
#include "racewatch/waitgroup.h"

#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static rw_waitgroup zero_value_group;      /* all zero: ready to use */

START_TEST(test_zero_counter_returns)
{
    rw_waitgroup wg = RW_WAITGROUP_INIT;
    rw_waitgroup_wait(&wg);
    rw_waitgroup_add(&wg, 2);
    rw_waitgroup_done(&wg);
    rw_waitgroup_add(&wg, -1);
    rw_waitgroup_wait(&wg);
    rw_waitgroup_destroy(&wg);
    rw_waitgroup_add(&zero_value_group, 1);
    rw_waitgroup_done(&zero_value_group);
    rw_waitgroup_wait(&zero_value_group);
}
END_TEST

struct worker {
    rw_waitgroup *wg;
    int *finished;
    int index;
};

static void *worker(void *arg)
{
    struct worker *w = arg;
    usleep((useconds_t)(1000 * (w->index % 4)));
    __atomic_fetch_add(w->finished, 1, __ATOMIC_RELAXED);
    rw_waitgroup_done(w->wg);
    return NULL;
}

START_TEST(test_waits_for_all)
{
    rw_waitgroup wg;
    rw_waitgroup_init(&wg);
    int finished = 0;
    struct worker w[16];
    pthread_t t[16];
    rw_waitgroup_add(&wg, 16);
    for (int i = 0; i < 16; i++) {
        w[i] = (struct worker){ &wg, &finished, i };
        pthread_create(&t[i], NULL, worker, &w[i]);
    }
    rw_waitgroup_wait(&wg);
    ck_assert_int_eq(__atomic_load_n(&finished, __ATOMIC_RELAXED), 16);
    for (int i = 0; i < 16; i++)
        pthread_join(t[i], NULL);
    rw_waitgroup_destroy(&wg);
}
END_TEST

struct waiter {
    rw_waitgroup *wg;
    int *released;
};

static void *waiter(void *arg)
{
    struct waiter *w = arg;
    rw_waitgroup_wait(w->wg);
    __atomic_fetch_add(w->released, 1, __ATOMIC_RELAXED);
    return NULL;
}

START_TEST(test_releases_every_waiter)
{
    static rw_waitgroup wg = RW_WAITGROUP_INIT;
    int released = 0;
    struct waiter w = { &wg, &released };
    pthread_t t[5];
    rw_waitgroup_add(&wg, 1);
    for (int i = 0; i < 5; i++)
        pthread_create(&t[i], NULL, waiter, &w);
    usleep(20000);
    ck_assert_int_eq(__atomic_load_n(&released, __ATOMIC_RELAXED), 0);
    rw_waitgroup_done(&wg);
    /* Reuse at once: the earlier waiters must still be released. */
    rw_waitgroup_add(&wg, 1);
    for (int i = 0; i < 5; i++)
        pthread_join(t[i], NULL);
    ck_assert_int_eq(released, 5);
    rw_waitgroup_done(&wg);
    rw_waitgroup_wait(&wg);
}
END_TEST

static Suite *waitgroup_suite(void)
{
    Suite *s = suite_create("waitgroup");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_zero_counter_returns);
    tcase_add_test(tc, test_waits_for_all);
    tcase_add_test(tc, test_releases_every_waiter);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(waitgroup_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
