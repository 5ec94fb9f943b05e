/* fd_close_clean.c: fd_close_race.c made right: main joins the worker
 * before it closes the descriptor the worker wrote to and dup2()s over the
 * one it fstat()ed.  Silent in both modes.  Twin: fd_close_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=done\n
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static int out_fd, stat_fd;

static void *worker(void *arg)
{
    struct stat st;
    if (write(out_fd, "x", 1) != 1)
        return NULL;
    fstat(stat_fd, &st);
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
    pthread_join(t, NULL);
    close(out_fd);
    dup2(null_fd, stat_fd);
    printf("done\n");
    return 0;
}
