/* semtrywait_clean.c: twin of semtrywait_race.c.  The consumer polls with
 * sem_trywait until it succeeds; main posts after writing the message. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=message = 5\n
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

static sem_t ready;
int message;
static int received;

static void *consumer(void *arg)
{
    (void)arg;
    while (sem_trywait(&ready) != 0)
        usleep(1000);
    received = message;
    return NULL;
}

int main(void)
{
    sem_init(&ready, 0, 0);
    pthread_t c;
    pthread_create(&c, NULL, consumer, NULL);
    usleep(5000);
    message = 5;
    sem_post(&ready);
    pthread_join(c, NULL);
    sem_destroy(&ready);
    printf("message = %d\n", received);
    return 0;
}
