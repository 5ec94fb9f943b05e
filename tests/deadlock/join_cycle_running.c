/* join_cycle_running.c: join_blocked.c between two workers while main
 * still runs (it polls a pipe nobody writes, with no timeout: a system call
 * racewatch does not model).  Worker 2 holds the mutex and joins worker 3,
 * worker 3 waits for the mutex: a cycle of two through a join edge and a
 * mutex-owner edge.  Twin: join_timed_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=
// RACEWATCH-EXPECT: first-line=fatal error: deadlock! (cycle of 2 threads)
// RACEWATCH-EXPECT: thread 2 [pthread_join] @join from 1 @create_joiner
// RACEWATCH-EXPECT: thread 3 [pthread_mutex_lock] @lock from 2 @create_locker
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *locker(void *arg)
{
    pthread_mutex_lock(&m); /* @lock */
    pthread_mutex_unlock(&m);
    return arg;
}

static void *joiner(void *arg)
{
    pthread_t t;
    pthread_mutex_lock(&m);
    pthread_create(&t, NULL, locker, NULL); /* @create_locker */
    pthread_join(t, NULL); /* @join */
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    int fds[2];
    pthread_t t;
    if (pipe(fds) != 0)
        return 1;
    pthread_create(&t, NULL, joiner, NULL); /* @create_joiner */
    struct pollfd p = { .fd = fds[0], .events = POLLIN };
    poll(&p, 1, -1);
    return 0;
}
