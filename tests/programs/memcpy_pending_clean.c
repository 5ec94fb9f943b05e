/* memcpy_pending_clean.c: twin of memcpy_pending_race.c.  The same short
 * copies from one call site (checked at once, stored later:
 * runtime/pending_write.c) and the same reads and write by another
 * thread, each ordered by a mutex: the reader's read before a copy whose
 * store comes at a later copy, the copies before an unlock (stored before
 * its release, or the reads after it would race), the reader's write
 * before the copier's acquire. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=peeked -1C\n
// PRELOAD-EXPECT: stdout=peeked -1C\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

char window[512] __attribute__((aligned(64))) = "-";
const char source[] = "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
char peeked[5];
size_t one = 1; /* a non-constant size: memcpy stays a call */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int step;

static void wait_step(int s)
{
    while (atomic_load_explicit(&step, memory_order_relaxed) < s)
        __builtin_ia32_pause();
}

static void set_step(int s)
{
    atomic_store_explicit(&step, s, memory_order_relaxed);
}

__attribute__((noinline)) static void copy(size_t at, size_t from, size_t n)
{
    memcpy(window + at, source + from, n);
}

static void *copier(void *arg)
{
    (void)arg;
    wait_step(1);              /* the reader read byte 0, then unlocked */
    pthread_mutex_lock(&lock); /* ordered after that read */
    pthread_mutex_unlock(&lock);
    copy(0, 0, 4 * one);       /* over the read */
    copy(300, 0, 8 * one);     /* far away: [0, 4) stored now */
    wait_step(2);              /* the reader wrote byte 305, then unlocked */
    pthread_mutex_lock(&lock);
    copy(308, 0, 64 * one);    /* [300, 308) stored before the acquire */
    copy(372, 0, 64 * one);
    pthread_mutex_unlock(&lock); /* [308, 436) stored before the release */
    set_step(3);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    memcpy(peeked, window, one);
    pthread_mutex_unlock(&lock);
    set_step(1);
    pthread_mutex_lock(&lock);
    memset(window + 305, '#', one); /* before or after the copy: ordered */
    pthread_mutex_unlock(&lock);
    set_step(2);
    wait_step(3);
    pthread_mutex_lock(&lock);
    memcpy(peeked + 1, window + 309, one);
    memcpy(peeked + 2, window + 420, one);
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void)
{
    pthread_t c, r;
    pthread_create(&c, NULL, copier, NULL);
    pthread_create(&r, NULL, reader, NULL);
    pthread_join(c, NULL);
    pthread_join(r, NULL);
    printf("peeked %s\n", peeked);
    return 0;
}
