/* fd_reuse_race.c: a descriptor number reused while a thread still holds
 * the old one: main gives a worker a descriptor, closes it and opens
 * another file, which gets the same number back (the lowest free one);
 * then the worker, told only by a relaxed flag (no edge), writes to the
 * number it holds, now the new file.  The worker's use races with the
 * open that made the new descriptor (ThreadSanitizer's report: the open
 * writes the new object).  Both modes.  Twin: fd_reuse_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @stale_write @reopen
// RACEWATCH-EXPECT: location=file descriptor
// RACEWATCH-EXPECT: stdout=same number\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=1
// PRELOAD-EXPECT: race @stale_write @reopen
// PRELOAD-EXPECT: location=file descriptor
// PRELOAD-EXPECT: stdout=same number\n
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static int fd;
static atomic_int reopened;

static void *worker(void *arg)
{
    while (!atomic_load_explicit(&reopened, memory_order_relaxed))
        usleep(1000);
    if (write(fd, "x", 1) != 1) /* @stale_write */
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
    close(fd);
    int again = open("/dev/null", O_WRONLY); /* @reopen */
    atomic_store_explicit(&reopened, 1, memory_order_relaxed);
    pthread_join(t, NULL);
    printf("%s\n", again == fd ? "same number" : "another number");
    return 0;
}
