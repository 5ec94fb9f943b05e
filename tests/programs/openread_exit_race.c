/* openread_exit_race.c: the process ends while a thread holds reads it
 * checked but has not stored (race_check.c, "the open read").  The
 * reader reads bytes 0 and 1 of a word, tells main so through a pipe
 * written by a raw system call (no interceptor, no synchronization), and
 * computes on, calling nothing, until the exit ends it.  Main writes
 * byte 1 and exits without joining: its write did not see the reads, and
 * the reader will never store them, so the exit must check them
 * (rw_open_reads_check_at_exit).  Twin: openread_exit_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @read @write
// RACEWATCH-EXPECT: location=global word
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
    long sum = p[0] + p[1]; /* @read */
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
    word[1] = 1; /* @write */
    printf("bye\n");
    exit(0);
}
