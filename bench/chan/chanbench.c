/* chanbench.c: channel throughput of libracewatch-chan against a
 * well-written mutex + condition-variable queue (bench/chan/run.py runs it).
 *
 *   chanbench WORKLOAD IMPL MESSAGES
 *     WORKLOAD  pingpong   two threads, a message there and one back per
 *                          round (channels: unbuffered; queue: capacity 1)
 *               buffered1  1 producer -> 1 consumer, capacity 64
 *               buffered4  4 producers -> 1 consumer, capacity 64
 *               select4    4 producers, each on its own channel (capacity
 *                          64); the consumer selects over the 4 (queue: 4
 *                          rings under one lock, the consumer takes from
 *                          any non-empty one, round robin)
 *     IMPL      chan | queue
 *
 * Prints `WORKLOAD IMPL MESSAGES ns_per_message checksum` after moving
 * MESSAGES 8-byte values; the time covers thread start to the last
 * receive.  The queue signals a condition only when a thread waits on it
 * (waiter counts), so an uncontended push or pop is one lock and unlock. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "racewatch/concurrency.h"

#define CAPACITY 64
#define RINGS 4

/* --- the mutex + condition variable queue ---------------------------------- */

typedef struct ring {
    uint64_t *slots;
    size_t cap, head, count;
} ring;

typedef struct queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    int empty_waiters, full_waiters;
    ring rings[RINGS];
    int nrings;
    int next;                   /* round robin start of pop_any */
} queue;

static void queue_init(queue *q, size_t cap, int nrings)
{
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->not_empty, NULL);
    pthread_cond_init(&q->not_full, NULL);
    q->empty_waiters = q->full_waiters = 0;
    q->nrings = nrings;
    q->next = 0;
    for (int i = 0; i < nrings; i++) {
        q->rings[i].slots = calloc(cap, sizeof(uint64_t));
        q->rings[i].cap = cap;
        q->rings[i].head = q->rings[i].count = 0;
    }
}

static void queue_push(queue *q, int r, uint64_t v)
{
    ring *g = &q->rings[r];
    pthread_mutex_lock(&q->mu);
    while (g->count == g->cap) {
        q->full_waiters++;
        pthread_cond_wait(&q->not_full, &q->mu);
        q->full_waiters--;
    }
    g->slots[(g->head + g->count) % g->cap] = v;
    g->count++;
    int wake = q->empty_waiters > 0;
    pthread_mutex_unlock(&q->mu);
    if (wake)
        pthread_cond_signal(&q->not_empty);
}

/* Pops from ring r, or from any non-empty ring if r < 0. */
static uint64_t queue_pop(queue *q, int r)
{
    pthread_mutex_lock(&q->mu);
    ring *g = NULL;
    for (;;) {
        if (r >= 0) {
            if (q->rings[r].count)
                g = &q->rings[r];
        } else {
            for (int k = 0; k < q->nrings && !g; k++) {
                ring *c = &q->rings[(q->next + k) % q->nrings];
                if (c->count)
                    g = c;
            }
            q->next = (q->next + 1) % q->nrings;
        }
        if (g)
            break;
        q->empty_waiters++;
        pthread_cond_wait(&q->not_empty, &q->mu);
        q->empty_waiters--;
    }
    uint64_t v = g->slots[g->head];
    g->head = (g->head + 1) % g->cap;
    g->count--;
    int wake = q->full_waiters > 0;
    pthread_mutex_unlock(&q->mu);
    if (wake)
        pthread_cond_broadcast(&q->not_full);   /* several rings' producers */
    return v;
}

/* --- workloads ---------------------------------------------------------------- */

static int use_chan;
static long messages;
static rw_chan *chans[RINGS + 1];
static queue queues[2];

static void put(int which, int ring_index, uint64_t v)
{
    if (use_chan)
        rw_chan_send(chans[which + ring_index], &v);
    else
        queue_push(&queues[which], ring_index, v);
}

