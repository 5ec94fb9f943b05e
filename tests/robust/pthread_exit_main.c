/* pthread_exit_main.c: main ends with pthread_exit while three workers
 * still run (they wait on a barrier, sleep, and take a mutex); the last
 * one to finish ends the process with status 0 and the atexit output.
 * Main is gone but the others are not asleep: no report. */
// ROBUST: exit=0
// ROBUST: stdout=main leaves\ntotal 3\natexit\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t bar;
static int total;

static void at_exit(void)
{
    printf("atexit\n");
}

static void *worker(void *arg)
{
    pthread_barrier_wait(&bar);
    usleep(100 * 1000 * (1 + (int)(long)arg));
    pthread_mutex_lock(&m);
    if (++total == 3)
        printf("total %d\n", total);
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    atexit(at_exit);
    pthread_barrier_init(&bar, NULL, 3);
    for (long i = 0; i < 3; i++) {
        pthread_t t;
        pthread_create(&t, NULL, worker, (void *)i);
        pthread_detach(t);
    }
    printf("main leaves\n");
    fflush(stdout);
    pthread_exit(NULL);
}
