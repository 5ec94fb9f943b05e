/* pipeline: producers and consumers handing off heap messages.
 *
 * Two producers build messages (a malloc'd block of 16 words written with
 * plain stores) and push pointers into a bounded queue (mutex + two
 * condvars, not-full and not-empty); two consumers pop them, read the
 * words, and free the block.  The only thing ordering the producer's
 * writes before the consumer's reads and free is the queue's mutex: a
 * detector must carry that happens-before through lock, unlock and
 * cond_wait, or it reports false races.  This measures the mixed cost of
 * blocking synchronization, allocator traffic across threads, and plain
 * accesses to memory that changes hands.
 * argv: [scale] [producers=2] [consumers=2] */
#include "common.h"

#define QCAP 64
#define WORDS 16

struct msg { uint64_t seq; uint64_t w[WORDS]; };

static struct {
    pthread_mutex_t mu;
    pthread_cond_t not_full, not_empty;
    struct msg *slot[QCAP];
    int head, count;
    int producers_left;
} q = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
        { 0 }, 0, 0, 0 };

static long per_producer;

static void push(struct msg *m)
{
    pthread_mutex_lock(&q.mu);
    while (q.count == QCAP)
        pthread_cond_wait(&q.not_full, &q.mu);
    q.slot[(q.head + q.count) % QCAP] = m;
    q.count++;
    pthread_cond_signal(&q.not_empty);
    pthread_mutex_unlock(&q.mu);
}

/* NULL once the queue is empty and every producer is done. */
static struct msg *pop(void)
{
    pthread_mutex_lock(&q.mu);
    while (q.count == 0 && q.producers_left > 0)
        pthread_cond_wait(&q.not_empty, &q.mu);
    struct msg *m = NULL;
    if (q.count > 0) {
        m = q.slot[q.head];
        q.head = (q.head + 1) % QCAP;
        q.count--;
        pthread_cond_signal(&q.not_full);
    }
    pthread_mutex_unlock(&q.mu);
    return m;
}

static void *producer(void *p)
{
    uint64_t id = (uint64_t)(uintptr_t)p;
    for (long i = 0; i < per_producer; i++) {
        struct msg *m = malloc(sizeof *m);
        if (!m)
            abort();
        m->seq = id << 32 | (uint64_t)i;
        for (int k = 0; k < WORDS; k++)
            m->w[k] = mix64(m->seq * WORDS + (uint64_t)k);
        push(m);
    }
    pthread_mutex_lock(&q.mu);
    if (--q.producers_left == 0)
        pthread_cond_broadcast(&q.not_empty);
    pthread_mutex_unlock(&q.mu);
    return NULL;
}

static void *consumer(void *p)
{
    uint64_t *out = p, sum = 0;
    struct msg *m;
    while ((m = pop()) != NULL) {
        uint64_t h = m->seq;
        for (int k = 0; k < WORDS; k++)
            h = mix64(h ^ m->w[k]);
        sum += h;               /* a sum: independent of who got what */
        free(m);
    }
    *out = sum;
    return NULL;
}

int main(int argc, char **argv)
{
    per_producer = bench_scaled(argc, argv, 200000);
    int np = (int)bench_arg(argc, argv, 2, 2);
    int nc = (int)bench_arg(argc, argv, 3, 2);
    pthread_t pt[np], ct[nc];
    uint64_t csum[nc];
    q.producers_left = np;
    for (int i = 0; i < nc; i++)
        bench_check(pthread_create(&ct[i], NULL, consumer, &csum[i]), "pthread_create");
    for (int i = 0; i < np; i++)
        bench_check(pthread_create(&pt[i], NULL, producer, (void *)(uintptr_t)i), "pthread_create");
    for (int i = 0; i < np; i++)
        bench_check(pthread_join(pt[i], NULL), "pthread_join");
    uint64_t sum = 0;
    for (int i = 0; i < nc; i++) {
        bench_check(pthread_join(ct[i], NULL), "pthread_join");
        sum += csum[i];
    }
    bench_print("pipeline", mix64(sum));
    return 0;
}
