/* strcmp_pending_exit_race.c: the process ends while a thread holds a
 * compared read it left pending (runtime/intercept_string.c, "the
 * pending compared read").  The reader compares "initial" with "inx" and
 * "initx" (bytes 0-4; under LD_PRELOAD not stored), tells main so
 * through a pipe written by a raw system call (no interceptor, no
 * synchronization), and computes on, calling nothing, until the exit
 * ends it.  Main writes byte 4 (the same value) and exits without
 * joining: its write did not see the reads, and the reader will never
 * store them, so the exit must check them on its behalf
 * (rw_compared_pendings_check_at_exit); the report names the compare's
 * line alone.  The race twin fails without that check.  Instrumented,
 * the compare stores at once and the write finds it.
 * Twin: strcmp_pending_exit_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @cmp @write
// PRELOAD-EXPECT: race @cmp @write
// RACEWATCH-EXPECT: stdout=bye\n
// PRELOAD-EXPECT: stdout=bye\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

_Alignas(8) char name[16] = "initial";
static int ready[2];
size_t byte_len = 1; /* a non-constant size: memcpy stays a call */

__attribute__((noinline)) static int compare(const char *key)
{
    return strcmp(key, name); /* @cmp */
}

static void *reader(void *arg)
{
    (void)arg;
    long less = compare("inx") > 0;
    less += compare("initx") > 0;
    syscall(SYS_write, ready[1], "r", 1);
    for (;;)
        __asm__ volatile("" : "+r"(less));
    return NULL;
}

int main(void)
{
    pthread_t r;
    char c;
    if (pipe(ready) != 0)
        return 1;
    pthread_create(&r, NULL, reader, NULL);
    if (read(ready[0], &c, 1) != 1)
        return 1;
    memcpy(name + 4, "i", byte_len); /* @write */
    printf("bye\n");
    exit(0);
}
