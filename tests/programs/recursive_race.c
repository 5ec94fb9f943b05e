/* recursive_race.c: a recursive mutex guards `entries`; add_entry() expects
 * its caller to hold it.  Thread A calls it with the lock taken twice
 * (recursively), thread B calls it without the lock.
 * Twin: recursive_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @add @add
// RACEWATCH-EXPECT: location=global entries
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>

int entries;
static pthread_mutex_t rm;

static void add_entry(void) /* caller holds rm */
{
    entries++; /* @add */
}

static void add_locked(void)
{
    pthread_mutex_lock(&rm);
    add_entry();
    pthread_mutex_unlock(&rm);
}

static void *thread_a(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&rm);
    add_locked(); /* second, recursive acquisition */
    pthread_mutex_unlock(&rm);
    return NULL;
}

static void *thread_b(void *arg)
{
    (void)arg;
    add_entry(); /* forgot the lock */
    return NULL;
}

int main(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&rm, &attr);
    pthread_mutexattr_destroy(&attr);

    pthread_t a, b;
    pthread_create(&a, NULL, thread_a, NULL);
    pthread_create(&b, NULL, thread_b, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("done\n");
    return 0;
}