static uint64_t take(int which, int ring_index)
{
    uint64_t v = 0;
    if (use_chan)
        rw_chan_recv(chans[which + ring_index], &v, NULL);
    else
        v = queue_pop(&queues[which], ring_index);
    return v;
}

/* pingpong: chans[0] there, chans[1] back; queues[0], queues[1]. */
static void *ponger(void *arg)
{
    (void)arg;
    for (long i = 0; i < messages / 2; i++) {
        uint64_t v = use_chan ? take(0, 0) : queue_pop(&queues[0], 0);
        if (use_chan)
            rw_chan_send(chans[1], &(uint64_t){ v + 1 });
        else
            queue_push(&queues[1], 0, v + 1);
    }
    return NULL;
}

struct producer {
    int ring;                   /* select4: its own channel / ring */
    long count;
    uint64_t first;
};

static void *producer(void *arg)
{
    struct producer *p = arg;
    for (long i = 0; i < p->count; i++)
        put(0, p->ring, p->first + (uint64_t)i);
    return NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: chanbench pingpong|buffered1|buffered4|select4 chan|queue MESSAGES\n");
        return 2;
    }
    const char *work = argv[1];
    use_chan = strcmp(argv[2], "chan") == 0;
    messages = atol(argv[3]);
    uint64_t sum = 0;
    double t0;

    if (strcmp(work, "pingpong") == 0) {
        chans[0] = rw_chan_make(sizeof(uint64_t), 0);
        chans[1] = rw_chan_make(sizeof(uint64_t), 0);
        queue_init(&queues[0], 1, 1);
        queue_init(&queues[1], 1, 1);
        t0 = now();
        pthread_t t;
        pthread_create(&t, NULL, ponger, NULL);
        for (long i = 0; i < messages / 2; i++) {
            if (use_chan) {
                rw_chan_send(chans[0], &(uint64_t){ (uint64_t)i });
                sum += take(1, 0);
            } else {
                queue_push(&queues[0], 0, (uint64_t)i);
                sum += queue_pop(&queues[1], 0);
            }
        }
        pthread_join(t, NULL);
    } else if (strcmp(work, "buffered1") == 0 || strcmp(work, "buffered4") == 0 ||
               strcmp(work, "select4") == 0) {
        int sel = strcmp(work, "select4") == 0;
        int n = strcmp(work, "buffered1") == 0 ? 1 : 4;
        for (int i = 0; i < (sel ? RINGS : 1); i++)
            chans[i] = rw_chan_make(sizeof(uint64_t), CAPACITY);
        queue_init(&queues[0], CAPACITY, sel ? RINGS : 1);
        struct producer p[4];
        pthread_t t[4];
        t0 = now();
        for (int i = 0; i < n; i++) {
            p[i] = (struct producer){ sel ? i : 0, messages / n, (uint64_t)i << 40 };
            pthread_create(&t[i], NULL, producer, &p[i]);
        }
        long total = (messages / n) * n;
        if (sel && use_chan) {
            uint64_t v;
            rw_select_case cases[RINGS];
            for (int i = 0; i < RINGS; i++)
                cases[i] = rw_recv_case(chans[i], &v);
            for (long i = 0; i < total; i++) {
                rw_select(cases, RINGS, false);
                sum += v;
            }
        } else {
            for (long i = 0; i < total; i++)
                sum += use_chan ? take(0, 0) : queue_pop(&queues[0], sel ? -1 : 0);
        }
        for (int i = 0; i < n; i++)
            pthread_join(t[i], NULL);
    } else {
        fprintf(stderr, "chanbench: unknown workload %s\n", work);
        return 2;
    }
    double dt = now() - t0;
    printf("%s %s %ld %.1f %llx\n", work, argv[2], messages, dt * 1e9 / (double)messages,
           (unsigned long long)sum);
    return 0;
}
