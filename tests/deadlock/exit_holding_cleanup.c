/* exit_holding_cleanup.c: twin of exit_cleanup_clean.c.  A thread calls
 * pthread_exit holding two mutexes; its cleanup handler unlocks only the
 * first.  Another thread is cancelled in sem_wait while holding a mutex
 * it has no cleanup handler for.  Each leaves one mutex locked for ever:
 * two warnings, judged at the threads' real ends (after the handlers). */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=first: unlocked, second: locked, third: locked\n
// RACEWATCH-EXPECT: misuse=2
// RACEWATCH-EXPECT: warning=thread exited while holding mutexes @lock_second
// RACEWATCH-EXPECT: warning=thread exited while holding mutexes @lock_third
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t second = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t third = PTHREAD_MUTEX_INITIALIZER;
static sem_t never_posted;
static atomic_int waiting;

static void unlock_first(void *arg)
{
    (void)arg;
    pthread_mutex_unlock(&first);
}

static void *exits_holding(void *arg)
{
    pthread_mutex_lock(&first);
    pthread_mutex_lock(&second); /* @lock_second */
    pthread_cleanup_push(unlock_first, NULL);
    pthread_exit(arg);
    pthread_cleanup_pop(0);
    return NULL;
}

static void *cancelled_holding(void *arg)
{
    pthread_mutex_lock(&third); /* @lock_third */
    atomic_store(&waiting, 1);
    for (;;)
        sem_wait(&never_posted);
    return arg;
}

static const char *state(pthread_mutex_t *m)
{
    if (pthread_mutex_trylock(m) != 0)
        return "locked";
    pthread_mutex_unlock(m);
    return "unlocked";
}

int main(void)
{
    sem_init(&never_posted, 0, 0);
    pthread_t t;
    pthread_create(&t, NULL, exits_holding, NULL);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, cancelled_holding, NULL);
    while (!atomic_load(&waiting))
        usleep(1000);
    usleep(50 * 1000);
    pthread_cancel(t);
    pthread_join(t, NULL);
    printf("first: %s, second: %s, third: %s\n", state(&first), state(&second), state(&third));
    return 0;
}
