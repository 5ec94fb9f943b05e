/* semtimedwait_clean.c: twin of semtimedwait_race.c.  The consumer's
 * sem_timedwait (5 s limit) succeeds when main posts after the write. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=timedwait: 0, message = 5\n
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static sem_t ready;
int message;
static int received, rc = -1;

static void *consumer(void *arg)
{
    (void)arg;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 5;
    while ((rc = sem_timedwait(&ready, &ts)) != 0 && errno == EINTR)
        ;
    if (rc == 0)
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
    printf("timedwait: %d, message = %d\n", rc, received);
    return 0;
}
