/* strcmp_prefix_race.c: a string compared with keys of growing common
 * prefix, as a binary search does, each key twice and the shorter ones
 * again after the longer: each longer compare is checked and grows the
 * string's exact entry (runtime/range_seen.h), the repeats are answered
 * inline.  Then another thread writes only the string's byte 6, which
 * only the longest compares read: the race must be found there, so the
 * entry may hold no more than was checked.
 * A relaxed atomic flag orders the two without ordering memory.
 * Twin: strcmp_prefix_clean.c (every access under one mutex). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @cmp @tail
// PRELOAD-EXPECT: race @cmp @tail
// RACEWATCH-EXPECT: stdout=matches 150\n
// PRELOAD-EXPECT: stdout=matches 150\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char name[32] = "initial";
/* Keys sharing 0..7 bytes with "initial": each compare reads one byte
 * more; only the last two read byte 6. */
char keys[8][16] = {"x", "ix", "inx", "inix", "initx", "initix", "initiax", "initial"};
size_t tail_len = 1; /* a non-constant size: memcpy stays a call */

static atomic_int reader_done;
static int matches;

__attribute__((noinline)) static int compare(const char *key)
{
    return strcmp(name, key); /* @cmp */
}

static void *reader(void *arg)
{
    (void)arg;
    for (int round = 0; round < 50; round++)
        for (int k = 0; k < 8; k++) {
            matches += compare(keys[k]) == 0;
            matches += compare(keys[k]) == 0;
            matches += compare(keys[k / 2]) == 0;
            matches += compare(keys[k]) == 0;
        }
    atomic_store_explicit(&reader_done, 1, memory_order_relaxed);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&reader_done, memory_order_relaxed))
        usleep(1000);
    memcpy(name + 6, "L", tail_len); /* @tail */
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
