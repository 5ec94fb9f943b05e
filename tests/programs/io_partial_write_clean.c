/* io_partial_write_clean.c: a write reads only the bytes it takes.  A
 * worker offers 4 MiB to a non-blocking socket that takes part of it (the
 * socket's buffer is far smaller), then main, ordered by a relaxed flag
 * only, memsets the last bytes the call did not take.  The kernel never
 * read them and the call has returned: no race, in both modes (the
 * memset is what preload sees of main's store).  Before racewatch checked
 * the bytes a write took, after the call, it reported the whole offer. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=partial\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
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
    ssize_t r = write(fds[0], buf, OFFER);
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
    memset(buf + OFFER - tail, 'y', tail);
    pthread_join(t, NULL);
    printf("partial\n");
    free(buf);
    return 0;
}
