/* test_chan.c: libracewatch-chan's channels alone, no detector.
 *
 * Unbuffered ping-pong, FIFO order of a buffered channel, close with
 * drain and the ok flag (also for receivers already waiting), the
 * non-blocking forms, len and cap, zero-size elements, and a stress run of
 * 8 senders and 8 receivers moving 100,000 values through unbuffered,
 * capacity-1 and capacity-16 channels with the sum preserved. */
#include "racewatch/chan.h"

#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* --- ping-pong -------------------------------------------------------- */

struct pingpong {
    rw_chan *ping, *pong;
    int rounds;
};

static void *ponger(void *arg)
{
    struct pingpong *pp = arg;
    for (int i = 0; i < pp->rounds; i++) {
        int v;
        ck_assert(rw_chan_recv(pp->ping, &v, NULL));
        ck_assert_int_eq(v, i);
        v++;
        rw_chan_send(pp->pong, &v);
    }
    return NULL;
}

START_TEST(test_unbuffered_pingpong)
{
    struct pingpong pp = { rw_chan_make(sizeof(int), 0), rw_chan_make(sizeof(int), 0), 20000 };
    ck_assert_ptr_nonnull(pp.ping);
    pthread_t t;
    pthread_create(&t, NULL, ponger, &pp);
    for (int i = 0; i < pp.rounds; i++) {
        rw_chan_send(pp.ping, &i);
        int v;
        bool ok = false;
        ck_assert(rw_chan_recv(pp.pong, &v, &ok));
        ck_assert(ok);
        ck_assert_int_eq(v, i + 1);
    }
    pthread_join(t, NULL);
    rw_chan_free(pp.ping);
    rw_chan_free(pp.pong);
}
END_TEST

/* An unbuffered send completes only when a receiver has taken the value. */
static void *slow_receiver(void *arg)
{
    rw_chan *ch = arg;
    usleep(50000);
    int v;
    rw_chan_recv(ch, &v, NULL);
    return NULL;
}

START_TEST(test_unbuffered_send_waits)
{
    rw_chan *ch = rw_chan_make(sizeof(int), 0);
    ck_assert(!rw_chan_try_send(ch, &(int){ 1 }));
    pthread_t t;
    pthread_create(&t, NULL, slow_receiver, ch);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    rw_chan_send(ch, &(int){ 7 });
    clock_gettime(CLOCK_MONOTONIC, &b);
    double waited = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    ck_assert_msg(waited > 0.03, "send returned after %.3f s, before the receiver ran", waited);
    pthread_join(t, NULL);
    rw_chan_free(ch);
}
END_TEST

/* --- buffered ------------------------------------------------------------ */

START_TEST(test_buffered_fifo)
{
    rw_chan *ch = rw_chan_make(sizeof(long), 5);
    for (int lap = 0; lap < 7; lap++) {          /* wrap around the ring */
        for (long i = 0; i < 5; i++) {
            long v = lap * 100 + i;
            rw_chan_send(ch, &v);
        }
        ck_assert(!rw_chan_try_send(ch, &(long){ -1 }));
        for (long i = 0; i < 3; i++) {
            long v;
            ck_assert(rw_chan_recv(ch, &v, NULL));
            ck_assert_int_eq(v, lap * 100 + i);
        }
        for (long i = 3; i < 5; i++) {
            long v;
            ck_assert(rw_chan_recv(ch, &v, NULL));
            ck_assert_int_eq(v, lap * 100 + i);
        }
    }
    rw_chan_free(ch);
}
END_TEST

/* A producer far ahead of a slow consumer: order is kept through blocking. */
static void *produce_sequence(void *arg)
{
    rw_chan *ch = arg;
    for (int i = 0; i < 50000; i++)
        rw_chan_send(ch, &i);
    rw_chan_close(ch);
    return NULL;
}

START_TEST(test_buffered_order_across_threads)
{
    size_t caps[] = { 0, 1, 3, 64 };
    for (size_t c = 0; c < 4; c++) {
        rw_chan *ch = rw_chan_make(sizeof(int), caps[c]);
        pthread_t t;
        pthread_create(&t, NULL, produce_sequence, ch);
        int v, want = 0;
        while (rw_chan_recv(ch, &v, NULL)) {
            ck_assert_int_eq(v, want);
            want++;
        }
        ck_assert_int_eq(want, 50000);
        pthread_join(t, NULL);
        rw_chan_free(ch);
    }
}
END_TEST

/* --- close ---------------------------------------------------------------- */

