/* mutex_race.c: a PTHREAD_MUTEX_NORMAL mutex per thread instead of one for
 * the shared balance: each thread locks its own, so nothing is excluded.
 * Twin: mutex_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @deposit @deposit
// RACEWATCH-EXPECT: location=global balance
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>

int balance;
static pthread_mutex_t locks[2];

static void *depositor(void *arg)
{
    pthread_mutex_t *m = arg;
    for (int i = 0; i < 3; i++) {
        pthread_mutex_lock(m);
        balance += 10; /* @deposit */
        pthread_mutex_unlock(m);
    }
    return NULL;
}

int main(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_NORMAL);
    pthread_mutex_init(&locks[0], &attr);
    pthread_mutex_init(&locks[1], &attr);
    pthread_mutexattr_destroy(&attr);

    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, depositor, &locks[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("done\n");
    return 0;
}
