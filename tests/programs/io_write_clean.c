/* io_write_clean.c: io_write_race.c made correct: the buffer is
 * overwritten only after the writing thread has been joined.  Silent in
 * both modes. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=wrote 4096\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=wrote 4096\n
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[4096];
/* Not a constant: gcc would expand a fixed-size memset inline, out of
 * sight of an LD_PRELOADed runtime. */
size_t buf_len = sizeof buf;
static int fd;
static ssize_t wrote;

static void *writer(void *arg)
{
    wrote = write(fd, buf, sizeof buf);
    return arg;
}

static void *filler(void *arg)
{
    memset(buf, 'x', buf_len);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    fd = open("/dev/null", O_WRONLY);
    if (fd < 0)
        return 1;
    pthread_create(&a, NULL, writer, NULL);
    pthread_join(a, NULL);
    pthread_create(&b, NULL, filler, NULL);
    pthread_join(b, NULL);
    printf("wrote %zd\n", wrote);
    close(fd);
    return 0;
}
