/* relock_running.c: a worker relocks a normal mutex it holds while main
 * still runs (it sits in read() on a pipe nobody writes: a system call
 * racewatch does not model, so main is not asleep).  The worker waits for
 * itself: a cycle of one thread, reported although main is not asleep.
 * Twin: relock_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=worker locked once\n
// RACEWATCH-EXPECT: first-line=fatal error: deadlock! (cycle of 1 threads)
// RACEWATCH-EXPECT: thread 2 [pthread_mutex_lock] @relock from 1 @create
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    pthread_mutex_lock(&m);
    printf("worker locked once\n");
    fflush(stdout);
    pthread_mutex_lock(&m); /* @relock */
    return arg;
}

int main(void)
{
    int fds[2];
    char c;
    pthread_t t;
    if (pipe(fds) != 0)
        return 1;
    pthread_create(&t, NULL, worker, NULL); /* @create */
    /* The write end stays open: read() blocks for ever. */
    if (read(fds[0], &c, 1) == 1)
        printf("unreachable\n");
    return 0;
}
