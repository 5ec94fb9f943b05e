/* memcpy_readrun_clean.c: twin of memcpy_readrun_race.c.  The same fill
 * of granules 2..1100, the same copy of them by a reader ordered after
 * the fill (its read beside the fill's write, in cell 1: store_pair_run
 * after the first pair), the same writes of granules 300, 900-901, 1 and 1101
 * and the same read of granule 600; but the late writer takes a mutex the
 * reader released after the copy, and the other reader takes the one the
 * writer released after the fill (after the copy, so that the copy's read
 * still goes beside the fill's write): nothing to report. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
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
char read_ordered[8];
size_t one = 1; /* a non-constant size: memset and memcpy stay calls */

static pthread_mutex_t after_fill = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t after_copy = PTHREAD_MUTEX_INITIALIZER;
static atomic_int filled, copied, written;

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

static void *late_writer(void *arg)
{
    (void)arg;
    wait_for(&copied);
    pthread_mutex_lock(&after_copy); /* ordered after the copy, so after the fill */
    pthread_mutex_unlock(&after_copy);
    memset(buf + 8 * 300, 'w', 8 * one);
    memset(buf + 8 * 900, 'w', 16 * one); /* a pair: its cells by the flags */
    memset(buf + 8 * (FIRST - 1), 'g', 8 * one);
    memset(buf + 8 * (FIRST + GRANULES), 'g', 8 * one);
    atomic_store_explicit(&written, 1, memory_order_relaxed);
    return NULL;
}

static void *ordered_reader(void *arg)
{
    (void)arg;
    wait_for(&written);
    pthread_mutex_lock(&after_fill);
    pthread_mutex_unlock(&after_fill);
    memcpy(read_ordered, buf + 8 * 600, 8 * one);
    return NULL;
}

int main(void)
{
    pthread_t w, r, l, u;
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&l, NULL, late_writer, NULL);
    pthread_create(&u, NULL, ordered_reader, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    pthread_join(l, NULL);
    pthread_join(u, NULL);
    printf("copied %d %d read %d guards %d %d\n", copy[0], copy[8 * (GRANULES - 1)],
           read_ordered[0], buf[8 * (FIRST - 1)], buf[8 * (FIRST + GRANULES)]);
    return 0;
}
