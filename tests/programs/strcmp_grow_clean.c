/* strcmp_grow_clean.c: twin of strcmp_grow_race.c.  The same calls in
 * the same order, each thread's under one mutex: the compares whose
 * exact entry grew, and the write of byte 6, are ordered. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=matches 150 lengths 70\n
// PRELOAD-EXPECT: stdout=matches 150 lengths 70\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

_Alignas(8) char buf[40] = "....." "initial";
#define name (buf + 5)
/* Keys sharing 0..7 bytes with "initial": each compare reads one byte
 * more; only the last two read byte 6. */
char keys[8][16] = {"x", "ix", "inx", "inix", "initx", "initix", "initiax", "initial"};
size_t tail_len = 1; /* a non-constant size: memcpy stays a call */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int reader_done, writer_started;
static int matches;
static size_t lengths;

__attribute__((noinline)) static int compare(const char *key)
{
    return strcmp(key, name);
}

static void *reader(void *arg)
{
    (void)arg;
    /* The writer's start may forget every thread's entries (its stack's
     * shadow cleared): wait for it, so that the keys stay held. */
    while (!atomic_load_explicit(&writer_started, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&lock);
    for (int k = 0; k < 8; k++) {
        lengths += strlen(keys[k]);
        lengths += strlen(keys[k]);
    }
    for (int round = 0; round < 50; round++)
        for (int k = 0; k < 8; k++) {
            matches += compare(keys[k]) == 0;
            matches += compare(keys[k]) == 0;
            matches += compare(keys[k / 2]) == 0;
            matches += compare(keys[k]) == 0;
        }
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&reader_done, 1, memory_order_relaxed);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    atomic_store_explicit(&writer_started, 1, memory_order_relaxed);
    while (!atomic_load_explicit(&reader_done, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&lock);
    memcpy(name + 6, "L", tail_len);
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
    printf("matches %d lengths %zu\n", matches, lengths);
    return 0;
}
