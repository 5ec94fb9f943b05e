/* test_select.c: libracewatch-chan's select alone, no detector.
 *
 * Fairness (two always-ready cases over 10,000 selects are each chosen
 * about half the time, and so are three), the default clause, blocking
 * until a partner comes (receive and send cases, buffered and
 * unbuffered), receive cases seeing close, NULL channels never ready,
 * selects with many cases (the heap path), the same channel in several
 * cases, and stress runs: producers feeding four channels, consumers
 * selecting over all four, with the sum preserved; producers selecting
 * over sends to two full buffered channels. */
#include "racewatch/select.h"

#include <check.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

START_TEST(test_fairness_two_ready)
{
    rw_chan *a = rw_chan_make(sizeof(int), 1), *b = rw_chan_make(sizeof(int), 1);
    int hits[2] = { 0, 0 };
    const int rounds = 10000;
    for (int i = 0; i < rounds; i++) {
        rw_chan_try_send(a, &(int){ 0 });
        rw_chan_try_send(b, &(int){ 1 });
        int v = -1;
        rw_select_case cases[] = { rw_recv_case(a, &v), rw_recv_case(b, &v) };
        int k = rw_select(cases, 2, false);
        ck_assert(k == 0 || k == 1);
        ck_assert_int_eq(v, k);
        ck_assert(cases[k].ok);
        hits[k]++;
    }
    /* Binomial(10000, 1/2): sd 50; 5 sd is 250. */
    ck_assert_msg(abs(hits[0] - rounds / 2) < 250, "case 0 chosen %d of %d times", hits[0], rounds);
    rw_chan_free(a);
    rw_chan_free(b);
}
END_TEST

START_TEST(test_fairness_three_ready_send_and_recv)
{
    rw_chan *in = rw_chan_make(sizeof(int), 1);
    rw_chan *out1 = rw_chan_make(sizeof(int), 1), *out2 = rw_chan_make(sizeof(int), 1);
    int hits[3] = { 0, 0, 0 };
    const int rounds = 9000;
    for (int i = 0; i < rounds; i++) {
        rw_chan_try_send(in, &(int){ 5 });
        rw_chan_try_recv(out1, NULL, NULL);
        rw_chan_try_recv(out2, NULL, NULL);
        int v;
        rw_select_case cases[] = {
            rw_recv_case(in, &v), rw_send_case(out1, &i), rw_send_case(out2, &i),
        };
        hits[rw_select(cases, 3, true)]++;
    }
    /* Binomial(9000, 1/3): sd ~45. */
    for (int k = 0; k < 3; k++)
        ck_assert_msg(abs(hits[k] - rounds / 3) < 250, "case %d chosen %d of %d", k, hits[k], rounds);
    rw_chan_free(in);
    rw_chan_free(out1);
    rw_chan_free(out2);
}
END_TEST

START_TEST(test_default)
{
    rw_chan *a = rw_chan_make(sizeof(int), 0), *b = rw_chan_make(sizeof(int), 1);
    int v = 3;
    rw_select_case cases[] = { rw_recv_case(a, &v), rw_send_case(a, &v), rw_recv_case(b, &v) };
    ck_assert_int_eq(rw_select(cases, 3, true), RW_SELECT_DEFAULT);
    ck_assert_int_eq(rw_select(NULL, 0, true), RW_SELECT_DEFAULT);
    rw_select_case nils[] = { rw_recv_case(NULL, &v), rw_send_case(NULL, &v) };
    ck_assert_int_eq(rw_select(nils, 2, true), RW_SELECT_DEFAULT);
    /* Ready beats default. */
    rw_chan_send(b, &(int){ 8 });
    ck_assert_int_eq(rw_select(cases, 3, true), 2);
    ck_assert_int_eq(v, 8);
    rw_chan_free(a);
    rw_chan_free(b);
}
END_TEST

struct delayed {
    rw_chan *ch;
    int value;
    int send;        /* 1: send value, 0: receive into value */
};

static void *delayed_op(void *arg)
{
    struct delayed *d = arg;
    usleep(20000);
    if (d->send)
        rw_chan_send(d->ch, &d->value);
    else
        rw_chan_recv(d->ch, &d->value, NULL);
    return NULL;
}

