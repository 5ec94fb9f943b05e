/* strcmp_chain_race.c: adjacent strings compared by one call site make
 * one pending compared read (runtime/intercept_string.c,
 * compared_pending_continue), which must still hold its first string when
 * stored.  The reader compares "abcdefg" (bytes 0-7 of text with its NUL),
 * "hijklmn" (8-15) and "opq" (16-19) through compare(), each with an equal
 * key from a buffer of the same layout: under LD_PRELOAD the text's three
 * reads become one pending read over bytes 0-19.  Then "rs" (20-22)
 * through compare2(), another call site, which must not continue it (a
 * report names a pending read by its compare's pc).  Through pipes written
 * by raw system calls (no interceptor, no synchronization) the writer
 * writes byte 2 and byte 21 (the same values); the reader's memset stores
 * what is pending.  Two races, byte 2 named by @cmp and byte 21 by @cmp2:
 * the race twin fails when a continued read forgets the strings before its
 * last one (byte 2 unreported), and when the other call site continues it
 * (byte 21 named by @cmp).  Instrumented, each compare stores at once.
 * Twin: strcmp_chain_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=2
// PRELOAD-EXPECT: races=2
// RACEWATCH-EXPECT: race @cmp @write
// PRELOAD-EXPECT: race @cmp @write
// RACEWATCH-EXPECT: race @cmp2 @write2
// PRELOAD-EXPECT: race @cmp2 @write2
// RACEWATCH-EXPECT: stdout=equal 4 pad 0\n
// PRELOAD-EXPECT: stdout=equal 4 pad 0\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

_Alignas(8) char text[32] = "abcdefg\0hijklmn\0opq\0rs";
_Alignas(8) char keys[32] = "abcdefg\0hijklmn\0opq\0rs";
static int to_writer[2], to_reader[2];
static int equal;
static char pad[32];
size_t pad_len = 32; /* a non-constant size: memset stays a call */
size_t byte_len = 1;

__attribute__((noinline)) static int compare(const char *s, const char *key)
{
    return strcmp(s, key); /* @cmp */
}

__attribute__((noinline)) static int compare2(const char *s, const char *key)
{
    return strcmp(s, key); /* @cmp2 */
}

static void *reader(void *arg)
{
    (void)arg;
    char c;
    memset(pad, 0, pad_len); /* starts the thread's era: the first compare
                                can be left pending too */
    equal += compare(text, keys) == 0;
    equal += compare(text + 8, keys + 8) == 0;
    equal += compare(text + 16, keys + 16) == 0;
    equal += compare2(text + 20, keys + 20) == 0;
    syscall(SYS_write, to_writer[1], "r", 1);
    syscall(SYS_read, to_reader[0], &c, 1);
    memset(pad, 0, pad_len); /* stores the pending reads */
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    char c;
    syscall(SYS_read, to_writer[0], &c, 1);
    memcpy(text + 2, "c", byte_len); /* @write */
    memcpy(text + 21, "s", byte_len); /* @write2 */
    syscall(SYS_write, to_reader[1], "w", 1);
    return NULL;
}

int main(void)
{
    pthread_t r, w;
    if (pipe(to_writer) != 0 || pipe(to_reader) != 0)
        return 1;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(r, NULL);
    pthread_join(w, NULL);
    printf("equal %d pad %d\n", equal, pad[0]);
    return 0;
}
