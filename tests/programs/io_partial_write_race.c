/* io_partial_write_race.c: io_partial_write_clean.c's twin: main, ordered
 * by a relaxed flag only, memsets the first bytes of the buffer, which the
 * worker's non-blocking write took (the kernel read them in the call): a
 * race with the write, in both modes.  Twin: io_partial_write_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @memset @write
// RACEWATCH-EXPECT: stdout=partial\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=1
// PRELOAD-EXPECT: race @memset @write
// PRELOAD-EXPECT: stdout=partial\n
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define OFFER (4u << 20)

static int fds[2];
static char *buf;
static atomic_long taken;
/* Not a constant: gcc would inline a 64-byte memset, and preload would
 * not see it. */
static volatile size_t tail = 64;

static void *writer(void *arg)
{
    ssize_t r = write(fds[0], buf, OFFER); /* @write */
    atomic_store_explicit(&taken, r, memory_order_relaxed);
    return arg;
}

int main(void)
{
    buf = malloc(OFFER);
    if (!buf || socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
        return 1;
    memset(buf, 'x', OFFER);
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    pthread_t t;
    pthread_create(&t, NULL, writer, NULL);
    long r;
    while ((r = atomic_load_explicit(&taken, memory_order_relaxed)) == 0)
        usleep(1000);
    if (r < 0 || r > (long)(OFFER - tail))
        return 2; /* the socket took (almost) all: nothing to show */
    memset(buf, 'y', tail); /* @memset */
    pthread_join(t, NULL);
    printf("partial\n");
    free(buf);
    return 0;
}
