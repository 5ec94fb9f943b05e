/* memcpy_handback_race.c: a buffer handed back and forth, refilled with
 * whole-granule ranges two granules at a time (detector/race_check.c,
 * fill_pair_over: our older write in cell 0 and another thread's read of
 * it in cell 1, both replaced by one cmpxchg16b per cell).  The main
 * thread copies into the buffer, hands it to a reader thread that copies
 * it out (its read goes beside the write: a third thread, not ordered
 * after the write, is alive), takes it back and copies into it again.
 * The third thread, not ordered after the second copy (a relaxed flag:
 * no edge), reads a byte of the first and of the second granule of a
 * pair and writes a byte of the last granule: each races with the second
 * copy.  A second buffer is refilled the same way after the reader copied
 * it out without handing it back (a relaxed flag): the reader's cell is
 * not one the refill may replace, and the refill races with it.  A third
 * buffer, handed over with the first, is refilled from its second granule
 * to its second last (a single granule, pairs, a single granule): the
 * third thread's read of a byte in each races with that refill.  Twin:
 * memcpy_handback_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=7
// PRELOAD-EXPECT: races=7
// RACEWATCH-EXPECT: race @peek_shifted_odd @refill_shifted
// PRELOAD-EXPECT: race @peek_shifted_odd @refill_shifted
// RACEWATCH-EXPECT: race @peek_shifted_pair @refill_shifted
// PRELOAD-EXPECT: race @peek_shifted_pair @refill_shifted
// RACEWATCH-EXPECT: race @peek_shifted_tail @refill_shifted
// PRELOAD-EXPECT: race @peek_shifted_tail @refill_shifted
// RACEWATCH-EXPECT: race @peek_first @refill
// PRELOAD-EXPECT: race @peek_first @refill
// RACEWATCH-EXPECT: race @peek_second @refill
// PRELOAD-EXPECT: race @peek_second @refill
// RACEWATCH-EXPECT: race @poke_last @refill
// PRELOAD-EXPECT: race @poke_last @refill
// RACEWATCH-EXPECT: race @refill_loose @read_loose
// PRELOAD-EXPECT: race @refill_loose @read_loose
// RACEWATCH-EXPECT: stdout=peeked bb aa bbb\n
// PRELOAD-EXPECT: stdout=peeked bb aa bbb\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SIZE 256
char source[SIZE] __attribute__((aligned(64)));
char handed[SIZE] __attribute__((aligned(64)));
char loose[SIZE] __attribute__((aligned(64)));
char shifted[SIZE] __attribute__((aligned(64)));
char taken[SIZE], taken_loose[SIZE], taken_shifted[SIZE];
char peeked[3], peeked_shifted[4];
size_t one = 1; /* a non-constant size: memset and memcpy stay calls */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int readers_turn;
static atomic_int refilled, loose_read;

static void *reader(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    while (!readers_turn)
        pthread_cond_wait(&changed, &lock);
    memcpy(taken, handed, SIZE * one);
    memcpy(taken_shifted, shifted, SIZE * one);
    readers_turn = 0;
    pthread_cond_signal(&changed);
    pthread_mutex_unlock(&lock);
    memcpy(taken_loose, loose, SIZE * one); /* @read_loose */
    atomic_store_explicit(&loose_read, 1, memory_order_relaxed);
    return NULL;
}

static void *peeker(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&refilled, memory_order_relaxed))
        usleep(1000);
    memcpy(peeked, handed + 3, one);      /* @peek_first */
    memcpy(peeked + 1, handed + 13, one); /* @peek_second */
    memset(handed + 250, 9, one);         /* @poke_last */
    memcpy(peeked_shifted, shifted + 9, one);      /* @peek_shifted_odd */
    memcpy(peeked_shifted + 1, shifted + 21, one); /* @peek_shifted_pair */
    memcpy(peeked_shifted + 2, shifted + 245, one); /* @peek_shifted_tail */
    return NULL;
}

int main(void)
{
    pthread_t r, p;
    pthread_create(&p, NULL, peeker, NULL);
    memset(source, 'a', SIZE * one);
    memcpy(handed, source, SIZE * one);
    memcpy(loose, source, SIZE * one);
    memcpy(shifted, source, SIZE * one);
    pthread_create(&r, NULL, reader, NULL);
    pthread_mutex_lock(&lock);
    readers_turn = 1;
    pthread_cond_signal(&changed);
    while (readers_turn)
        pthread_cond_wait(&changed, &lock);
    pthread_mutex_unlock(&lock);
    memset(source, 'b', SIZE * one);
    memcpy(handed, source, SIZE * one); /* @refill */
    memcpy(shifted + 8, source, (SIZE - 16) * one); /* @refill_shifted */
    atomic_store_explicit(&refilled, 1, memory_order_relaxed);
    while (!atomic_load_explicit(&loose_read, memory_order_relaxed))
        usleep(1000);
    memcpy(loose, source, SIZE * one); /* @refill_loose */
    pthread_join(p, NULL);
    pthread_join(r, NULL);
    printf("peeked %s %c%c %s\n", peeked, taken[250], taken_loose[250], peeked_shifted);
    return 0;
}
