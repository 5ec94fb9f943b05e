/* signal_unsafe_clean.c: twin of signal_unsafe.c: the handler uses only
 * async-signal-safe calls (write, sem_post) and a sig_atomic_t flag; the
 * thread does the allocation, printing and locking outside it.  Silent. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=in handler\nin handler\ndone 2\n
// RACEWATCH-EXPECT: clean
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static sem_t posted;
static volatile sig_atomic_t flag;
static int counter;

static void on_alarm(int sig)
{
    (void)sig;
    flag = 1;
    write(1, "in handler\n", 11);
    sem_post(&posted);
}

static void *worker(void *arg)
{
    for (int i = 0; i < 2; i++) {
        raise(SIGALRM);
        sem_wait(&posted);
        char *p = malloc(16);
        free(p);
        pthread_mutex_lock(&m);
        counter += flag;
        flag = 0;
        pthread_mutex_unlock(&m);
    }
    return arg;
}

int main(void)
{
    sem_init(&posted, 0, 0);
    signal(SIGALRM, on_alarm);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    printf("done %d\n", counter);
    return 0;
}