START_TEST(test_close_drain_ok)
{
    rw_chan *ch = rw_chan_make(sizeof(int), 3);
    rw_chan_send(ch, &(int){ 10 });
    rw_chan_send(ch, &(int){ 20 });
    rw_chan_close(ch);
    int v = -1;
    bool ok = false;
    ck_assert(rw_chan_recv(ch, &v, &ok));
    ck_assert(ok);
    ck_assert_int_eq(v, 10);
    ck_assert(rw_chan_recv(ch, &v, &ok));
    ck_assert_int_eq(v, 20);
    for (int i = 0; i < 3; i++) {
        v = -1;
        ok = true;
        ck_assert(!rw_chan_recv(ch, &v, &ok));
        ck_assert(!ok);
        ck_assert_int_eq(v, 0);                  /* the zero value */
    }
    ck_assert(rw_chan_try_recv(ch, &v, &ok));    /* completes: closed */
    ck_assert(!ok);
    ck_assert(!rw_chan_recv(ch, NULL, NULL));
    rw_chan_free(ch);
}
END_TEST

struct closer_arg {
    rw_chan *ch;
    int value;
    bool ok;
};

static void *blocked_receiver(void *arg)
{
    struct closer_arg *a = arg;
    a->value = -1;
    a->ok = rw_chan_recv(a->ch, &a->value, NULL);
    return NULL;
}

START_TEST(test_close_wakes_receivers)
{
    size_t caps[] = { 0, 4 };
    for (int c = 0; c < 2; c++) {
        rw_chan *ch = rw_chan_make(sizeof(int), caps[c]);
        struct closer_arg a[4];
        pthread_t t[4];
        for (int i = 0; i < 4; i++) {
            a[i] = (struct closer_arg){ ch, 0, true };
            pthread_create(&t[i], NULL, blocked_receiver, &a[i]);
        }
        usleep(20000);
        rw_chan_close(ch);
        for (int i = 0; i < 4; i++) {
            pthread_join(t[i], NULL);
            ck_assert(!a[i].ok);
            ck_assert_int_eq(a[i].value, 0);
        }
        rw_chan_free(ch);
    }
}
END_TEST

/* --- non-blocking forms, len, cap ------------------------------------------- */

START_TEST(test_try_ops)
{
    rw_chan *ch = rw_chan_make(sizeof(int), 2);
    int v = 0;
    bool ok = true;
    ck_assert(!rw_chan_try_recv(ch, &v, &ok));
    ck_assert(ok);                               /* untouched */
    ck_assert(rw_chan_try_send(ch, &(int){ 1 }));
    ck_assert(rw_chan_try_send(ch, &(int){ 2 }));
    ck_assert(!rw_chan_try_send(ch, &(int){ 3 }));
    ck_assert(rw_chan_try_recv(ch, &v, &ok));
    ck_assert(ok);
    ck_assert_int_eq(v, 1);
    ck_assert(rw_chan_try_send(ch, &(int){ 3 }));
    ck_assert(rw_chan_try_recv(ch, &v, NULL));
    ck_assert_int_eq(v, 2);
    ck_assert(rw_chan_try_recv(ch, &v, NULL));
    ck_assert_int_eq(v, 3);
    rw_chan_free(ch);

    rw_chan *u = rw_chan_make(sizeof(int), 0);
    ck_assert(!rw_chan_try_send(u, &(int){ 1 }));
    ck_assert(!rw_chan_try_recv(u, &v, &ok));
    rw_chan_free(u);

    ck_assert(!rw_chan_try_send(NULL, &(int){ 1 }));
    ck_assert(!rw_chan_try_recv(NULL, &v, &ok));
}
END_TEST

/* try_send succeeds against a receiver already waiting on an unbuffered
 * channel, and try_recv against a waiting sender. */
static void *send_one(void *arg)
{
    rw_chan_send(arg, &(int){ 99 });
    return NULL;
}

START_TEST(test_try_ops_meet_waiters)
{
    rw_chan *ch = rw_chan_make(sizeof(int), 0);
    pthread_t t;
    pthread_create(&t, NULL, send_one, ch);
    int v = 0;
    while (!rw_chan_try_recv(ch, &v, NULL))
        usleep(1000);
    ck_assert_int_eq(v, 99);
    pthread_join(t, NULL);

    struct closer_arg a = { ch, 0, false };
    pthread_create(&t, NULL, blocked_receiver, &a);
    while (!rw_chan_try_send(ch, &(int){ 5 }))
        usleep(1000);
    pthread_join(t, NULL);
    ck_assert(a.ok);
    ck_assert_int_eq(a.value, 5);
    rw_chan_free(ch);
}
END_TEST

