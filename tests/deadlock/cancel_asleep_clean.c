/* cancel_asleep_clean.c: a thread asleep in sem_wait is cancelled; until
 * it runs again its wait looks unchanged, but it is over.  The process
 * runs on one CPU and the cancelled thread has the SCHED_IDLE policy, so
 * after pthread_cancel main keeps the CPU while it enters a barrier wait:
 * then main (barrier), the cancelled thread (sem_wait) and a third
 * thread joining it all look asleep.  A thread with a cancellation
 * request is not asleep: no report.  The cancelled thread then unwinds
 * and ends, the joiner arrives at the barrier and everything finishes. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=joined: cancelled\n
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

static sem_t never_posted;
static pthread_barrier_t both;
static pthread_t sleeper;
static void *joined;

static void *sleep_in_sem(void *arg)
{
    struct sched_param idle = { 0 };
    pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle);
    for (;;)
        sem_wait(&never_posted);
    return arg;
}

static void *join_sleeper(void *arg)
{
    pthread_join(sleeper, &joined);
    pthread_barrier_wait(&both);
    return arg;
}

int main(void)
{
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu(), &one);
    sched_setaffinity(0, sizeof one, &one);
    sem_init(&never_posted, 0, 0);
    pthread_barrier_init(&both, NULL, 2);
    pthread_t joiner;
    pthread_create(&sleeper, NULL, sleep_in_sem, NULL);
    pthread_create(&joiner, NULL, join_sleeper, NULL);
    usleep(100 * 1000); /* both asleep (racewatch's grace is 10 ms) */
    pthread_cancel(sleeper);
    pthread_barrier_wait(&both);
    pthread_join(joiner, NULL);
    printf("joined: %s\n", joined == PTHREAD_CANCELED ? "cancelled" : "?");
    return 0;
}
