/* sharedread_clean.c: twin of sharedread_race.c with every pair ordered:
 * three threads read the same 8-byte words round after round, each round
 * after a release of a lock of its own (every re-read stored again beside
 * the other threads' reads of the granule), and copy a third word under a
 * shared lock; once every reader is done, main writes the third word under
 * that lock (which orders it after each copy, whatever the order of the
 * acquisitions), takes the lock once more and writes the second word, and
 * writes the first after a barrier.  Reader 0 reads the second word again
 * after a second barrier: the granule holds only main's write, which
 * happens before the read. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=reread 6 copied 1\n
// PRELOAD-EXPECT: stdout=reread 6 copied 1\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define READERS 3
#define ROUNDS 8

struct node {
    long mass, pos, cost, pad;
} node __attribute__((aligned(64)));
size_t one = 1; /* a non-constant size: memset and memcpy stay calls */

static pthread_mutex_t own[READERS] = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
                                        PTHREAD_MUTEX_INITIALIZER };
static pthread_mutex_t big = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t before_write, after_write;
static atomic_int reads_done;
static long reread, copied;

static void *reader(void *arg)
{
    int id = (int)(long)arg;
    long sum = 0, tmp;
    for (int r = 0; r < ROUNDS; r++) {
        pthread_mutex_lock(&own[id]);
        pthread_mutex_unlock(&own[id]);
        sum += node.mass;
        sum += node.pos;
        pthread_mutex_lock(&big);
        memcpy(&tmp, &node.cost, 8 * one);
        pthread_mutex_unlock(&big);
        sum += tmp;
    }
    atomic_fetch_add_explicit(&reads_done, 1, memory_order_relaxed);
    pthread_barrier_wait(&before_write);
    pthread_barrier_wait(&after_write);
    if (id != 0)
        return NULL;
    pthread_mutex_lock(&own[id]);
    pthread_mutex_unlock(&own[id]);
    reread = sum + node.pos;
    pthread_mutex_lock(&big);
    memcpy(&tmp, &node.cost, 8 * one);
    pthread_mutex_unlock(&big);
    copied = tmp & 0xff;
    return NULL;
}

int main(void)
{
    pthread_t r[READERS];
    pthread_barrier_init(&before_write, NULL, READERS + 1);
    pthread_barrier_init(&after_write, NULL, READERS + 1);
    for (long i = 0; i < READERS; i++)
        pthread_create(&r[i], NULL, reader, (void *)i);
    while (atomic_load_explicit(&reads_done, memory_order_relaxed) < READERS)
        usleep(1000);
    pthread_mutex_lock(&big);
    memset(&node.cost, 1, 8 * one);
    pthread_mutex_unlock(&big);
    pthread_mutex_lock(&big);
    pthread_mutex_unlock(&big);
    node.pos = 6;
    pthread_barrier_wait(&before_write);
    node.mass = 5;
    pthread_barrier_wait(&after_write);
    for (int i = 0; i < READERS; i++)
        pthread_join(r[i], NULL);
    printf("reread %ld copied %ld\n", reread, copied);
    return 0;
}
