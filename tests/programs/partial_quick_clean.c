/* partial_quick_clean.c: the twin of partial_quick_race.c, the head and tail granules of short ranges in one
 * look at cell 0 (detector/race_check.c, short_granule_quick), as GNU
 * sort's fwrite of each output line takes them.  Three granules:
 *   - beside: one thread writes bytes 0-3, another reads bytes 4-7 (its
 *     cell goes beside the write, in cell 1), a third writes bytes 0-3
 *     again: it races with the first write, which must still be there;
 *   - epoch: a thread reads bytes 3-7, posts a semaphore (a release),
 *     reads them again: its older cell is replaced by the new one (not
 *     taken as covering: a new epoch); a thread ordered after the post
 *     but not after the second read writes byte 3: a race with that read;
 *   - concurrent: a thread writes bytes 3-7, another, not ordered after
 *     it, writes them too: the first write is not replaced in silence.
 * Here the last writer is ordered after all of them (a semaphore posted
 * after the first writes and after the second read): no report.
 * Twin of partial_quick_race.c. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=done c\n
// PRELOAD-EXPECT: stdout=done c\n
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

char buf[64] __attribute__((aligned(64)));
char got_b[64];
size_t one = 1; /* a non-constant size: memcpy and memset stay calls */

static sem_t posted;
static atomic_int step;

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

static void *writer_a(void *arg)
{
    memset(buf, 'a', 4 * one);      /* @a_head */
    memset(buf + 19, 'a', 5 * one); /* @a_tail */
    sem_post(&posted);
    set_step(1);
    return arg;
}

static void *reader_b(void *arg)
{
    wait_step(1);
    memcpy(got_b, buf + 4, 4 * one);  /* beside a's write */
    memcpy(got_b, buf + 11, 5 * one); /* a fresh granule */
    sem_post(&posted);
    memcpy(got_b, buf + 11, 5 * one); /* @b_again */
    sem_post(&posted);
    set_step(2);
    return arg;
}

static void *writer_c(void *arg)
{
    wait_step(2);
    sem_wait(&posted);
    sem_wait(&posted);
    sem_wait(&posted);
    memset(buf, 'c', 4 * one);      /* @c_head */
    memset(buf + 11, 'c', one);     /* @c_again */
    memset(buf + 19, 'c', 5 * one); /* @c_tail */
    return arg;
}

int main(void)
{
    pthread_t a, b, c;
    sem_init(&posted, 0, 0);
    pthread_create(&a, NULL, writer_a, NULL);
    pthread_create(&b, NULL, reader_b, NULL);
    pthread_create(&c, NULL, writer_c, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    pthread_join(c, NULL);
    printf("done %c\n", buf[0]);
    return 0;
}
