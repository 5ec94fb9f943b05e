/* sem_timedwait_clean.c: twin of sem_short.c.  The consumer waits for the
 * missing third item with sem_timedwait: never asleep; it times out. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=got 2, third: timed out\n
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

static sem_t items;

static void *producer(void *arg)
{
    sem_post(&items);
    sem_post(&items);
    return arg;
}

static void *consumer(void *arg)
{
    int got = 0;
    for (int i = 0; i < 2; i++)
        got += sem_wait(&items) == 0;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 300 * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    int r = sem_timedwait(&items, &until);
    printf("got %d, third: %s\n", got, r == -1 && errno == ETIMEDOUT ? "timed out" : "?");
    return arg;
}

int main(void)
{
    pthread_t p, c;
    sem_init(&items, 0, 0);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_create(&c, NULL, consumer, NULL);
    pthread_join(c, NULL);
    return 0;
}
