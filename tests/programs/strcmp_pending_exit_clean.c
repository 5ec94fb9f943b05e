/* strcmp_pending_exit_clean.c: twin of strcmp_pending_exit_race.c.  The
 * process ends while the reader holds its compares of "initial" with
 * "inx" and "initx" (bytes 0-4) pending under LD_PRELOAD
 * (runtime/intercept_string.c, "the pending compared read"), calling
 * nothing more; main writes byte 6, which neither compare read, and
 * exits without joining: the exit checks the pending read on the
 * reader's behalf and finds a write of another byte: no race. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
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
    memcpy(name + 6, "l", byte_len); /* byte 6: no compare read it */
    printf("bye\n");
    exit(0);
}
