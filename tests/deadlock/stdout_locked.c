/* stdout_locked.c: join_blocked.c where the blocked worker also holds
 * stdout's lock (flockfile, as a thread in the middle of a series of
 * printf calls does).  The report must still come out: racewatch must not
 * wait for stdout's lock (to flush it) behind a thread that will never let
 * it go.  stdout is not checked: whether the worker's buffered line is
 * flushed is racewatch's choice. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_join] @join
// RACEWATCH-EXPECT: thread 2 [pthread_mutex_lock] @lock from 1 @create
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    flockfile(stdout);
    printf("worker holds stdout\n");
    pthread_mutex_lock(&m); /* @lock */
    funlockfile(stdout);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_mutex_lock(&m);
    pthread_create(&t, NULL, worker, NULL); /* @create */
    usleep(100 * 1000);
    pthread_join(t, NULL); /* @join */
    return 0;
}
