/* semtrywait_race.c: a FAILED sem_trywait (EAGAIN) consumes nothing and
 * orders nothing.  The semaphore is posted only after main has joined the
 * consumer, so the consumer's trywait always fails; it reads the message
 * anyway.  Twin: semtrywait_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @msg_w @msg_r
// RACEWATCH-EXPECT: location=global message
// RACEWATCH-EXPECT: stdout=trywait: EAGAIN\n
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static sem_t ready;
int message;
static int try_errno;

static void *consumer(void *arg)
{
    (void)arg;
    if (sem_trywait(&ready) != 0)
        try_errno = errno;
    /* the failure is ignored: */
    use(message); /* @msg_r */
    return NULL;
}

int main(void)
{
    sem_init(&ready, 0, 0);
    pthread_t c;
    pthread_create(&c, NULL, consumer, NULL);
    message = 5; /* @msg_w */
    pthread_join(c, NULL);
    sem_post(&ready);
    sem_destroy(&ready);
    printf("trywait: %s\n", try_errno == EAGAIN ? "EAGAIN" : "?");
    return 0;
}
