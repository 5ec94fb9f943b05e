/* strlen_last_race.c: a strlen of the same string again is answered by
 * the thread's last answered strlen (runtime/intercept_string.c, strlen)
 * only when that one read at least as many bytes.  Another thread first
 * writes byte 5 of the string (its terminator to be); then the reader
 * measures "abc" three times (reads bytes 0-3: no race; the third call
 * is answered by the string's exact entry, which becomes the last
 * answered strlen), makes it "abcde" by plain stores of its own, and
 * measures it again: that call reads bytes 0-5, byte 5 too, and must find
 * the write.
 * A relaxed atomic flag orders the two without ordering memory.
 * The race twin fails when the last strlen answers whatever the length.
 * Twin: strlen_last_clean.c (every access under one mutex). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @long @write
// PRELOAD-EXPECT: race @long @write
// RACEWATCH-EXPECT: stdout=lengths 3 3 3 5\n
// PRELOAD-EXPECT: stdout=lengths 3 3 3 5\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

_Alignas(8) char name[16] = "abc";
size_t one = 1; /* a non-constant size: memcpy stays a call */

static atomic_int written;
static size_t lengths[4];

__attribute__((noinline)) static size_t measure_short(void)
{
    return strlen(name); /* @short */
}

__attribute__((noinline)) static size_t measure_long(void)
{
    return strlen(name); /* @long */
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&written, memory_order_relaxed))
        usleep(1000);
    for (int i = 0; i < 3; i++)
        lengths[i] = measure_short();
    name[3] = 'd';
    name[4] = 'e';
    lengths[3] = measure_long();
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    memcpy(name + 5, "", one); /* @write */
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
    printf("lengths %zu %zu %zu %zu\n", lengths[0], lengths[1], lengths[2], lengths[3]);
    return 0;
}
