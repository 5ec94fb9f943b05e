/* io_read_race.c: a thread read()s from a pipe into a buffer that another
 * thread copies out at the same time, with nothing ordering the two (the
 * copier does no I/O): the kernel writes the buffer during read(), a data
 * race in both modes.  Twin: io_pipe_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @read @copy
// RACEWATCH-EXPECT: stdout=read 64\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=1
// PRELOAD-EXPECT: race @read @copy
// PRELOAD-EXPECT: stdout=read 64\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[64];
static char copy[64];
/* Not a constant: gcc would expand a fixed-size memcpy inline, out of
 * sight of an LD_PRELOADed runtime. */
size_t buf_len = sizeof copy;
static int fds[2];
static ssize_t got;

static void *reader(void *arg)
{
    got = read(fds[0], buf, sizeof buf); /* @read */
    return arg;
}

static void *copier(void *arg)
{
    memcpy(copy, buf, buf_len); /* @copy */
    return arg;
}

int main(void)
{
    static char msg[64] = "hello through a pipe";
    pthread_t a, b;
    if (pipe(fds) != 0)
        return 1;
    if (write(fds[1], msg, sizeof msg) != (ssize_t)sizeof msg)
        return 1;
    pthread_create(&a, NULL, reader, NULL);
    pthread_create(&b, NULL, copier, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("read %zd\n", got);
    return 0;
}
