/* memcpy_own_race.c: a short copy's source that the copier's own cells
 * may cover (runtime/rt.h, rw_read_covered_by_own_cells: answered without
 * the check) and a 3-byte source in a granule full of the copier's own
 * older cells (detector/race_check.c, short_granule's two pieces over
 * spare cells).  Thread a:
 *   - epoch: writes bytes 0-7, posts a semaphore (a release), copies
 *     bytes 0-3 out: its own write is of before the release, so the read
 *     is checked and stored; c, ordered after the post but not after the
 *     copy, writes byte 1: a race with the copy;
 *   - partial: writes bytes 8-9, then copies bytes 8-13 out: its own
 *     write covers two of the six bytes only; b wrote byte 12 before,
 *     not ordered before a's copy: a race found by the copy;
 *   - pieces: writes bytes 16, 17, 18 and 19 one at a time, each in an
 *     epoch of its own (a private mutex's unlock between: four cells that
 *     none covers), copies bytes 20-22 out (two pieces, no empty cell:
 *     both over spare cells); c writes byte 22 (the second piece).
 * Relaxed flags order the execution, not the memory.
 * Twin: memcpy_own_clean.c (b's write handed over by a mutex, c ordered
 * after the copies). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=3
// PRELOAD-EXPECT: races=3
// RACEWATCH-EXPECT: race @c_epoch @a_epoch
// PRELOAD-EXPECT: race @c_epoch @a_epoch
// RACEWATCH-EXPECT: race @a_partial @b_partial
// PRELOAD-EXPECT: race @a_partial @b_partial
// RACEWATCH-EXPECT: race @c_piece @a_piece
// PRELOAD-EXPECT: race @c_piece @a_piece
// RACEWATCH-EXPECT: stdout=done c\n
// PRELOAD-EXPECT: stdout=done c\n
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

char buf[64] __attribute__((aligned(64)));
char got[64];
size_t one = 1; /* a non-constant size: memcpy and memset stay calls */

static sem_t posted;
static atomic_int step;
static pthread_mutex_t own_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t handover = PTHREAD_MUTEX_INITIALIZER;

/* Waits call nothing. */
static void wait_step(int s)
{
    while (atomic_load_explicit(&step, memory_order_relaxed) < s)
        __builtin_ia32_pause();
}

static void set_step(int s)
{
    atomic_store_explicit(&step, s, memory_order_relaxed);
}

static void *copier_a(void *arg)
{
    memset(buf, 'a', 8 * one);
    sem_post(&posted);
    memcpy(got, buf, 4 * one); /* @a_epoch */
    wait_step(1);
    memset(buf + 8, 'a', 2 * one);
    memcpy(got, buf + 8, 6 * one); /* @a_partial */
    for (int i = 0; i < 4; i++) {
        memset(buf + 16 + i, 'a', one);
        pthread_mutex_lock(&own_lock);
        pthread_mutex_unlock(&own_lock);
    }
    memcpy(got, buf + 20, 3 * one); /* @a_piece */
    set_step(2);
    return arg;
}

static void *writer_b(void *arg)
{
    pthread_mutex_lock(&handover);
    memset(buf + 12, 'b', one); /* @b_partial */
    pthread_mutex_unlock(&handover);
    set_step(1);
    return arg;
}

static void *writer_c(void *arg)
{
    wait_step(2);
    sem_wait(&posted);
    memset(buf + 1, 'c', one);  /* @c_epoch */
    memset(buf + 22, 'c', one); /* @c_piece */
    return arg;
}

int main(void)
{
    pthread_t a, b, c;
    sem_init(&posted, 0, 0);
    pthread_create(&a, NULL, copier_a, NULL);
    pthread_create(&b, NULL, writer_b, NULL);
    pthread_create(&c, NULL, writer_c, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    pthread_join(c, NULL);
    printf("done %c\n", buf[1]);
    return 0;
}
