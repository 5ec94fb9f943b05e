/* memcpy_fillrun_race.c: a buffer handed back and filled again (zstd -d's
 * and pigz -d's output buffers): every granule holds the filler's write of
 * the round before and another thread's read of it, the same two cells
 * granule after granule; after fill_pair_over's first pair, fill_pair_run
 * (detector/race_check.c) replaces both, pair after pair.  The writer
 * fills granules 2..1020 of buf (two 4 KiB pages, an odd count); a reader
 * ordered after that copies them out; a third thread, ordered after the
 * fill but not the copy, reads granule 500 (its cell goes beside the two:
 * the pair there holds other cells, the run stops and starts again after
 * it); the writer, ordered after the copy but not that read, fills the
 * granules again (a race with the read of granule 500).  Then two readers
 * ordered after the copy but not the second fill read granule 300 (first
 * page) and granule 700 (second page): races with the second fill, whose
 * cell 0 the run must have stored.  A bystander ordered after the copy
 * writes granules 1 and 1021, just outside the range: no race.  Twin:
 * memcpy_fillrun_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=3
// PRELOAD-EXPECT: races=3
// RACEWATCH-EXPECT: race @read_mid @fill_again
// PRELOAD-EXPECT: race @read_mid @fill_again
// RACEWATCH-EXPECT: race @fill_again @read_low
// PRELOAD-EXPECT: race @fill_again @read_low
// RACEWATCH-EXPECT: race @fill_again @read_high
// PRELOAD-EXPECT: race @fill_again @read_high
// RACEWATCH-EXPECT: stdout=copied 1 1 read 1 2 2 guards 103 103\n
// PRELOAD-EXPECT: stdout=copied 1 1 read 1 2 2 guards 103 103\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define FIRST 2       /* first granule filled and copied */
#define GRANULES 1019 /* granules 2..1020, two 4 KiB pages; an odd count */

char buf[8192] __attribute__((aligned(4096)));
char copy[8192];
char read_mid[8], read_low[8], read_high[8];
size_t one = 1; /* a non-constant size: memset and memcpy stay calls */

static pthread_mutex_t after_fill = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t after_copy = PTHREAD_MUTEX_INITIALIZER;
static atomic_int filled, copied, mid_read, filled_again;

static void wait_for(atomic_int *flag)
{
    while (!atomic_load_explicit(flag, memory_order_relaxed))
        usleep(1000);
}

static void *writer(void *arg)
{
    (void)arg;
    memset(buf + 8 * FIRST, 1, 8 * GRANULES * one);
    pthread_mutex_lock(&after_fill);
    pthread_mutex_unlock(&after_fill);
    atomic_store_explicit(&filled, 1, memory_order_relaxed);
    wait_for(&copied);
    wait_for(&mid_read);
    pthread_mutex_lock(&after_copy); /* ordered after the copy */
    pthread_mutex_unlock(&after_copy);
    memset(buf + 8 * FIRST, 2, 8 * GRANULES * one); /* @fill_again */
    atomic_store_explicit(&filled_again, 1, memory_order_relaxed);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    wait_for(&filled);
    pthread_mutex_lock(&after_fill);
    pthread_mutex_unlock(&after_fill);
    memcpy(copy, buf + 8 * FIRST, 8 * GRANULES * one);
    pthread_mutex_lock(&after_copy);
    pthread_mutex_unlock(&after_copy);
    atomic_store_explicit(&copied, 1, memory_order_relaxed);
    return NULL;
}

/* Ordered after the first fill, not before the second. */
static void *mid_reader(void *arg)
{
    (void)arg;
    wait_for(&copied);
    pthread_mutex_lock(&after_fill);
    pthread_mutex_unlock(&after_fill);
    memcpy(read_mid, buf + 8 * 500, 8 * one); /* @read_mid */
    atomic_store_explicit(&mid_read, 1, memory_order_relaxed);
    return NULL;
}

/* Ordered after the copy, not after the second fill. */
static void *late_reader(void *arg)
{
    (void)arg;
    wait_for(&copied);
    pthread_mutex_lock(&after_copy);
    pthread_mutex_unlock(&after_copy);
    wait_for(&filled_again);
    memcpy(read_low, buf + 8 * 300, 8 * one);  /* @read_low */
    memcpy(read_high, buf + 8 * 700, 8 * one); /* @read_high */
    memset(buf + 8 * (FIRST - 1), 'g', 8 * one);
    memset(buf + 8 * (FIRST + GRANULES), 'g', 8 * one);
    return NULL;
}

int main(void)
{
    pthread_t w, r, m, l;
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&m, NULL, mid_reader, NULL);
    pthread_create(&l, NULL, late_reader, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    pthread_join(m, NULL);
    pthread_join(l, NULL);
    printf("copied %d %d read %d %d %d guards %d %d\n", copy[0], copy[8 * (GRANULES - 1)],
           read_mid[0], read_low[0], read_high[0], buf[8 * (FIRST - 1)],
           buf[8 * (FIRST + GRANULES)]);
    return 0;
}
