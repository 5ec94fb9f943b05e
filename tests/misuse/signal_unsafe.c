/* signal_unsafe.c: a SIGALRM handler in a worker thread calls malloc,
 * free, printf and pthread_mutex_lock, none async-signal-safe (the
 * interrupted code may hold malloc's or stdout's lock, or the mutex).  One
 * warning per call site with the call's stack, even though the handler
 * runs twice; exit 66.  Twin: signal_unsafe_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=start\nin handler 14\nin handler 14\ndone\n
// RACEWATCH-EXPECT: misuse=4
// RACEWATCH-EXPECT: warning=signal-unsafe call inside of a signal handler @malloc
// RACEWATCH-EXPECT: warning=signal-unsafe call inside of a signal handler @free
// RACEWATCH-EXPECT: warning=signal-unsafe call inside of a signal handler @printf
// RACEWATCH-EXPECT: warning=signal-unsafe call inside of a signal handler @lock
// RACEWATCH-EXPECT: line=Call to malloc() in the handler of signal 14 (SIGALRM) in thread 2:
// RACEWATCH-EXPECT: line=Call to pthread_mutex_lock() in the handler of signal 14 (SIGALRM) in thread 2:
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static volatile int counter;

static void on_alarm(int sig)
{
    char *volatile p = malloc(16); /* @malloc */
    p[0] = 1;
    free(p); /* @free */
    printf("in handler %d\n", sig); /* @printf */
    fflush(stdout);
    pthread_mutex_lock(&m); /* @lock */
    counter++;
    pthread_mutex_unlock(&m);
}

static void *worker(void *arg)
{
    for (int i = 0; i < 2; i++)
        raise(SIGALRM);
    return arg;
}

int main(void)
{
    printf("start\n"); /* stdout's buffer is allocated here, not in the handler */
    signal(SIGALRM, on_alarm);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    printf("done\n");
    return counter == 2 ? 0 : 1;
}
