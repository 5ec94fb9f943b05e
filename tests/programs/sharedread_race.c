/* sharedread_race.c: the shape of SPLASH-3 barnes' tree cells: three
 * threads read the same 8-byte words round after round, each round after
 * a release of a lock of its own, so that every re-read is stored again
 * beside the other threads' reads of the granule (detector/race_check.c:
 * an own read from before our last release beside other threads' reads).
 * Then main, not ordered after those reads (a relaxed counter: no edge),
 * writes one word (a race with the reads) and a third word by memset (a
 * race with the readers' memcpy under a lock main does not take: seen by
 * LD_PRELOAD too).  main then takes that lock, which orders it after
 * every reader's reads, and writes the second word: no race, its cell
 * replaces theirs.  Reader 0 reads that word again, not ordered after the
 * write (a relaxed flag): the granule holds only the other thread's write,
 * which does not happen before the read (a race: the read must compare
 * the write's clock with its own).  Twin: sharedread_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=3
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @read_mass @write_mass
// RACEWATCH-EXPECT: race @copy_cost @fill_cost
// PRELOAD-EXPECT: race @copy_cost @fill_cost
// RACEWATCH-EXPECT: race @reread_pos @write_pos
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
static atomic_int reads_done, written;
static long reread, copied;

static void *reader(void *arg)
{
    int id = (int)(long)arg;
    long sum = 0, tmp;
    for (int r = 0; r < ROUNDS; r++) {
        pthread_mutex_lock(&own[id]);
        pthread_mutex_unlock(&own[id]);
        sum += node.mass;                  /* @read_mass */
        sum += node.pos;
        pthread_mutex_lock(&big);
        memcpy(&tmp, &node.cost, 8 * one); /* @copy_cost */
        pthread_mutex_unlock(&big);
        sum += tmp;
    }
    atomic_fetch_add_explicit(&reads_done, 1, memory_order_relaxed);
    if (id != 0)
        return NULL;
    while (!atomic_load_explicit(&written, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&own[id]);
    pthread_mutex_unlock(&own[id]);
    reread = sum + node.pos;               /* @reread_pos */
    pthread_mutex_lock(&big);
    memcpy(&tmp, &node.cost, 8 * one);
    pthread_mutex_unlock(&big);
    copied = tmp & 0xff;
    return NULL;
}

int main(void)
{
    pthread_t r[READERS];
    for (long i = 0; i < READERS; i++)
        pthread_create(&r[i], NULL, reader, (void *)i);
    while (atomic_load_explicit(&reads_done, memory_order_relaxed) < READERS)
        usleep(1000);
    node.mass = 5;                         /* @write_mass */
    memset(&node.cost, 1, 8 * one);        /* @fill_cost */
    pthread_mutex_lock(&big);
    pthread_mutex_unlock(&big);
    node.pos = 6;                          /* @write_pos */
    atomic_store_explicit(&written, 1, memory_order_relaxed);
    for (int i = 0; i < READERS; i++)
        pthread_join(r[i], NULL);
    printf("reread %ld copied %ld\n", reread, copied);
    return 0;
}
