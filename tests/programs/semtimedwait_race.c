/* semtimedwait_race.c: a sem_timedwait that TIMES OUT consumes nothing and
 * orders nothing.  The semaphore is posted only after main has joined the
 * consumer, so its 10 ms wait always times out; it reads anyway.
 * Twin: semtimedwait_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @msg_w @msg_r
// RACEWATCH-EXPECT: location=global message
// RACEWATCH-EXPECT: stdout=timedwait: ETIMEDOUT\n
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static sem_t ready;
int message;
static int wait_errno;

static void *consumer(void *arg)
{
    (void)arg;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 10 * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    while (sem_timedwait(&ready, &ts) != 0 && errno == EINTR)
        ;
    wait_errno = errno;
    /* the timeout is ignored: */
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
    printf("timedwait: %s\n", wait_errno == ETIMEDOUT ? "ETIMEDOUT" : "?");
    return 0;
}
