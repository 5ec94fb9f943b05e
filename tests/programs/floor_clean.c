/* floor_clean.c: floor_race.c with `late` ordered after the write (it
 * waits for the writer's semaphore): now every live thread knows the
 * write once the barrier is passed, so the full granules drop it (below
 * the happens-before floor, detector/hb_floor.h) instead of growing
 * extensions, and nothing is reported. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=sum 4096\n
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#define N 1024
#define WORKERS 4 /* main and three threads */

long data[N];
static long sums[WORKERS];
static atomic_int readers_done;
static sem_t written;
static pthread_mutex_t bar_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bar_cond = PTHREAD_COND_INITIALIZER;
static unsigned bar_count;

static void barrier(void)
{
    pthread_mutex_lock(&bar_mutex);
    if (++bar_count == WORKERS) {
        bar_count = 0;
        pthread_cond_broadcast(&bar_cond);
    } else {
        pthread_cond_wait(&bar_cond, &bar_mutex);
    }
    pthread_mutex_unlock(&bar_mutex);
}

static void work(int id)
{
    if (id == 1)
        for (int i = 0; i < N; i++)
            data[i] = 1;
    if (id == 1)
        sem_post(&written);
    barrier();
    long s = 0;
    for (int i = 0; i < N; i++)
        s += data[i];
    sums[id] = s;
    atomic_fetch_add_explicit(&readers_done, 1, memory_order_relaxed);
}

static void *worker(void *arg)
{
    work((int)(long)arg);
    return NULL;
}

static void *late(void *arg)
{
    (void)arg;
    sem_wait(&written);
    while (atomic_load_explicit(&readers_done, memory_order_relaxed) < WORKERS)
        usleep(1000);
    long s = 0;
    for (int i = 0; i < N; i++)
        s += data[i];
    return (void *)s;
}

int main(void)
{
    pthread_t t[WORKERS], l;
    sem_init(&written, 0, 0);
    pthread_create(&l, NULL, late, NULL);
    for (long i = 1; i < WORKERS; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    work(0);
    for (int i = 1; i < WORKERS; i++)
        pthread_join(t[i], NULL);
    void *ls;
    pthread_join(l, &ls);
    printf("sum %ld\n", sums[0] + sums[1] + sums[2] + sums[3] + (long)ls - N);
    return 0;
}
