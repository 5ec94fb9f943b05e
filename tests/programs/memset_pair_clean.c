/* memset_pair_clean.c: twin of memset_pair_race.c.  The same memsets and
 * memcpys, whose granules are stored two at a time (cas_pair), then the
 * same reads and writes by another thread, but after taking the mutex the
 * writer and the main thread each release after their calls: every one
 * is ordered after the call it would race with. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=peeked 1122 7 5\n
// PRELOAD-EXPECT: stdout=peeked 1122 7 5\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char fresh[64] __attribute__((aligned(64)));
char reused[256] __attribute__((aligned(64)));
char table[64] __attribute__((aligned(64)));
char handed[64] __attribute__((aligned(64)));
char copied_table[64], copied_handed[64];
char peeked[5];
size_t one = 1;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int filled, handed_read;

static void *first_writer(void *arg)
{
    (void)arg;
    memset(reused, '0', 256 * one);
    memset(table, 7, 64 * one);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    memset(fresh, '1', 64 * one);
    memset(reused + 8, '2', 240 * one);
    memcpy(copied_table, table, 64 * one);
    memset(handed, 5, 64 * one);
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&filled, 1, memory_order_relaxed);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&filled, memory_order_relaxed) ||
           !atomic_load_explicit(&handed_read, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&lock);
    memcpy(peeked, fresh + 3, one);
    memcpy(peeked + 1, fresh + 13, one);
    memcpy(peeked + 2, reused + 19, one);
    memcpy(peeked + 3, reused + 27, one);
    memset(table + 10, 9, one);
    memset(handed + 10, 9, one);
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void)
{
    pthread_t f, w, r;
    pthread_create(&f, NULL, first_writer, NULL);
    pthread_join(f, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&r, NULL, reader, NULL);
    pthread_join(w, NULL);
    pthread_mutex_lock(&lock);
    memcpy(copied_handed, handed, 64 * one);
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&handed_read, 1, memory_order_relaxed);
    pthread_join(r, NULL);
    printf("peeked %s %d %d\n", peeked, copied_table[10], copied_handed[10]);
    return 0;
}
