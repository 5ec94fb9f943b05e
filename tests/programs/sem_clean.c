/* sem_clean.c: twin of sem_race.c.  A two-slot ring buffer with the classic
 * pair of counting semaphores (empty slots / full slots): every slot is
 * written before its sem_post and read after the matching sem_wait. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=sum = 36\n
// PRELOAD-EXPECT: stdout=sum = 36\n
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#define SLOTS 2
#define NITEMS 8

static sem_t empty, full;
static int ring[SLOTS];
static int sum;

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= NITEMS; i++) {
        sem_wait(&empty);
        ring[i % SLOTS] = i;
        sem_post(&full);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= NITEMS; i++) {
        sem_wait(&full);
        sum += ring[i % SLOTS];
        sem_post(&empty);
    }
    return NULL;
}

int main(void)
{
    sem_init(&empty, 0, SLOTS);
    sem_init(&full, 0, 0);
    pthread_t p, c;
    pthread_create(&c, NULL, consumer, NULL);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    sem_destroy(&empty);
    sem_destroy(&full);
    printf("sum = %d\n", sum);
    return 0;
}
