/* poll_clean.c: twin of join_cycle_running.c.  Worker 2 holds the mutex
 * and waits in poll() (no timeout) for a pipe; worker 3 waits for the
 * mutex; main waits on a condition variable for both to finish.  poll is
 * not modelled, so nobody is asleep for good: a forked child writes the
 * pipe after 300 ms. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=finished 2\n
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t done_m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_c = PTHREAD_COND_INITIALIZER;
static int finished;
static int fds[2];
static atomic_int holding;

static void finish(void)
{
    pthread_mutex_lock(&done_m);
    finished++;
    pthread_cond_signal(&done_c);
    pthread_mutex_unlock(&done_m);
}

static void *poller(void *arg)
{
    pthread_mutex_lock(&m);
    atomic_store(&holding, 1);
    struct pollfd p = { .fd = fds[0], .events = POLLIN };
    poll(&p, 1, -1);
    pthread_mutex_unlock(&m);
    finish();
    return arg;
}

static void *locker(void *arg)
{
    while (!atomic_load(&holding))
        usleep(1000);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    finish();
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
    pthread_t p, l;
    pthread_create(&p, NULL, poller, NULL);
    pthread_create(&l, NULL, locker, NULL);
    pthread_mutex_lock(&done_m);
    while (finished < 2)
        pthread_cond_wait(&done_c, &done_m);
    pthread_mutex_unlock(&done_m);
    pthread_join(p, NULL);
    pthread_join(l, NULL);
    waitpid(pid, NULL, 0);
    printf("finished %d\n", finished);
    return 0;
}
