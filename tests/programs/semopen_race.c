/* semopen_race.c: sem_race.c with a named semaphore (sem_open): the post
 * comes before the write it was meant to publish.  Twin: semopen_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @msg_w @msg_r
// RACEWATCH-EXPECT: location=global message
// RACEWATCH-EXPECT: stdout=done\n
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static sem_t *full;
int message;

static void *producer(void *arg)
{
    (void)arg;
    sem_post(full);
    message = 99; /* @msg_w */
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    sem_wait(full);
    use(message); /* @msg_r */
    return NULL;
}

int main(void)
{
    char name[64];
    snprintf(name, sizeof name, "/racewatch-semopen-race-%d", (int)getpid());
    full = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
    if (full == SEM_FAILED) {
        perror("sem_open");
        return 1;
    }
    sem_unlink(name);
    pthread_t p, c;
    pthread_create(&c, NULL, consumer, NULL);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    sem_close(full);
    printf("done\n");
    return 0;
}
