/* pipe_clean.c: twin of join_blocked.c.  Main joins worker 2; worker 3
 * waits for a mutex worker 2 holds; worker 2 sits in read() on a pipe.
 * read is a system call racewatch does not model, so worker 2 is not
 * asleep: a forked child writes the pipe after 300 ms and all finish. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=read x\ndone\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int fds[2];
static atomic_int holding;
static char got;

static void *reader(void *arg)
{
    pthread_mutex_lock(&m);
    atomic_store(&holding, 1);
    if (read(fds[0], &got, 1) != 1)
        got = '?';
    pthread_mutex_unlock(&m);
    return arg;
}

static void *locker(void *arg)
{
    while (!atomic_load(&holding))
        usleep(1000);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    if (pipe(fds) != 0)
        return 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(300 * 1000);
        if (write(fds[1], "x", 1) != 1)
            _exit(1);
        _exit(0);
    }
    pthread_t r, l;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&l, NULL, locker, NULL);
    pthread_join(r, NULL);
    pthread_join(l, NULL);
    waitpid(pid, NULL, 0);
    printf("read %c\ndone\n", got);
    return 0;
}
