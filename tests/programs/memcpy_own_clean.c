/* memcpy_own_clean.c: the twin of memcpy_own_race.c, the same copies
 * (a short source the copier's own cells may cover, a 3-byte source in a
 * granule full of its own older cells), here ordered: b's write of byte
 * 12 is handed to a by a mutex before a's copy of bytes 8-13, and c waits
 * for semaphore posts made after each of a's copies before its writes:
 * no report.  Twin of memcpy_own_race.c. */
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
    sem_post(&posted);
    wait_step(1);
    pthread_mutex_lock(&handover);
    pthread_mutex_unlock(&handover);
    memset(buf + 8, 'a', 2 * one);
    memcpy(got, buf + 8, 6 * one); /* @a_partial */
    for (int i = 0; i < 4; i++) {
        memset(buf + 16 + i, 'a', one);
        pthread_mutex_lock(&own_lock);
        pthread_mutex_unlock(&own_lock);
    }
    memcpy(got, buf + 20, 3 * one); /* @a_piece */
    sem_post(&posted);
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
    for (int i = 0; i < 3; i++)
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