START_TEST(test_len_cap)
{
    rw_chan *ch = rw_chan_make(sizeof(double), 3);
    ck_assert_uint_eq(rw_chan_cap(ch), 3);
    ck_assert_uint_eq(rw_chan_elem_size(ch), sizeof(double));
    ck_assert_uint_eq(rw_chan_len(ch), 0);
    rw_chan_send(ch, &(double){ 1.5 });
    rw_chan_send(ch, &(double){ 2.5 });
    ck_assert_uint_eq(rw_chan_len(ch), 2);
    rw_chan_recv(ch, NULL, NULL);
    ck_assert_uint_eq(rw_chan_len(ch), 1);
    rw_chan_close(ch);
    ck_assert_uint_eq(rw_chan_len(ch), 1);
    rw_chan_free(ch);

    rw_chan *u = rw_chan_make(1, 0);
    ck_assert_uint_eq(rw_chan_cap(u), 0);
    ck_assert_uint_eq(rw_chan_len(u), 0);
    rw_chan_free(u);
    ck_assert_uint_eq(rw_chan_len(NULL), 0);
    ck_assert_uint_eq(rw_chan_cap(NULL), 0);
    rw_chan_free(NULL);
}
END_TEST

START_TEST(test_make_errors)
{
    errno = 0;
    ck_assert_ptr_null(rw_chan_make(SIZE_MAX / 2, 4));
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_ptr_null(rw_chan_make(1, SIZE_MAX / 4));
}
END_TEST

/* chan struct{}: no bytes move, the counting still works. */
START_TEST(test_zero_size_elements)
{
    rw_chan *ch = rw_chan_make(0, 2);
    rw_chan_send(ch, NULL);
    rw_chan_send(ch, NULL);
    ck_assert(!rw_chan_try_send(ch, NULL));
    ck_assert_uint_eq(rw_chan_len(ch), 2);
    ck_assert(rw_chan_recv(ch, NULL, NULL));
    rw_chan_close(ch);
    ck_assert(rw_chan_recv(ch, NULL, NULL));
    ck_assert(!rw_chan_recv(ch, NULL, NULL));
    rw_chan_free(ch);
}
END_TEST

/* --- stress ---------------------------------------------------------------- */

#define STRESS_THREADS 8
#define STRESS_MESSAGES 100000

struct stress {
    rw_chan *ch;
    int64_t sum;
    long count;
    int id;
};

static void *stress_sender(void *arg)
{
    struct stress *s = arg;
    for (long i = s->id; i < STRESS_MESSAGES; i += STRESS_THREADS) {
        int64_t v = i + 1;
        rw_chan_send(s->ch, &v);
    }
    return NULL;
}

static void *stress_receiver(void *arg)
{
    struct stress *s = arg;
    int64_t v;
    while (rw_chan_recv(s->ch, &v, NULL)) {
        s->sum += v;
        s->count++;
    }
    return NULL;
}

static void stress(size_t cap)
{
    rw_chan *ch = rw_chan_make(sizeof(int64_t), cap);
    struct stress snd[STRESS_THREADS], rcv[STRESS_THREADS];
    pthread_t ts[STRESS_THREADS], tr[STRESS_THREADS];
    for (int i = 0; i < STRESS_THREADS; i++) {
        snd[i] = (struct stress){ ch, 0, 0, i };
        rcv[i] = (struct stress){ ch, 0, 0, i };
        pthread_create(&tr[i], NULL, stress_receiver, &rcv[i]);
        pthread_create(&ts[i], NULL, stress_sender, &snd[i]);
    }
    for (int i = 0; i < STRESS_THREADS; i++)
        pthread_join(ts[i], NULL);
    rw_chan_close(ch);
    int64_t sum = 0;
    long count = 0;
    for (int i = 0; i < STRESS_THREADS; i++) {
        pthread_join(tr[i], NULL);
        sum += rcv[i].sum;
        count += rcv[i].count;
    }
    ck_assert_int_eq(count, STRESS_MESSAGES);
    ck_assert_int_eq(sum, (int64_t)STRESS_MESSAGES * (STRESS_MESSAGES + 1) / 2);
    ck_assert_uint_eq(rw_chan_len(ch), 0);
    rw_chan_free(ch);
}

START_TEST(test_stress_unbuffered) { stress(0); }
END_TEST
START_TEST(test_stress_cap1) { stress(1); }
END_TEST
START_TEST(test_stress_cap16) { stress(16); }
END_TEST

static Suite *chan_suite(void)
{
    Suite *s = suite_create("chan");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_unbuffered_pingpong);
    tcase_add_test(tc, test_unbuffered_send_waits);
    tcase_add_test(tc, test_buffered_fifo);
    tcase_add_test(tc, test_buffered_order_across_threads);
    tcase_add_test(tc, test_close_drain_ok);
    tcase_add_test(tc, test_close_wakes_receivers);
    tcase_add_test(tc, test_try_ops);
    tcase_add_test(tc, test_try_ops_meet_waiters);
    tcase_add_test(tc, test_len_cap);
    tcase_add_test(tc, test_make_errors);
    tcase_add_test(tc, test_zero_size_elements);
    suite_add_tcase(s, tc);
    TCase *st = tcase_create("stress");
    tcase_set_timeout(st, 300);
    tcase_add_test(st, test_stress_unbuffered);
    tcase_add_test(st, test_stress_cap1);
    tcase_add_test(st, test_stress_cap16);
    suite_add_tcase(s, st);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(chan_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
