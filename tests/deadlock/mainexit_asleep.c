/* mainexit_asleep.c: main returns through pthread_exit, leaving one worker
 * waiting on a condition nobody will signal.  The only live thread is
 * asleep (main is gone and not listed).  Twin: the robust test
 * pthread_exit_main.c, where the workers finish. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=main leaves\n
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 2 [pthread_cond_wait] @wait from 1 @create
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int ready;

static void *worker(void *arg)
{
    pthread_mutex_lock(&m);
    while (!ready)
        pthread_cond_wait(&c, &m); /* @wait */
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL); /* @create */
    printf("main leaves\n");
    fflush(stdout);
    pthread_exit(NULL);
}
