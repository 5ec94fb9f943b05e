/* lost_signal.c: main signals the condition before the worker waits on it,
 * and the worker waits without checking a predicate: the signal is lost
 * (POSIX: a signal with no waiter does nothing).  The worker waits for
 * ever and main is joining it.  The order is forced by a relaxed flag
 * polled with usleep (no happens-before edge, just timing).
 * Twin: cond_timedwait_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=signalled\n
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_join] @join
// RACEWATCH-EXPECT: thread 2 [pthread_cond_wait] @wait from 1 @create
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static atomic_int signalled;

static void *worker(void *arg)
{
    while (!atomic_load_explicit(&signalled, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&m);
    pthread_cond_wait(&c, &m); /* @wait */
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL); /* @create */
    pthread_mutex_lock(&m);
    pthread_cond_signal(&c);
    pthread_mutex_unlock(&m);
    printf("signalled\n");
    fflush(stdout);
    atomic_store_explicit(&signalled, 1, memory_order_relaxed);
    pthread_join(t, NULL); /* @join */
    return 0;
}
