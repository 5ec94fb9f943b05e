/* exit_thread.c: a worker calls exit(3) while main is blocked in
 * pthread_join on a thread that waits on a condition variable for ever.
 * The process must end with status 3 and the atexit handler's output (it
 * takes a mutex), not with a deadlock report: the exiting thread runs
 * until the process is gone. */
// ROBUST: exit=3
// ROBUST: stdout=worker calls exit(3)\natexit handler ran\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int never;

static void at_exit(void)
{
    pthread_mutex_lock(&m);
    printf("atexit handler ran\n");
    pthread_mutex_unlock(&m);
}

static void *sleeper(void *arg)
{
    pthread_mutex_lock(&m);
    while (!never)
        pthread_cond_wait(&c, &m);
    pthread_mutex_unlock(&m);
    return arg;
}

static void *exiter(void *arg)
{
    usleep(200 * 1000);
    printf("worker calls exit(3)\n");
    exit(3);
    return arg;
}

int main(void)
{
    pthread_t s, e;
    atexit(at_exit);
    pthread_create(&s, NULL, sleeper, NULL);
    pthread_create(&e, NULL, exiter, NULL);
    pthread_join(s, NULL);
    printf("unreachable\n");
    return 0;
}
