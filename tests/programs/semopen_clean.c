/* semopen_clean.c: twin of semopen_race.c.  The producer writes the message,
 * then posts the named semaphore; the consumer reads after its sem_wait.
 * The consumer opens the semaphore by name itself (a second handle). */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=message = 99\n
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

static sem_t *full;
static char name[64];
int message;
static int received;

static void *producer(void *arg)
{
    (void)arg;
    message = 99;
    sem_post(full);
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    sem_t *s = sem_open(name, 0);
    if (s == SEM_FAILED)
        return NULL;
    sem_wait(s);
    received = message;
    sem_close(s);
    return NULL;
}

int main(void)
{
    snprintf(name, sizeof name, "/racewatch-semopen-clean-%d", (int)getpid());
    full = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
    if (full == SEM_FAILED) {
        perror("sem_open");
        return 1;
    }
    pthread_t p, c;
    pthread_create(&c, NULL, consumer, NULL);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    sem_close(full);
    sem_unlink(name);
    printf("message = %d\n", received);
    return 0;
}