START_TEST(test_blocks_until_partner)
{
    size_t caps[] = { 0, 2 };
    for (int c = 0; c < 2; c++) {
        rw_chan *idle = rw_chan_make(sizeof(int), caps[c]);
        rw_chan *ch = rw_chan_make(sizeof(int), caps[c]);
        /* A receive case completed by a late sender. */
        struct delayed d = { ch, 41, 1 };
        pthread_t t;
        pthread_create(&t, NULL, delayed_op, &d);
        int v = 0;
        rw_select_case cases[] = { rw_recv_case(idle, &v), rw_recv_case(ch, &v) };
        ck_assert_int_eq(rw_select(cases, 2, false), 1);
        ck_assert(cases[1].ok);
        ck_assert_int_eq(v, 41);
        pthread_join(t, NULL);

        /* A send case completed by a late receiver (fill the buffer first). */
        for (size_t i = 0; i < caps[c]; i++)
            rw_chan_send(ch, &(int){ 0 });
        d = (struct delayed){ ch, -1, 0 };
        pthread_create(&t, NULL, delayed_op, &d);
        int w = 77;
        rw_select_case sends[] = { rw_recv_case(idle, &v), rw_send_case(ch, &w) };
        ck_assert_int_eq(rw_select(sends, 2, false), 1);
        pthread_join(t, NULL);
        ck_assert_int_eq(d.value, caps[c] ? 0 : 77);
        for (size_t i = 0; i < caps[c]; i++) {
            int x;
            rw_chan_recv(ch, &x, NULL);
            ck_assert_int_eq(x, i + 1 == caps[c] ? 77 : 0);
        }
        ck_assert(!rw_chan_try_recv(idle, NULL, NULL));
        rw_chan_free(idle);
        rw_chan_free(ch);
    }
}
END_TEST

static void *close_later(void *arg)
{
    usleep(20000);
    rw_chan_close(arg);
    return NULL;
}

START_TEST(test_recv_case_sees_close)
{
    rw_chan *stop = rw_chan_make(0, 0), *work = rw_chan_make(sizeof(int), 0);
    pthread_t t;
    pthread_create(&t, NULL, close_later, stop);
    int v = 5;
    rw_select_case cases[] = { rw_recv_case(work, &v), rw_recv_case(stop, NULL), rw_recv_case(NULL, &v) };
    ck_assert_int_eq(rw_select(cases, 3, false), 1);
    ck_assert(!cases[1].ok);
    pthread_join(t, NULL);
    /* Closed stays ready. */
    ck_assert_int_eq(rw_select(cases, 3, true), 1);
    rw_chan *closed = rw_chan_make(sizeof(int), 3);
    rw_chan_close(closed);
    rw_select_case c2[] = { rw_recv_case(closed, &v) };
    v = 9;
    ck_assert_int_eq(rw_select(c2, 1, false), 0);
    ck_assert(!c2[0].ok);
    ck_assert_int_eq(v, 0);
    rw_chan_free(stop);
    rw_chan_free(work);
    rw_chan_free(closed);
}
END_TEST

/* Twenty cases (more than fit on the stack), one channel twice. */
static void *send_to_last(void *arg)
{
    usleep(10000);
    rw_chan_send(arg, &(int){ 1234 });
    return NULL;
}

START_TEST(test_many_cases)
{
    rw_chan *ch[20];
    rw_select_case cases[21];
    int v = 0;
    for (int i = 0; i < 20; i++) {
        ch[i] = rw_chan_make(sizeof(int), i % 2);
        cases[i] = rw_recv_case(ch[i], &v);
    }
    cases[20] = rw_recv_case(ch[19], &v);
    pthread_t t;
    pthread_create(&t, NULL, send_to_last, ch[19]);
    int k = rw_select(cases, 21, false);
    ck_assert(k == 19 || k == 20);
    ck_assert_int_eq(v, 1234);
    pthread_join(t, NULL);
    /* Nothing is left queued on the channels: a try on each finds no one. */
    for (int i = 0; i < 20; i++) {
        ck_assert(!rw_chan_try_send(ch[i], &v) || i % 2 == 1);
        rw_chan_free(ch[i]);
    }
}
END_TEST

