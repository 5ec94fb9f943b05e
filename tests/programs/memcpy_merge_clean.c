/* memcpy_merge_clean.c: twin of memcpy_merge_race.c.  The same copies
 * (two adjacent pieces of one granule, merged into one cell, and a read
 * beside a write), then the same writes and read by another thread, but
 * both threads' calls under one mutex: the writes are ordered after the
 * merged cell. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=done 1\n
// PRELOAD-EXPECT: stdout=done 1\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char buf[24] __attribute__((aligned(8))) = "..............0123456789";
char source[8] = "abcdefg";
char peeked[8], kept[8];
size_t two = 2;
size_t one = 1;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int copied;

__attribute__((noinline)) static void copy(char *dst, const char *src, size_t n)
{
    memcpy(dst, src, n);
}

static void *copier(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    copy(buf, source, two);
    copy(buf + 2, source + 2, two);
    for (int i = 8; i < 12; i++)
        copy(buf + i, source + i - 8, one);
    copy(buf + 16, source, two);
    copy(kept, buf + 18, two);
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&copied, 1, memory_order_relaxed);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&copied, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&lock);
    memset(buf, 'x', one);
    memset(buf + 3, 'y', one);
    memset(buf + 9, 'w', one);
    memcpy(peeked + 1, buf + 16, one);
    memcpy(peeked, buf + 18, one);
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void)
{
    pthread_t c, w;
    pthread_create(&c, NULL, copier, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(c, NULL);
    pthread_join(w, NULL);
    printf("done %d\n", peeked[0] == '4');
    return 0;
}
