/* test_once.c: libracewatch-chan's once alone, no detector.
 *
 * Sixteen threads released together call rw_once_do on one rw_once: the
 * function runs exactly once, and every caller returns only after it has
 * finished (it sleeps, so late finishing would show).  A static all-zero
 * rw_once works like Go's zero value. */
#include "racewatch/once.h"

#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static rw_once zero_value_once;
static int calls;
static int finished;

static void slow_init(void *arg)
{
    __atomic_fetch_add(&calls, 1, __ATOMIC_RELAXED);
    usleep(20000);
    __atomic_store_n(&finished, *(int *)arg, __ATOMIC_RELAXED);
}

static pthread_barrier_t start;
static rw_once shared_once = RW_ONCE_INIT;

static void *caller(void *arg)
{
    pthread_barrier_wait(&start);
    rw_once_do(&shared_once, slow_init, arg);
    ck_assert_int_ne(__atomic_load_n(&finished, __ATOMIC_RELAXED), 0);
    return NULL;
}

START_TEST(test_once_under_contention)
{
    pthread_t t[16];
    int ids[16];
    pthread_barrier_init(&start, NULL, 16);
    for (int i = 0; i < 16; i++) {
        ids[i] = i + 1;
        pthread_create(&t[i], NULL, caller, &ids[i]);
    }
    for (int i = 0; i < 16; i++)
        pthread_join(t[i], NULL);
    ck_assert_int_eq(calls, 1);
    int value = 42;
    rw_once_do(&shared_once, slow_init, &value);
    ck_assert_int_eq(calls, 1);
    pthread_barrier_destroy(&start);
}
END_TEST

static void count_call(void *arg)
{
    (*(int *)arg)++;
}

START_TEST(test_zero_value_once)
{
    int n = 0;
    rw_once_do(&zero_value_once, count_call, &n);
    rw_once_do(&zero_value_once, count_call, &n);
    ck_assert_int_eq(n, 1);
}
END_TEST

static Suite *once_suite(void)
{
    Suite *s = suite_create("once");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_once_under_contention);
    tcase_add_test(tc, test_zero_value_once);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(once_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