/* --- stress: fan-in through select ------------------------------------------ */

#define FAN_PRODUCERS 4
#define FAN_CONSUMERS 4
#define FAN_MESSAGES 40000

struct fan {
    rw_chan **ins;
    rw_chan *done;
    int id;
    int64_t sum;
    long count;
};

static void *fan_producer(void *arg)
{
    struct fan *f = arg;
    for (long i = f->id; i < FAN_MESSAGES; i += FAN_PRODUCERS) {
        int64_t v = i + 1;
        rw_chan_send(f->ins[f->id], &v);
    }
    return NULL;
}

static void *fan_consumer(void *arg)
{
    struct fan *f = arg;
    int64_t v;
    for (;;) {
        rw_select_case cases[FAN_PRODUCERS + 1];
        for (int i = 0; i < FAN_PRODUCERS; i++)
            cases[i] = rw_recv_case(f->ins[i], &v);
        cases[FAN_PRODUCERS] = rw_recv_case(f->done, NULL);
        int k = rw_select(cases, FAN_PRODUCERS + 1, false);
        if (k == FAN_PRODUCERS)
            break;
        f->sum += v;
        f->count++;
    }
    return NULL;
}

static void fan_in(size_t cap)
{
    rw_chan *ins[FAN_PRODUCERS];
    for (int i = 0; i < FAN_PRODUCERS; i++)
        ins[i] = rw_chan_make(sizeof(int64_t), cap * (size_t)i);   /* mixed */
    rw_chan *done = rw_chan_make(0, 0);
    struct fan p[FAN_PRODUCERS], c[FAN_CONSUMERS];
    pthread_t tp[FAN_PRODUCERS], tc[FAN_CONSUMERS];
    for (int i = 0; i < FAN_CONSUMERS; i++) {
        c[i] = (struct fan){ ins, done, i, 0, 0 };
        pthread_create(&tc[i], NULL, fan_consumer, &c[i]);
    }
    for (int i = 0; i < FAN_PRODUCERS; i++) {
        p[i] = (struct fan){ ins, done, i, 0, 0 };
        pthread_create(&tp[i], NULL, fan_producer, &p[i]);
    }
    for (int i = 0; i < FAN_PRODUCERS; i++)
        pthread_join(tp[i], NULL);
    /* Every value has been sent; buffered ones may still wait. */
    for (;;) {
        size_t left = 0;
        for (int i = 0; i < FAN_PRODUCERS; i++)
            left += rw_chan_len(ins[i]);
        if (!left)
            break;
        usleep(1000);
    }
    rw_chan_close(done);
    int64_t sum = 0;
    long count = 0;
    for (int i = 0; i < FAN_CONSUMERS; i++) {
        pthread_join(tc[i], NULL);
        sum += c[i].sum;
        count += c[i].count;
    }
    ck_assert_int_eq(count, FAN_MESSAGES);
    ck_assert_int_eq(sum, (int64_t)FAN_MESSAGES * (FAN_MESSAGES + 1) / 2);
    for (int i = 0; i < FAN_PRODUCERS; i++)
        rw_chan_free(ins[i]);
    rw_chan_free(done);
}

START_TEST(test_stress_fan_in_unbuffered) { fan_in(0); }
END_TEST
START_TEST(test_stress_fan_in_buffered) { fan_in(3); }
END_TEST

/* Fan-out through select send cases: producers that outrun the consumers
 * select over sends to two small buffered channels, so they wait on full
 * buffers and are woken to try again (and pass the wake-up on when they
 * take the other case); plain receivers drain both.  Every value arrives
 * once, and nobody sleeps while a buffer has room (else: timeout). */
#define OUT_PRODUCERS 4
#define OUT_MESSAGES 40000

struct fan_out {
    rw_chan *outs[2];
    int id;
    int64_t sum;
    long count;
};

static void *fan_out_producer(void *arg)
{
    struct fan_out *f = arg;
    for (long i = f->id; i < OUT_MESSAGES; i += OUT_PRODUCERS) {
        int64_t v = i + 1;
        rw_select_case cases[] = { rw_send_case(f->outs[0], &v), rw_send_case(f->outs[1], &v) };
        rw_select(cases, 2, false);
    }
    return NULL;
}

