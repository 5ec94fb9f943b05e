/* errorcheck_race.c: an error-checking mutex guards `hits`.  Thread A locks
 * it, tries to relock it (EDEADLK, no deadlock) and updates hits; thread B
 * updates hits without the mutex.  Twin: errorcheck_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @hit_a @hit_b
// RACEWATCH-EXPECT: location=global hits
// RACEWATCH-EXPECT: stdout=relock: EDEADLK\n
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

int hits;
static pthread_mutex_t em;
static int relock_rc;

static void *thread_a(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&em);
    relock_rc = pthread_mutex_lock(&em);
    hits++; /* @hit_a */
    pthread_mutex_unlock(&em);
    return NULL;
}

static void *thread_b(void *arg)
{
    (void)arg;
    hits++; /* @hit_b */
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
    printf("relock: %s\n", relock_rc == EDEADLK ? "EDEADLK" : "?");
    return 0;
}
