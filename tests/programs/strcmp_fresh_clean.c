/* strcmp_fresh_clean.c: twin of strcmp_fresh_race.c.  The same compares
 * of strings in untouched granules, then the same one-byte writes, but
 * both threads' calls under one mutex: the writes are ordered after the
 * compares' cells. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=matches 3\n
// PRELOAD-EXPECT: stdout=matches 3\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__attribute__((aligned(8))) char text[24] = "\0\0\0\0\0ab\0" "\0\0x\0\0\0\0\0" "\0\0\0\0abc\0";
size_t one = 1;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int compared;
static int matches;

__attribute__((noinline)) static int compare(const char *s, const char *key)
{
    return strcmp(s, key);
}

static void *reader(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    matches += compare(text + 5, "ab") == 0;
    matches += compare(text + 10, "x") == 0;
    matches += compare(text + 20, "abc") == 0;
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&compared, 1, memory_order_relaxed);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&compared, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&lock);
    memset(text + 7, 0, one);
    memset(text + 11, 0, one);
    memset(text + 21, 'b', one);
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void)
{
    pthread_t r, w;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(r, NULL);
    pthread_join(w, NULL);
    printf("matches %d\n", matches);
    return 0;
}
