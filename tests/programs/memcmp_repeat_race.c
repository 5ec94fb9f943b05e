/* memcmp_repeat_race.c: memcmp calls (8 bytes, read up to the first
 * difference) repeated on the same strings (the second and later ones
 * answered by the reader's table of ranges checked in its epoch,
 * runtime/range_seen.h, without a look at the shadow) race
 * with another thread's strcpy into them, in both orders:
 *   name_a: the reader compares it with keys of growing common prefix
 *     (1 to 8 bytes read), many times, then the writer copies into it;
 *   name_b: the writer copies into it first, then the reader compares.
 * Relaxed atomic flags order the two without ordering memory.
 * Twin: memcmp_repeat_clean.c (every access under one mutex). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=2
// PRELOAD-EXPECT: races=2
// RACEWATCH-EXPECT: race @cmp_a @copy_a
// PRELOAD-EXPECT: race @cmp_a @copy_a
// RACEWATCH-EXPECT: race @cmp_b @copy_b
// PRELOAD-EXPECT: race @cmp_b @copy_b
// RACEWATCH-EXPECT: stdout=matches 200\n
// PRELOAD-EXPECT: stdout=matches 200\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char name_a[32] = "initial";
char name_b[32] = "initial";
char new_name[32] = "renamed";
/* Keys sharing 0..7 bytes with "initial": each compare reads one byte more. */
char keys[8][16] = {"x", "ix", "inx", "inix", "initx", "initix", "initiax", "initial"};

static atomic_int reader_done, writer_done;
static int matches;

static void wait_for(atomic_int *flag)
{
    while (!atomic_load_explicit(flag, memory_order_relaxed))
        usleep(1000);
}

__attribute__((noinline)) static int compare_a(const char *key)
{
    return memcmp(name_a, key, 8); /* @cmp_a */
}

__attribute__((noinline)) static int compare_b(const char *key)
{
    return memcmp(name_b, key, 8); /* @cmp_b */
}

static void *reader(void *arg)
{
    (void)arg;
    for (int round = 0; round < 100; round++)
        for (int k = 0; k < 8; k++)
            matches += compare_a(keys[k]) == 0;
    atomic_store_explicit(&reader_done, 1, memory_order_relaxed);
    wait_for(&writer_done);
    for (int round = 0; round < 100; round++)
        matches += compare_b(new_name) == 0;
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    strcpy(name_b, new_name); /* @copy_b */
    atomic_store_explicit(&writer_done, 1, memory_order_relaxed);
    wait_for(&reader_done);
    strcpy(name_a, new_name); /* @copy_a */
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
