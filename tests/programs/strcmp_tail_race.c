/* strcmp_tail_race.c: a string compared with keys of growing common
 * prefix, as strcmp_prefix_race.c does, so that its exact entry holds the first 6
 * bytes; then another thread writes bytes 6-9 (the same letters again),
 * and a last compare reads the whole string.  That compare is a longer
 * prefix of a held one: only the bytes past the granule where the held
 * prefix ends are checked again (runtime/rt.h, rw_intercepted_range_looked),
 * and the race with the write must be found there.
 * A relaxed atomic flag orders the two threads without ordering memory.
 * Twin: strcmp_tail_clean.c (every access under one mutex). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @cmp @tail
// PRELOAD-EXPECT: race @cmp @tail
// RACEWATCH-EXPECT: stdout=matches 1\n
// PRELOAD-EXPECT: stdout=matches 1\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__attribute__((aligned(8))) char name[32] = "initializer";
/* Keys sharing 0..5 bytes with "initializer": none reads byte 6. */
char keys[6][16] = {"x", "ix", "inx", "inix", "initx", "initix"};
size_t tail_len = 4; /* a non-constant size: memcpy stays a call */

static atomic_int prefixes_done, written;
static int matches;

__attribute__((noinline)) static int compare(const char *key)
{
    return strcmp(name, key); /* @cmp */
}

static void *reader(void *arg)
{
    (void)arg;
    for (int round = 0; round < 3; round++)
        for (int k = 0; k < 6; k++) {
            matches += compare(keys[k]) == 0;
            matches += compare(keys[k]) == 0;
            matches += compare(keys[k / 2]) == 0;
        }
    atomic_store_explicit(&prefixes_done, 1, memory_order_relaxed);
    while (!atomic_load_explicit(&written, memory_order_relaxed))
        usleep(1000);
    matches += compare("initializer") == 0;
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&prefixes_done, memory_order_relaxed))
        usleep(1000);
    memcpy(name + 6, "lize", tail_len); /* @tail */
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
