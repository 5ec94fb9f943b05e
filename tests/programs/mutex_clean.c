/* mutex_clean.c: twin of mutex_race.c.  Both threads lock the same
 * PTHREAD_MUTEX_NORMAL mutex around the balance. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=balance = 60\n
// PRELOAD-EXPECT: stdout=balance = 60\n
#include <pthread.h>
#include <stdio.h>

int balance;
static pthread_mutex_t lock;

static void *depositor(void *arg)
{
    pthread_mutex_t *m = arg;
    for (int i = 0; i < 3; i++) {
        pthread_mutex_lock(m);
        balance += 10;
        pthread_mutex_unlock(m);
    }
    return NULL;
}

int main(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_NORMAL);
    pthread_mutex_init(&lock, &attr);
    pthread_mutexattr_destroy(&attr);

    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, depositor, &lock);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("balance = %d\n", balance);
    pthread_mutex_destroy(&lock);
    return 0;
}
