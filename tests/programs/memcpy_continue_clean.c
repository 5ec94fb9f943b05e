/* memcpy_continue_clean.c: twin of memcpy_continue_race.c.  The same
 * piece-by-piece copies into the window (each checked at once as a
 * continuation of the last), then the same one-byte reads by another
 * thread, but both threads' calls under one mutex: the reads are ordered
 * after the writes. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=peeked 1agl\n
// PRELOAD-EXPECT: stdout=peeked 1agl\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char window[64] __attribute__((aligned(8)));
const char source[] = "0123456789abcdefghijklmnopqrstuvwxyz";
char peeked[5];
size_t one = 1;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int copied;

__attribute__((noinline)) static void copy(size_t at, size_t from, size_t n)
{
    memcpy(window + at, source + from, n);
}

static void *writer(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    copy(0, 0, 3 * one);   /* [0, 3) */
    copy(5, 10, 4 * one);  /* [5, 9): two bytes past the last end */
    copy(9, 14, 3 * one);  /* [9, 12): at the last end */
    copy(40, 20, 4 * one); /* [40, 44): 28 bytes past it */
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&copied, 1, memory_order_relaxed);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&copied, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&lock);
    memcpy(peeked, window + 1, one);
    memcpy(peeked + 1, window + 5, one);
    memcpy(peeked + 2, window + 11, one);
    memcpy(peeked + 3, window + 41, one);
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void)
{
    pthread_t w, r;
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&r, NULL, reader, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    printf("peeked %s\n", peeked);
    return 0;
}
