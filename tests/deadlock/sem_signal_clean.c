/* sem_signal_clean.c: twin of sem_short.c.  The missing post comes from a
 * signal handler (SIGALRM after 300 ms; sem_post is async-signal-safe).
 * Main joins the consumer, the consumer waits in sem_wait: both look
 * asleep, but a handler is installed that may post the semaphore, so
 * racewatch must not judge it (semantics.md). */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=consumer got 3\n
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static sem_t items;

static void on_alarm(int sig)
{
    (void)sig;
    sem_post(&items);
}

static void *consumer(void *arg)
{
    int got = 0;
    for (int i = 0; i < 3; i++)
        got += sem_wait(&items) == 0;
    *(int *)arg = got;
    return NULL;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);

    sem_init(&items, 0, 0);
    sem_post(&items);
    sem_post(&items);

    /* Only main may take the signal: block it in the consumer. */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    int got = 0;
    pthread_t c;
    pthread_create(&c, NULL, consumer, &got);
    pthread_sigmask(SIG_SETMASK, &old, NULL);

    struct itimerval it;
    memset(&it, 0, sizeof it);
    it.it_value.tv_usec = 300 * 1000;
    setitimer(ITIMER_REAL, &it, NULL);
    pthread_join(c, NULL);
    printf("consumer got %d\n", got);
    return 0;
}
