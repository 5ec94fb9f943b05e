/* mutex_reinit_locked.c: a worker locks a mutex and, still holding it,
 * initialises it again (undefined: the lock is lost under its holder and
 * any waiter).  A warning naming the holder; the program goes on (glibc
 * resets it); exit 66.  Twin: mutex_init_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=done\n
// RACEWATCH-EXPECT: misuse=1
// RACEWATCH-EXPECT: warning=re-initialisation of a locked mutex @reinit
// RACEWATCH-EXPECT: line=  worker()
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m;

static void *worker(void *arg)
{
    pthread_mutex_lock(&m);
    pthread_mutex_init(&m, NULL); /* @reinit */
    return arg;
}

int main(void)
{
    pthread_mutex_init(&m, NULL);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    printf("done\n");
    return 0;
}
