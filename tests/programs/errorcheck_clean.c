/* errorcheck_clean.c: twin of errorcheck_race.c.  Both threads take the
 * error-checking mutex; A's relock attempt fails with EDEADLK (it must not
 * be taken for a deadlock: nothing blocks), B's unlock is checked. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=relock: EDEADLK, unlock: 0, hits = 2\n
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

int hits;
static pthread_mutex_t em;
static int relock_rc, unlock_rc = -1;

static void *thread_a(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&em);
    relock_rc = pthread_mutex_lock(&em);
    hits++;
    pthread_mutex_unlock(&em);
    return NULL;
}

static void *thread_b(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&em);
    hits++;
    unlock_rc = pthread_mutex_unlock(&em);
    return NULL;
}

int main(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&em, &attr);
    pthread_mutexattr_destroy(&attr);

    pthread_t a, b;
    pthread_create(&a, NULL, thread_a, NULL);
    pthread_create(&b, NULL, thread_b, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("relock: %s, unlock: %d, hits = %d\n",
           relock_rc == EDEADLK ? "EDEADLK" : "?", unlock_rc, hits);
    pthread_mutex_destroy(&em);
    return 0;
}
