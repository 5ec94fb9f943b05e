/* strcmp_chain_grow_clean.c: twin of strcmp_chain_grow_race.c.  The
 * same compares: a pending read continued over "abcdefg" and "hijklmn"
 * and the first two bytes of "opq", then compare2's growth of "opq" to its
 * terminator (byte 19).  The writer writes byte 20, which no compare read,
 * ordered with nothing (pipes written and read by raw system calls); the
 * reader's memset then stores the pending reads: no race. */
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
    return strcmp(s, key);
}

__attribute__((noinline)) static int compare2(const char *s, const char *key)
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
    memcpy(text + 20, "", byte_len); /* byte 20: no compare read it */
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
