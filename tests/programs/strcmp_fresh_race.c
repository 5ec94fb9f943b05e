/* strcmp_fresh_race.c: a thread compares strings that lie in granules
 * nothing touched before: the bytes a compare reads there are one cell
 * (a 1-, 2- or 4-byte piece, or the granule's suffix) stored into the
 * empty granule at once (detector/race_check.c, fill_run's first case).
 * Afterwards another thread writes one byte of each of those reads, not
 * ordered after them (a relaxed flag: no edge): each write must find the
 * compare's cell, whatever its size and place.
 * Twin: strcmp_fresh_clean.c (the writer waits under the reader's mutex). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=3
// PRELOAD-EXPECT: races=3
// RACEWATCH-EXPECT: race @write_suffix @cmp
// PRELOAD-EXPECT: race @write_suffix @cmp
// RACEWATCH-EXPECT: race @write_pair @cmp
// PRELOAD-EXPECT: race @write_pair @cmp
// RACEWATCH-EXPECT: race @write_quad @cmp
// PRELOAD-EXPECT: race @write_quad @cmp
// RACEWATCH-EXPECT: stdout=matches 3\n
// PRELOAD-EXPECT: stdout=matches 3\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Three granules of their own: "ab" at offset 5 is read as bytes 5-7
 * (a suffix), "x" at offset 2 as bytes 2-3 (a pair), "abc" at offset 4 as
 * bytes 4-7 (four bytes). */
__attribute__((aligned(8))) char text[24] = "\0\0\0\0\0ab\0" "\0\0x\0\0\0\0\0" "\0\0\0\0abc\0";
size_t one = 1; /* a non-constant size: memset stays a call */

static atomic_int compared;
static int matches;

__attribute__((noinline)) static int compare(const char *s, const char *key)
{
    return strcmp(s, key); /* @cmp */
}

static void *reader(void *arg)
{
    (void)arg;
    matches += compare(text + 5, "ab") == 0;
    matches += compare(text + 10, "x") == 0;
    matches += compare(text + 20, "abc") == 0;
    atomic_store_explicit(&compared, 1, memory_order_relaxed);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&compared, memory_order_relaxed))
        usleep(1000);
    memset(text + 7, 0, one);  /* @write_suffix */
    memset(text + 11, 0, one); /* @write_pair */
    memset(text + 21, 'b', one); /* @write_quad */
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
