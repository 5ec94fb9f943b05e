/* fd_pwrite_race.c: the positioned calls use their descriptor like read
 * and write do: a worker pwrite()s to one descriptor and pread()s another,
 * then main closes both, with nothing ordering main's closes after the
 * worker's calls (a relaxed flag only orders execution).  Two races on
 * file descriptors, each named by where main made it.  Both modes see the
 * calls.  Twin: fd_pwrite_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=2
// RACEWATCH-EXPECT: race @close_out @pwrite
// RACEWATCH-EXPECT: race @close_in @pread
// RACEWATCH-EXPECT: location=file descriptor
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=2
// PRELOAD-EXPECT: race @close_out @pwrite
// PRELOAD-EXPECT: race @close_in @pread
// PRELOAD-EXPECT: location=file descriptor
// PRELOAD-EXPECT: stdout=done\n
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static int out_fd, in_fd;
static atomic_int used;

static void *worker(void *arg)
{
    char c;
    if (pwrite(out_fd, "x", 1, 0) != 1) /* @pwrite */
        return NULL;
    if (pread(in_fd, &c, 1, 0) != 1) /* @pread */
        return NULL;
    atomic_store_explicit(&used, 1, memory_order_relaxed);
    return arg;
}

int main(void)
{
    out_fd = open("/dev/null", O_WRONLY);
    in_fd = open("/dev/zero", O_RDONLY);
    if (out_fd < 0 || in_fd < 0)
        return 1;
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    while (!atomic_load_explicit(&used, memory_order_relaxed))
        usleep(1000);
    close(out_fd); /* @close_out */
    close(in_fd);  /* @close_in */
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
