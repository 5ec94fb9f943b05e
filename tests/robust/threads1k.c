/* threads1k.c: 1,000 threads alive at once, each with a 64 KiB stack: all
 * wait on a barrier (with main), then each does a little locked work and a
 * little work on its own stack, and ends.  racewatch's per-thread state and
 * whatever it runs on a thread's stack must fit. */
// ROBUST: exit=0
// ROBUST: timeout=240
// ROBUST: stdout=1000 threads alive at once, sum 500500, stack ok 1000\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define N 1000

static pthread_barrier_t all;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static long sum;
static int stack_ok;

static void *worker(void *arg)
{
    char buf[16 * 1024];
    pthread_barrier_wait(&all);
    memset(buf, (int)(long)arg, sizeof buf);
    int ok = buf[sizeof buf - 1] == (char)(long)arg;
    pthread_mutex_lock(&m);
    sum += (long)arg;
    stack_ok += ok;
    pthread_mutex_unlock(&m);
    return NULL;
}

int main(void)
{
    static pthread_t t[N];
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setstacksize(&at, 64 * 1024);
    pthread_barrier_init(&all, NULL, N + 1);
    for (long i = 0; i < N; i++)
        if (pthread_create(&t[i], &at, worker, (void *)(i + 1)) != 0) {
            printf("pthread_create failed at %ld\n", i);
            return 1;
        }
    pthread_barrier_wait(&all);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    printf("%d threads alive at once, sum %ld, stack ok %d\n", N, sum, stack_ok);
    return 0;
}
