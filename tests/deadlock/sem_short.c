/* sem_short.c: a producer posts the semaphore twice, the consumer needs
 * three; the producer has finished, main joins the consumer.  The finished
 * producer is not listed.  Twins: sem_timedwait_clean.c,
 * sem_signal_clean.c, sem_pshared_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=producer done\n
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_join] @join
// RACEWATCH-EXPECT: thread 3 [sem_wait] @wait from 1 @create_consumer
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static sem_t items;

static void *producer(void *arg)
{
    sem_post(&items);
    sem_post(&items);
    return arg;
}

static void *consumer(void *arg)
{
    for (int i = 0; i < 3; i++)
        sem_wait(&items); /* @wait */
    return arg;
}

int main(void)
{
    pthread_t p, c;
    sem_init(&items, 0, 0);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    printf("producer done\n");
    fflush(stdout);
    pthread_create(&c, NULL, consumer, NULL); /* @create_consumer */
    pthread_join(c, NULL); /* @join */
    return 0;
}
