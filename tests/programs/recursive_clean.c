/* recursive_clean.c: twin of recursive_race.c.  Both threads hold the
 * recursive mutex (one of them at depth 2, one at depth 3). */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=entries = 2\n
#include <pthread.h>
#include <stdio.h>

int entries;
static pthread_mutex_t rm;

static void add_entry(void) /* caller holds rm */
{
    entries++;
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
    add_locked();
    pthread_mutex_unlock(&rm);
    return NULL;
}

static void *thread_b(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&rm);
    pthread_mutex_lock(&rm);
    add_locked();
    pthread_mutex_unlock(&rm);
    pthread_mutex_unlock(&rm);
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
    printf("entries = %d\n", entries);
    pthread_mutex_destroy(&rm);
    return 0;
}
