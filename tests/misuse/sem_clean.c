/* sem_clean.c: twin of sem_misuse.c and sem_destroy_waiters.c: posts up to
 * SEM_VALUE_MAX - 1 and one more (no overflow), a semaphore destroyed once
 * its waiter has been posted and has returned, initialised again and used,
 * a trywait on an empty semaphore (EAGAIN).  Silent. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=at the maximum: 1\ntrywait: EAGAIN\ndone\n
// RACEWATCH-EXPECT: clean
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static sem_t s;

static void *waiter(void *arg)
{
    sem_wait(&s);
    return arg;
}

int main(void)
{
    sem_init(&s, 0, SEM_VALUE_MAX - 1);
    sem_post(&s);
    int v;
    sem_getvalue(&s, &v);
    printf("at the maximum: %d\n", v == SEM_VALUE_MAX);
    sem_destroy(&s);

    sem_init(&s, 0, 0);
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    sem_post(&s);
    pthread_join(t, NULL);
    sem_destroy(&s);
    sem_init(&s, 0, 0);
    int r = sem_trywait(&s);
    printf("trywait: %s\n", r == -1 && errno == EAGAIN ? "EAGAIN" : "?");
    sem_post(&s);
    sem_wait(&s);
    sem_destroy(&s);
    printf("done\n");
    return 0;
}
