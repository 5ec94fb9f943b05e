/* memset_pairrun_clean.c: twin of memset_pairrun_race.c.  The same two
 * fills of granules 2..1020 (store_pair_run after the range loop's first
 * pair), the same reads of granules 600, 110 and 700 and the same
 * bystander writing granules 1 and 1021 outside the range, unordered; but
 * each reader takes the mutex the writer released after the fill it
 * reads, and the second fill is ordered after every read before it:
 * nothing to report. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=read 1 2 1 guards 103 103\n
// PRELOAD-EXPECT: stdout=read 1 2 1 guards 103 103\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define FIRST 2    /* first granule filled */
#define GRANULES 1019 /* granules 2..1020, two 4 KiB pages; an odd count */

char buf[8192] __attribute__((aligned(4096)));
char read_fresh[8], read_again[8], read_early[8];
size_t one = 1; /* a non-constant size: memset and memcpy stay calls */

static pthread_mutex_t after_first = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t before_second = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t after_second = PTHREAD_MUTEX_INITIALIZER;
static atomic_int filled_fresh, fresh_read, early_read, second_reader_ready, filled_again;

static void wait_for(atomic_int *flag)
{
    while (!atomic_load_explicit(flag, memory_order_relaxed))
        usleep(1000);
}

static void *writer(void *arg)
{
    (void)arg;
    memset(buf + 8 * FIRST, 1, 8 * GRANULES * one); /* @fill_fresh */
    pthread_mutex_lock(&after_first);
    pthread_mutex_unlock(&after_first);
    atomic_store_explicit(&filled_fresh, 1, memory_order_relaxed);
    wait_for(&fresh_read);
    wait_for(&early_read);
    pthread_mutex_lock(&before_second); /* ordered after the first reader */
    pthread_mutex_unlock(&before_second);
    wait_for(&second_reader_ready);
    memset(buf + 8 * FIRST, 2, 8 * GRANULES * one); /* @fill_again */
    pthread_mutex_lock(&after_second);
    pthread_mutex_unlock(&after_second);
    atomic_store_explicit(&filled_again, 1, memory_order_relaxed);
    return NULL;
}

static void *first_reader(void *arg)
{
    (void)arg;
    wait_for(&filled_fresh);
    pthread_mutex_lock(&after_first); /* ordered after the first fill */
    pthread_mutex_unlock(&after_first);
    memcpy(read_fresh, buf + 8 * 600, 8 * one); /* @read_fresh */
    pthread_mutex_lock(&before_second);
    pthread_mutex_unlock(&before_second);
    atomic_store_explicit(&fresh_read, 1, memory_order_relaxed);
    return NULL;
}

/* Ordered after the first fill: its read of granule 700, in the second
 * page, goes beside the fill's cell (which must stay), so that page's
 * flags show a plane beside cell 0 in use when the second fill comes. */
static void *early_reader(void *arg)
{
    (void)arg;
    wait_for(&filled_fresh);
    pthread_mutex_lock(&after_first);
    pthread_mutex_unlock(&after_first);
    memcpy(read_early, buf + 8 * 700, 8 * one); /* @read_early */
    pthread_mutex_lock(&before_second); /* the second fill is ordered after it */
    pthread_mutex_unlock(&before_second);
    atomic_store_explicit(&early_read, 1, memory_order_relaxed);
    return NULL;
}

static void *second_reader(void *arg)
{
    (void)arg;
    wait_for(&fresh_read);
    pthread_mutex_lock(&after_first); /* ordered after the first fill */
    pthread_mutex_unlock(&after_first);
    atomic_store_explicit(&second_reader_ready, 1, memory_order_relaxed);
    wait_for(&filled_again);
    pthread_mutex_lock(&after_second); /* ordered after the second fill */
    pthread_mutex_unlock(&after_second);
    memcpy(read_again, buf + 8 * 110, 8 * one); /* @read_again */
    return NULL;
}

static void *bystander(void *arg)
{
    (void)arg;
    wait_for(&filled_again);
    memset(buf + 8 * (FIRST - 1), 'g', 8 * one);
    memset(buf + 8 * (FIRST + GRANULES), 'g', 8 * one);
    return NULL;
}

int main(void)
{
    pthread_t w, r1, r2, r3, b;
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&r1, NULL, first_reader, NULL);
    pthread_create(&r2, NULL, second_reader, NULL);
    pthread_create(&r3, NULL, early_reader, NULL);
    pthread_create(&b, NULL, bystander, NULL);
    pthread_join(w, NULL);
    pthread_join(r1, NULL);
    pthread_join(r2, NULL);
    pthread_join(r3, NULL);
    pthread_join(b, NULL);
    printf("read %d %d %d guards %d %d\n", read_fresh[0], read_again[0], read_early[0],
           buf[8 * (FIRST - 1)], buf[8 * (FIRST + GRANULES)]);
    return 0;
}
