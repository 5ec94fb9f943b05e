/* threads10k.c: 10,000 threads over the life of the program, at most ~100
 * alive at once: batches of 50 joinable threads, and every batch also one
 * detached thread that posts a semaphore as it ends.  Each thread takes a
 * mutex, allocates and frees. */
// ROBUST: exit=0
// ROBUST: timeout=240
// ROBUST: stdout=threads 10000, sum 50005000\n
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOTAL 10000
#define BATCH 50

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static long sum;
static int count;
static sem_t detached_done;

static void *worker(void *arg)
{
    long v = (long)arg;
    char *p = malloc(128);
    memset(p, (int)v, 128);
    pthread_mutex_lock(&m);
    sum += v;
    count++;
    pthread_mutex_unlock(&m);
    free(p);
    return NULL;
}

static void *detached(void *arg)
{
    worker(arg);
    sem_post(&detached_done);
    return NULL;
}

int main(void)
{
    pthread_t t[BATCH];
    long next = 1;
    int ndetached = 0;
    sem_init(&detached_done, 0, 0);
    while (next <= TOTAL) {
        int n = 0;
        for (; n < BATCH - 1 && next <= TOTAL; n++, next++)
            if (pthread_create(&t[n], NULL, worker, (void *)next) != 0)
                return 1;
        if (next <= TOTAL) {
            pthread_t d;
            if (pthread_create(&d, NULL, detached, (void *)next++) != 0)
                return 1;
            pthread_detach(d);
            ndetached++;
        }
        for (int i = 0; i < n; i++)
            pthread_join(t[i], NULL);
    }
    for (int i = 0; i < ndetached; i++)
        sem_wait(&detached_done);
    pthread_mutex_lock(&m);
    printf("threads %d, sum %ld\n", count, sum);
    pthread_mutex_unlock(&m);
    return 0;
}
