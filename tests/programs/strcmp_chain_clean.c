/* strcmp_chain_clean.c: twin of strcmp_chain_race.c.  The reader compares
 * "abcdefg" (bytes 0-7 of text with its NUL), then "ijklmn" (9-15) and
 * "opq" (16-19), each with an equal key, through one call site; byte 8
 * lies between the first two strings and no compare reads it.  Under
 * LD_PRELOAD the second and third reads make one pending read, which
 * must not take in the first (its end is not the second's start): the
 * writer writes byte 8, ordered with nothing (pipes written and read by
 * raw system calls), and the reader's memset then stores the pending
 * reads: no race.  Fails when a pending read is continued over a gap. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=equal 3 pad 0\n
// PRELOAD-EXPECT: stdout=equal 3 pad 0\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

_Alignas(8) char text[32] = "abcdefg\0xijklmn\0opq";
_Alignas(8) char keys[32] = "abcdefg\0xijklmn\0opq";
static int to_writer[2], to_reader[2];
static int equal;
static char pad[32];
size_t pad_len = 32; /* a non-constant size: memset stays a call */
size_t byte_len = 1;

__attribute__((noinline)) static int compare(const char *s, const char *key)
{
    return strcmp(s, key);
}

static void *reader(void *arg)
{
    (void)arg;
    char c;
    memset(pad, 0, pad_len); /* starts the thread's era: the first compare
                                can be left pending too */
    equal += compare(text, keys) == 0;
    equal += compare(text + 9, keys + 9) == 0;
    equal += compare(text + 16, keys + 16) == 0;
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
    memcpy(text + 8, "x", byte_len); /* byte 8: no compare read it */
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
