/* strcmp_tail_clean.c: twin of strcmp_tail_race.c.  The same calls in
 * the same order, each thread's under one mutex, so the write of bytes
 * 6-9 is ordered before the last compare; the reader then grows the
 * string's exact entry again and reads the whole string, as the race
 * twin does, after the write. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=matches 1\n
// PRELOAD-EXPECT: stdout=matches 1\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__attribute__((aligned(8))) char name[32] = "initializer";
char keys[6][16] = {"x", "ix", "inx", "inix", "initx", "initix"};
size_t tail_len = 4;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int prefixes_done, written;
static int matches;

__attribute__((noinline)) static int compare(const char *key)
{
    return strcmp(name, key);
}

static void *reader(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (int round = 0; round < 3; round++)
        for (int k = 0; k < 6; k++) {
            matches += compare(keys[k]) == 0;
            matches += compare(keys[k]) == 0;
            matches += compare(keys[k / 2]) == 0;
        }
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&prefixes_done, 1, memory_order_relaxed);
    while (!atomic_load_explicit(&written, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&lock);
    for (int round = 0; round < 3; round++)
        for (int k = 0; k < 6; k++) {
            matches += compare(keys[k]) == 0;
            matches += compare(keys[k]) == 0;
            matches += compare(keys[k / 2]) == 0;
        }
    matches += compare("initializer") == 0;
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&prefixes_done, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&lock);
    memcpy(name + 6, "lize", tail_len);
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&written, 1, memory_order_relaxed);
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
