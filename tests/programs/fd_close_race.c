/* fd_close_race.c: file descriptors are racy objects (ThreadSanitizer's
 * model): a worker writes to one descriptor and fstat()s another, then
 * main closes the first and dup2()s /dev/null over the second, with
 * nothing ordering main's calls after the worker's (a relaxed flag only
 * orders execution).  close and dup2 onto a descriptor write it, its uses
 * read it: two races, each named by its descriptor and where main made
 * it.  Both modes see the calls.  ThreadSanitizer finds the close race
 * only: its dup2 onto a descriptor is a read (docs/design.md).
 * Twin: fd_close_clean.c. */
// TSAN-EXPECT: miss
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=2
// RACEWATCH-EXPECT: race @close @write
// RACEWATCH-EXPECT: race @dup2 @fstat
// RACEWATCH-EXPECT: location=file descriptor
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=2
// PRELOAD-EXPECT: race @close @write
// PRELOAD-EXPECT: race @dup2 @fstat
// PRELOAD-EXPECT: location=file descriptor
// PRELOAD-EXPECT: stdout=done\n
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static int out_fd, stat_fd;
static atomic_int used;

static void *worker(void *arg)
{
    struct stat st;
    if (write(out_fd, "x", 1) != 1) /* @write */
        return NULL;
    fstat(stat_fd, &st); /* @fstat */
    atomic_store_explicit(&used, 1, memory_order_relaxed);
    return arg;
}

int main(void)
{
    out_fd = open("/dev/null", O_WRONLY);
    stat_fd = open("/dev/null", O_RDONLY);
    int null_fd = open("/dev/null", O_RDONLY);
    if (out_fd < 0 || stat_fd < 0 || null_fd < 0)
        return 1;
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    while (!atomic_load_explicit(&used, memory_order_relaxed))
        usleep(1000);
    close(out_fd); /* @close */
    dup2(null_fd, stat_fd); /* @dup2 */
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
