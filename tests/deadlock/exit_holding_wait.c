/* exit_holding_wait.c: a worker returns holding a mutex; main then locks
 * it and can never get it.  The warning about the exit comes first, then
 * the deadlock (main is the only thread left, asleep); exit 2.
 * Twin: exit_holding.c (main only tries the lock). */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=
// RACEWATCH-EXPECT: first-line===================
// RACEWATCH-EXPECT: misuse=1
// RACEWATCH-EXPECT: warning=thread exited while holding mutexes @lock
// RACEWATCH-EXPECT: line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_mutex_lock] @main_lock
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    pthread_mutex_lock(&m); /* @lock */
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    pthread_mutex_lock(&m); /* @main_lock */
    return 0;
}
