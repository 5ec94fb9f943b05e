/* cond_errorcheck.c: twin of fail_at_once_clean.c.  Main holds an
 * error-checking mutex and waits on a condition nobody will signal (the
 * worker that was to signal it has already returned).  The wait is real:
 * glibc unlocks the mutex and sleeps.  All threads asleep. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=waiting\n
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_cond_wait] @wait
#include <pthread.h>
#include <stdio.h>

static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t ec;

static void *forgetful(void *arg)
{
    return arg;
}

int main(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&ec, &a);
    pthread_t t;
    pthread_create(&t, NULL, forgetful, NULL);
    pthread_join(t, NULL);
    pthread_mutex_lock(&ec);
    printf("waiting\n");
    fflush(stdout);
    pthread_cond_wait(&c, &ec); /* @wait */
    pthread_mutex_unlock(&ec);
    return 0;
}
