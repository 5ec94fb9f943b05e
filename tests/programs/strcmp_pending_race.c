/* strcmp_pending_race.c: a compared read left pending
 * (runtime/intercept_string.c, "the pending compared read") meets a write
 * made between the compare and the read's store.  The reader compares
 * "initial" with "inx" (bytes 0-2, a fresh read) and with "initx" (bytes
 * 0-4, a growth); the granule holds no write, so under LD_PRELOAD both
 * stay pending, not stored.  It tells the writer so through a pipe
 * written by a raw system call (no interceptor, no synchronization); the
 * writer writes byte 4 (the same value) and answers the same way; the
 * reader's next interceptor (a memset of a buffer of its own) stores the
 * pending read, which finds the write: the race is reported there, named
 * by the compare's line alone (the stack at the memset is not the
 * compare's).  The race twin fails when the store does not check, or the
 * pending read is dropped.  Instrumented, the compare stores at once and
 * the write finds it.  Twin: strcmp_pending_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @cmp @write
// PRELOAD-EXPECT: race @cmp @write
// RACEWATCH-EXPECT: stdout=less 2 pad 0\n
// PRELOAD-EXPECT: stdout=less 2 pad 0\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

_Alignas(8) char name[16] = "initial";
static int to_writer[2], to_reader[2];
static int less;
static char pad[32];
size_t pad_len = 32; /* a non-constant size: memset stays a call */
size_t byte_len = 1;

__attribute__((noinline)) static int compare(const char *key)
{
    return strcmp(key, name); /* @cmp */
}

static void *reader(void *arg)
{
    (void)arg;
    char c;
    less += compare("inx") > 0;
    less += compare("initx") > 0;
    syscall(SYS_write, to_writer[1], "r", 1);
    syscall(SYS_read, to_reader[0], &c, 1);
    memset(pad, 0, pad_len); /* stores the pending read */
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    char c;
    syscall(SYS_read, to_writer[0], &c, 1);
    memcpy(name + 4, "i", byte_len); /* @write */
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
    printf("less %d pad %d\n", less, pad[0]);
    return 0;
}
