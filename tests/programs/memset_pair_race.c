/* memset_pair_race.c: whole-granule range accesses whose granules are
 * stored two at a time (detector/race_check.c, cas_pair: one cmpxchg16b
 * for the same cell of an even granule and of the next one): a memset of
 * fresh memory, a memset over granules a joined thread wrote (its writes
 * happen before: stored over them), a memcpy reading such granules, and a
 * memcpy reading granules another thread wrote and handed over while a
 * third thread, not ordered after that write, is alive (the read goes
 * beside the write, in cell 1).  Then another thread, not ordered after
 * them (relaxed flags: no edge), reads a byte of the first and of the
 * second granule of a pair in both memsets' bytes and writes a byte each
 * memcpy read: each races with the call.  Twin: memset_pair_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=6
// PRELOAD-EXPECT: races=6
// RACEWATCH-EXPECT: race @peek_fresh_first @fill_fresh
// PRELOAD-EXPECT: race @peek_fresh_first @fill_fresh
// RACEWATCH-EXPECT: race @peek_fresh_second @fill_fresh
// PRELOAD-EXPECT: race @peek_fresh_second @fill_fresh
// RACEWATCH-EXPECT: race @peek_reused_first @fill_reused
// PRELOAD-EXPECT: race @peek_reused_first @fill_reused
// RACEWATCH-EXPECT: race @peek_reused_second @fill_reused
// PRELOAD-EXPECT: race @peek_reused_second @fill_reused
// RACEWATCH-EXPECT: race @poke_table @read_table
// PRELOAD-EXPECT: race @poke_table @read_table
// RACEWATCH-EXPECT: race @poke_handed @read_handed
// PRELOAD-EXPECT: race @poke_handed @read_handed
// RACEWATCH-EXPECT: stdout=peeked 1122 7 5\n
// PRELOAD-EXPECT: stdout=peeked 1122 7 5\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char fresh[64] __attribute__((aligned(64)));
char reused[256] __attribute__((aligned(64)));
char table[64] __attribute__((aligned(64)));
char handed[64] __attribute__((aligned(64)));
char copied_table[64], copied_handed[64];
char peeked[5];
size_t one = 1; /* a non-constant size: memset and memcpy stay calls */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int filled, handed_read;

static void *first_writer(void *arg)
{
    (void)arg;
    memset(reused, '0', 256 * one);
    memset(table, 7, 64 * one);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    memset(fresh, '1', 64 * one);          /* @fill_fresh */
    memset(reused + 8, '2', 240 * one);    /* @fill_reused */
    memcpy(copied_table, table, 64 * one); /* @read_table */
    pthread_mutex_lock(&lock);
    memset(handed, 5, 64 * one);
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&filled, 1, memory_order_relaxed);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&filled, memory_order_relaxed))
        usleep(1000);
    memcpy(peeked, fresh + 3, one);       /* @peek_fresh_first */
    memcpy(peeked + 1, fresh + 13, one);  /* @peek_fresh_second */
    memcpy(peeked + 2, reused + 19, one); /* @peek_reused_first */
    memcpy(peeked + 3, reused + 27, one); /* @peek_reused_second */
    memset(table + 10, 9, one);           /* @poke_table */
    while (!atomic_load_explicit(&handed_read, memory_order_relaxed))
        usleep(1000);
    /* Ordered after the writer's memset of handed, not after main's read. */
    pthread_mutex_lock(&lock);
    pthread_mutex_unlock(&lock);
    memset(handed + 10, 9, one);          /* @poke_handed */
    return NULL;
}

int main(void)
{
    pthread_t f, w, r;
    pthread_create(&f, NULL, first_writer, NULL);
    pthread_join(f, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&r, NULL, reader, NULL);
    pthread_join(w, NULL);
    memcpy(copied_handed, handed, 64 * one); /* @read_handed */
    atomic_store_explicit(&handed_read, 1, memory_order_relaxed);
    pthread_join(r, NULL);
    printf("peeked %s %d %d\n", peeked, copied_table[10], copied_handed[10]);
    return 0;
}
