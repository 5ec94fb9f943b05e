/* memcpy_readrun_race.c: a long memcpy that reads a buffer another thread
 * wrote and handed over puts its read beside that write, in cell 1 of
 * every granule (the write must stay: a thread not ordered after it may
 * still come); after the range loop's first pair, store_pair_run
 * (detector/race_check.c) stores the pairs that follow, all holding the
 * same write in cell 0 (zstd -d's writer thread reading each job buffer).
 * The writer fills granules 2..1100 of buf (into a third 4 KiB page, an
 * odd count: the loop's last single granule, which marks its plane's flag
 * itself, is in the third page); the reader, ordered after the fill,
 * copies them out.  Then a
 * late writer, ordered after the fill but not after the copy, writes
 * granule 300 (first page) and granules 900 and 901 (second page, whose
 * plane-1 flag only the run sets; a pair, whose check finds the cells
 * beside cell 0 by that flag): two races with the copy's read; and a thread
 * ordered after neither reads granule 600: a race with the fill (its cell
 * 0 must have stayed).  The late writer also writes granules 1 and 1101,
 * just outside the copied range: no race with the copy (the fill's cells
 * there happen before it).  Twin: memcpy_readrun_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=3
// PRELOAD-EXPECT: races=3
// RACEWATCH-EXPECT: race @copy_out @write_low
// PRELOAD-EXPECT: race @copy_out @write_low
// RACEWATCH-EXPECT: race @copy_out @write_high
// PRELOAD-EXPECT: race @copy_out @write_high
// RACEWATCH-EXPECT: race @fill @read_unordered
// PRELOAD-EXPECT: race @fill @read_unordered
// RACEWATCH-EXPECT: stdout=copied 1 1 read 1 guards 103 103\n
// PRELOAD-EXPECT: stdout=copied 1 1 read 1 guards 103 103\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define FIRST 2       /* first granule filled and copied */
#define GRANULES 1099 /* granules 2..1100, into a third 4 KiB page; an odd count */

char buf[12288] __attribute__((aligned(4096)));
char copy[12288];
char read_unordered[8];
size_t one = 1; /* a non-constant size: memset and memcpy stay calls */

static pthread_mutex_t after_fill = PTHREAD_MUTEX_INITIALIZER;
static atomic_int filled, copied, written;

static void wait_for(atomic_int *flag)
{
    while (!atomic_load_explicit(flag, memory_order_relaxed))
        usleep(1000);
}

static void *writer(void *arg)
{
    (void)arg;
    memset(buf + 8 * FIRST, 1, 8 * GRANULES * one); /* @fill */
    pthread_mutex_lock(&after_fill);
    pthread_mutex_unlock(&after_fill);
    atomic_store_explicit(&filled, 1, memory_order_relaxed);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    wait_for(&filled);
    pthread_mutex_lock(&after_fill); /* ordered after the fill */
    pthread_mutex_unlock(&after_fill);
    memcpy(copy, buf + 8 * FIRST, 8 * GRANULES * one); /* @copy_out */
    atomic_store_explicit(&copied, 1, memory_order_relaxed);
    return NULL;
}

/* Ordered after the fill, not after the copy. */
static void *late_writer(void *arg)
{
    (void)arg;
    wait_for(&filled);
    pthread_mutex_lock(&after_fill);
    pthread_mutex_unlock(&after_fill);
    wait_for(&copied);
    memset(buf + 8 * 300, 'w', 8 * one); /* @write_low */
    memset(buf + 8 * 900, 'w', 16 * one); /* @write_high */
    memset(buf + 8 * (FIRST - 1), 'g', 8 * one);
    memset(buf + 8 * (FIRST + GRANULES), 'g', 8 * one);
    atomic_store_explicit(&written, 1, memory_order_relaxed);
    return NULL;
}

/* Ordered after neither the fill nor the copy; after the late writer's
 * writes in time (the cells they find are the copy's, not this read's). */
static void *unordered_reader(void *arg)
{
    (void)arg;
    wait_for(&written);
    memcpy(read_unordered, buf + 8 * 600, 8 * one); /* @read_unordered */
    return NULL;
}

int main(void)
{
    pthread_t w, r, l, u;
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&l, NULL, late_writer, NULL);
    pthread_create(&u, NULL, unordered_reader, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    pthread_join(l, NULL);
    pthread_join(u, NULL);
    printf("copied %d %d read %d guards %d %d\n", copy[0], copy[8 * (GRANULES - 1)],
           read_unordered[0], buf[8 * (FIRST - 1)], buf[8 * (FIRST + GRANULES)]);
    return 0;
}
