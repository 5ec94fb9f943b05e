/* sem_race.c: an unnamed semaphore hands a message from producer to
 * consumer, but the producer posts BEFORE writing the message: the post
 * releases only what came before it.  Twin: sem_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @msg_w @msg_r
// RACEWATCH-EXPECT: location=global message
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static sem_t full;
int message;

static void *producer(void *arg)
{
    (void)arg;
    sem_post(&full);
    message = 99; /* @msg_w */
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    sem_wait(&full);
    use(message); /* @msg_r */
    return NULL;
}

int main(void)
{
    sem_init(&full, 0, 0);
    pthread_t p, c;
    pthread_create(&c, NULL, consumer, NULL);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    sem_destroy(&full);
    printf("done\n");
    return 0;
}
