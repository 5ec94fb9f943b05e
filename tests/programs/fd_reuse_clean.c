/* fd_reuse_clean.c: fd_reuse_race.c made right: the worker writes to the
 * descriptor and is joined before main closes it and opens another file
 * under the same number, which main then uses itself.  Silent in both
 * modes.  Twin: fd_reuse_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=same number\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=same number\n
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int fd;

static void *worker(void *arg)
{
    if (write(fd, "x", 1) != 1)
        return NULL;
    return arg;
}

int main(void)
{
    fd = open("/dev/null", O_WRONLY);
    if (fd < 0)
        return 1;
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    close(fd);
    int again = open("/dev/null", O_WRONLY);
    if (write(again, "y", 1) != 1)
        return 1;
    printf("%s\n", again == fd ? "same number" : "another number");
    close(again);
    return 0;
}
