/* cond_reinit_waiters.c: main initialises a condition variable again while
 * a worker waits on it (undefined: glibc forgets the waiter, which no
 * signal can wake any more).  A warning; main then leaves, which ends the
 * waiter; exit 66.  Twin: cond_clean.c (re-initialised once nobody waits). */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=re-initialised\n
// RACEWATCH-EXPECT: misuse=1
// RACEWATCH-EXPECT: warning=re-initialisation of a condition variable with waiters @reinit
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static atomic_int locked;

static void *waiter(void *arg)
{
    pthread_mutex_lock(&m);
    atomic_store_explicit(&locked, 1, memory_order_relaxed);
    for (;;)
        pthread_cond_wait(&c, &m);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    pthread_detach(t);
    while (!atomic_load_explicit(&locked, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&m); /* free again once the waiter is inside its wait */
    pthread_mutex_unlock(&m);
    pthread_cond_init(&c, NULL); /* @reinit */
    printf("re-initialised\n");
    return 0;
}
