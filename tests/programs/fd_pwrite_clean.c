/* fd_pwrite_clean.c: fd_pwrite_race.c made right: main joins the worker
 * before it closes the descriptors the worker pwrite()s and pread()s.
 * Silent in both modes.  Twin: fd_pwrite_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=done\n
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int out_fd, in_fd;

static void *worker(void *arg)
{
    char c;
    if (pwrite(out_fd, "x", 1, 0) != 1)
        return NULL;
    if (pread(in_fd, &c, 1, 0) != 1)
        return NULL;
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
    pthread_join(t, NULL);
    close(out_fd);
    close(in_fd);
    printf("done\n");
    return 0;
}
