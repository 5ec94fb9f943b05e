/* memcmp_first_race.c: memcmp reads up to the first difference
 * (intercept_string.c memcmp), and its reads are answered by the exact
 * entries (runtime/range_seen.h, rt.h rw_intercepted_range) only when an
 * entry holds every byte read.  Another thread first writes the string's
 * byte 4; then the reader compares the string (8 bytes) with a key that
 * shares 2 bytes (reads bytes 0-2: no race), again, and then with a key
 * that shares 5 (reads 0-5, byte 4 too): that compare must find the
 * write, though the string's entry holds its first 3 bytes.
 * A relaxed atomic flag orders the two without ordering memory.
 * The race twin fails (both modes) when a memcmp is answered by an entry
 * that starts at its string whatever length it holds.  The strcmp case:
 * strcmp_first_race.c.  Twin: memcmp_first_clean.c (every access under
 * one mutex). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @long @write
// PRELOAD-EXPECT: race @long @write
// RACEWATCH-EXPECT: stdout=results -1 -1 -1\n
// PRELOAD-EXPECT: stdout=results -1 -1 -1\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

_Alignas(8) char name[16] = "strings";
char short_key[16] = "stx";  /* shares "st": reads bytes 0-2 */
char long_key[16] = "strinx"; /* shares "strin": reads bytes 0-5 */
size_t one = 1;               /* a non-constant size: memcpy stays a call */

static atomic_int written;
static int results[3];

__attribute__((noinline)) static int compare_short(void)
{
    return memcmp(name, short_key, 8); /* @short */
}

__attribute__((noinline)) static int compare_long(void)
{
    return memcmp(name, long_key, 8); /* @long */
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&written, memory_order_relaxed))
        usleep(1000);
    results[0] = sign(compare_short());
    results[1] = sign(compare_short());
    results[2] = sign(compare_long());
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    memcpy(name + 4, "n", one); /* @write */
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
    printf("results %d %d %d\n", results[0], results[1], results[2]);
    return 0;
}
