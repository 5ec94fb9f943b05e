/* io_write_race.c: a thread write()s a buffer to a file while another
 * thread overwrites the same buffer, with nothing ordering the two: the
 * kernel reads the buffer during write(), so this is a data race, found in
 * both modes (racewatch-cc, and a plain binary under LD_PRELOAD, where the
 * write() and memset() interceptors are all racewatch sees).
 * Twin: io_write_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @write @fill
// RACEWATCH-EXPECT: stdout=wrote 4096\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=1
// PRELOAD-EXPECT: race @write @fill
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
    wrote = write(fd, buf, sizeof buf); /* @write */
    return arg;
}

static void *filler(void *arg)
{
    memset(buf, 'x', buf_len); /* @fill */
    return arg;
}

int main(void)
{
    pthread_t a, b;
    fd = open("/dev/null", O_WRONLY);
    if (fd < 0)
        return 1;
    pthread_create(&a, NULL, writer, NULL);
    pthread_create(&b, NULL, filler, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("wrote %zd\n", wrote);
    close(fd);
    return 0;
}
