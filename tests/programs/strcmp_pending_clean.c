/* strcmp_pending_clean.c: twin of strcmp_pending_race.c.  The reader's
 * compares ("inx": bytes 0-2 of "initial", "initx": bytes 0-4) stay
 * pending under LD_PRELOAD (runtime/intercept_string.c, "the pending
 * compared read") while the writer writes byte 6 of the same granule,
 * which no compare read, ordered with nothing (pipes written and read by
 * raw system calls); the reader's memset then stores the pending read,
 * which finds a write of another byte: no race. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
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
    memcpy(name + 6, "l", byte_len); /* byte 6: no compare read it */
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
