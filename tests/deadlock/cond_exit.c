/* cond_exit.c: main waits (predicate loop) for a detached worker that
 * returns without setting the predicate or signalling.  The deadlock
 * becomes certain when that last running thread exits, not when main
 * starts waiting.  Twin: cond_timedwait_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=waiting\n
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_cond_wait] @wait
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int ready;

static void *forgetful(void *arg)
{
    usleep(200 * 1000);
    return arg;          /* forgets: ready = 1; pthread_cond_signal(&c); */
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, forgetful, NULL);
    pthread_detach(t);
    printf("waiting\n");
    fflush(stdout);
    pthread_mutex_lock(&m);
    while (!ready)
        pthread_cond_wait(&c, &m); /* @wait */
    pthread_mutex_unlock(&m);
    return 0;
}
