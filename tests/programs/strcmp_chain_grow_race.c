/* strcmp_chain_grow_race.c: a pending compared read continued over
 * adjacent strings (runtime/intercept_string.c, compared_pending_continue)
 * is not grown by another call site, whose pc would then name the earlier
 * strings' bytes in a report.  The reader compares "abcdefg" (bytes 0-7
 * of text with its NUL) and "hijklmn" (8-15) with equal keys, then "opq"
 * (16-19) with "ox" (bytes 16-17 read) through compare(): under LD_PRELOAD
 * one pending read over bytes 0-17.  Then compare2(), another call site,
 * compares "opq" with an equal key (bytes 16-19), a growth of that read.
 * Through pipes written by raw system calls (no interceptor, no
 * synchronization) the writer writes byte 2 (the same value); the reader's
 * memset stores what is pending.  The race must name byte 2's read by
 * @cmp; the twin fails (named by @cmp2) when compare2's growth extends
 * the continued read.  Twin: strcmp_chain_grow_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @cmp @write
// PRELOAD-EXPECT: race @cmp @write
// RACEWATCH-EXPECT: stdout=equal 3 pad 0\n
// PRELOAD-EXPECT: stdout=equal 3 pad 0\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

_Alignas(8) char text[32] = "abcdefg\0hijklmn\0opq";
_Alignas(8) char keys[32] = "abcdefg\0hijklmn\0opq";
_Alignas(8) char other[8] = "ox";
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
    equal += compare(text + 16, other) == 0;
    equal += compare2(text + 16, keys + 16) == 0;
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
