/* openread_exit_clean.c: twin of openread_exit_race.c.  The process ends
 * while a thread holds reads it checked but has not stored (race_check.c,
 * "the open read").  The
 * reader reads bytes 0 and 1 of a word, tells main so through a pipe
 * written by a raw system call (no interceptor, no synchronization), and
 * computes on, calling nothing, until the exit ends it.  Main writes
 * byte 4, which the reader did not read, and exits without joining: the
 * exit checks the reads against the write, which shares no byte with
 * them: no race. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=bye\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

_Alignas(8) char word[8];
static int ready[2];

static void *reader(void *arg)
{
    volatile char *p = arg;
    int fd = ready[1]; /* (read first: the word's reads are the last) */
    long sum = p[0] + p[1];
    syscall(SYS_write, fd, "r", 1);
    for (;;)
        __asm__ volatile("" : "+r"(sum));
    return NULL;
}

int main(void)
{
    pthread_t r;
    char c;
    if (pipe(ready) != 0)
        return 1;
    pthread_create(&r, NULL, reader, word);
    if (read(ready[0], &c, 1) != 1)
        return 1;
    word[4] = 1;
    printf("bye\n");
    exit(0);
}