static void *fan_out_consumer(void *arg)
{
    struct fan_out *f = arg;
    int64_t v;
    while (rw_chan_recv(f->outs[f->id], &v, NULL)) {
        f->sum += v;
        f->count++;
        if ((f->count & 1023) == 0)
            usleep(100);                   /* let the buffers fill up */
    }
    return NULL;
}

START_TEST(test_stress_fan_out_send_cases)
{
    rw_chan *outs[2] = { rw_chan_make(sizeof(int64_t), 1), rw_chan_make(sizeof(int64_t), 2) };
    struct fan_out p[OUT_PRODUCERS], c[2];
    pthread_t tp[OUT_PRODUCERS], tc[2];
    for (int i = 0; i < 2; i++) {
        c[i] = (struct fan_out){ { outs[0], outs[1] }, i, 0, 0 };
        pthread_create(&tc[i], NULL, fan_out_consumer, &c[i]);
    }
    for (int i = 0; i < OUT_PRODUCERS; i++) {
        p[i] = (struct fan_out){ { outs[0], outs[1] }, i, 0, 0 };
        pthread_create(&tp[i], NULL, fan_out_producer, &p[i]);
    }
    for (int i = 0; i < OUT_PRODUCERS; i++)
        pthread_join(tp[i], NULL);
    rw_chan_close(outs[0]);
    rw_chan_close(outs[1]);
    for (int i = 0; i < 2; i++)
        pthread_join(tc[i], NULL);
    ck_assert_int_eq(c[0].count + c[1].count, OUT_MESSAGES);
    ck_assert_int_eq(c[0].sum + c[1].sum, (int64_t)OUT_MESSAGES * (OUT_MESSAGES + 1) / 2);
    rw_chan_free(outs[0]);
    rw_chan_free(outs[1]);
}
END_TEST

/* Selects on both ends: ping-pong where each side selects over a send and
 * a receive of the same pair of channels. */
struct duo {
    rw_chan *a, *b;
    long sent, received;
};

static void *duo_side(void *arg)
{
    struct duo *d = arg;
    int out = 1, in;
    while (d->sent < 20000 || d->received < 20000) {
        rw_select_case cases[2];
        size_t n = 0;
        int send_at = -1;
        if (d->sent < 20000) {
            send_at = (int)n;
            cases[n++] = rw_send_case(d->a, &out);
        }
        if (d->received < 20000)
            cases[n++] = rw_recv_case(d->b, &in);
        int k = rw_select(cases, n, false);
        if (k == send_at)
            d->sent++;
        else
            d->received++;
    }
    return NULL;
}

START_TEST(test_stress_select_both_ends)
{
    rw_chan *x = rw_chan_make(sizeof(int), 0), *y = rw_chan_make(sizeof(int), 0);
    struct duo d1 = { x, y, 0, 0 }, d2 = { y, x, 0, 0 };
    pthread_t t1, t2;
    pthread_create(&t1, NULL, duo_side, &d1);
    pthread_create(&t2, NULL, duo_side, &d2);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    ck_assert_int_eq(d1.sent + d2.sent, 40000);
    ck_assert_int_eq(d1.received + d2.received, 40000);
    rw_chan_free(x);
    rw_chan_free(y);
}
END_TEST

static Suite *select_suite(void)
{
    Suite *s = suite_create("select");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_fairness_two_ready);
    tcase_add_test(tc, test_fairness_three_ready_send_and_recv);
    tcase_add_test(tc, test_default);
    tcase_add_test(tc, test_blocks_until_partner);
    tcase_add_test(tc, test_recv_case_sees_close);
    tcase_add_test(tc, test_many_cases);
    suite_add_tcase(s, tc);
    TCase *st = tcase_create("stress");
    tcase_set_timeout(st, 300);
    tcase_add_test(st, test_stress_fan_in_unbuffered);
    tcase_add_test(st, test_stress_fan_in_buffered);
    tcase_add_test(st, test_stress_select_both_ends);
    tcase_add_test(st, test_stress_fan_out_send_cases);
    suite_add_tcase(s, st);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(select_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
